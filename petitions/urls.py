from django.urls import path

from . import views

app_name = "petitions"
urlpatterns = [
    path("", views.PetitionListView.as_view(), name="list"),
    path("new/", views.petition_create, name="create"),
    path("export/", views.petition_export, name="export"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.petition_action, name="action"),
    path("attachment/<int:pk>/", views.attachment_download, name="attachment"),
]
