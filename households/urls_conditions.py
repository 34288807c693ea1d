"""URLs of living conditions (生产生活条件) and relocation."""

from django.urls import path

from . import views_conditions

urlpatterns: list = [
    path("<int:pk>/conditions/", views_conditions.household_conditions, name="household_conditions"),
]
