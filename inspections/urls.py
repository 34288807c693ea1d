from django.urls import path

from . import views, views_ranking

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list, name="inspection_list"),
    path("new/", views.inspection_create, name="inspection_create"),
    path("<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("samples/", views.sample_list, name="sample_list"),
    path("samples/new/", views.sample_create, name="sample_create"),
    path("samples/<int:pk>/", views.sample_detail, name="sample_detail"),
    path("samples/<int:pk>/export/", views.sample_export, name="sample_export"),
    path("samples/<int:pk>/entries/<int:entry_pk>/", views.sample_entry, name="sample_entry"),
    path(
        "samples/<int:pk>/entries/<int:entry_pk>/finding/",
        views.finding_from_entry,
        name="finding_from_entry",
    ),
    path("ranking/", views_ranking.ranking, name="ranking"),
    path("ranking/settings/", views_ranking.ranking_settings, name="ranking_settings"),
    path("ranking/compute/", views_ranking.ranking_compute, name="ranking_compute"),
    path("ranking/<str:week>/", views_ranking.ranking_bulletin, name="ranking_week"),
    path("ranking/<str:week>/xlsx/", views_ranking.ranking_export, name="ranking_export"),
]
