from django.urls import path

from . import views, views_visits
from .urls_checks import urlpatterns as checks_urlpatterns
from .urls_conditions import urlpatterns as conditions_urlpatterns
from .urls_exit import urlpatterns as exit_urlpatterns
from .urls_import import urlpatterns as import_urlpatterns
from .urls_leaders import urlpatterns as leaders_urlpatterns
from .urls_monitoring import urlpatterns as monitoring_urlpatterns
from .urls_plan import urlpatterns as plan_urlpatterns
from .urls_villages import urlpatterns as villages_urlpatterns
from .urls_work import urlpatterns as work_urlpatterns

app_name = "households"
urlpatterns = [
    path("", views.HouseholdListView.as_view(), name="household_list"),
    path("new/", views.household_create, name="household_create"),
    path("export/", views.household_export, name="household_export"),
    path("<int:pk>/", views.HouseholdDetailView.as_view(), name="household_detail"),
    path("<int:pk>/edit/", views.household_update, name="household_update"),
    path("my/", views_visits.my_households, name="my_households"),
    path("<int:pk>/visits/new/", views_visits.visit_create, name="visit_create"),
    path("<int:pk>/helper/", views_visits.household_helper, name="household_helper"),
    path("visits/weekly/", views_visits.visits_weekly, name="visits_weekly"),
    path("visits/<int:pk>/attachment/", views_visits.visit_attachment, name="visit_attachment"),
    *import_urlpatterns,
    *checks_urlpatterns,
    *monitoring_urlpatterns,
    *exit_urlpatterns,
    *villages_urlpatterns,
    *conditions_urlpatterns,
    *work_urlpatterns,
    *leaders_urlpatterns,
    *plan_urlpatterns,
]
