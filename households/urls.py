from django.urls import path

from . import views
from .urls_checks import urlpatterns as checks_urlpatterns
from .urls_import import urlpatterns as import_urlpatterns

app_name = "households"
urlpatterns = [
    path("", views.HouseholdListView.as_view(), name="household_list"),
    path("new/", views.household_create, name="household_create"),
    path("export/", views.household_export, name="household_export"),
    path("<int:pk>/", views.HouseholdDetailView.as_view(), name="household_detail"),
    path("<int:pk>/edit/", views.household_update, name="household_update"),
    *import_urlpatterns,
    *checks_urlpatterns,
]
