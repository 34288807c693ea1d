from django.urls import path

from . import views, views_excel

app_name = "rectification"
urlpatterns = [
    path("", views.ItemListView.as_view(), name="item_list"),
    path("mine/", views.ItemListView.as_view(mine=True), name="my_items"),
    path("new/", views.item_create, name="item_create"),
    path("assign/", views.item_assign_bulk, name="item_assign_bulk"),
    path("<int:pk>/", views.item_detail, name="item_detail"),
    path("<int:pk>/edit/", views.item_update, name="item_update"),
    path("<int:pk>/<slug:action>/", views.item_action, name="item_action"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("export/", views_excel.item_export, name="item_export"),
    path("export/<int:pk>/", views_excel.export_job_detail, name="export_job"),
    path("export/<int:pk>/progress/", views_excel.export_job_progress, name="export_job_progress"),
    path("export/<int:pk>/download/", views_excel.export_job_download, name="export_job_download"),
    path("import/", views_excel.ledger_import, name="ledger_import"),
]
