"""URLs of the township leader in contact and village trips."""

from django.urls import path

from . import views_leaders

urlpatterns: list = [
    path("leaders/", views_leaders.leader_trips, name="leader_trips"),
    path("leaders/export/", views_leaders.leader_export, name="leader_export"),
    path("leaders/<int:pk>/", views_leaders.leader_detail, name="leader_detail"),
    path("<int:pk>/leader/", views_leaders.household_leader, name="household_leader"),
]
