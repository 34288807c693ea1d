from django.urls import path

from . import views, views_campaigns

app_name = "petitions"
urlpatterns = [
    path("", views.PetitionListView.as_view(), name="list"),
    path("new/", views.petition_create, name="create"),
    path("export/", views.petition_export, name="export"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.petition_action, name="action"),
    path("attachment/<int:pk>/", views.attachment_download, name="attachment"),
    path("campaigns/", views_campaigns.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", views_campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/assign/", views_campaigns.campaign_assign, name="campaign_assign"),
    path("campaigns/<int:pk>/export/", views_campaigns.campaign_export, name="campaign_export"),
    path(
        "campaigns/<int:pk>/revisit/<int:entry_pk>/",
        views_campaigns.campaign_entry_revisit,
        name="campaign_entry_revisit",
    ),
]
