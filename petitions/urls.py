from django.urls import path

from . import views, views_campaigns, views_safeguards

app_name = "petitions"
urlpatterns = [
    path("", views.PetitionListView.as_view(), name="list"),
    path("new/", views.petition_create, name="create"),
    path("export/", views.petition_export, name="export"),
    path("import/", views.petition_import, name="import"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.petition_action, name="action"),
    path("attachment/<int:pk>/", views.attachment_download, name="attachment"),
    path("insurance/", views_safeguards.policy_list, name="policy_list"),
    path("insurance/<int:pk>/", views_safeguards.policy_detail, name="policy_detail"),
    path(
        "insurance/<int:pk>/enroll-eligible/",
        views_safeguards.policy_enroll_eligible,
        name="policy_enroll_eligible",
    ),
    path("insurance/<int:pk>/claim/", views_safeguards.claim_create, name="claim_create"),
    path("care/", views_safeguards.care_list, name="care_list"),
    path("care/<int:member_pk>/", views_safeguards.care_edit, name="care_edit"),
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
