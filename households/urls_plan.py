"""URLs of the household's plan (一户一策): measures and yearly income."""

from django.urls import path

from . import views_plan

urlpatterns = [
    path("<int:pk>/measures/new/", views_plan.measure_create, name="measure_create"),
    path("<int:pk>/measures/<int:measure_pk>/edit/", views_plan.measure_update, name="measure_update"),
    path("<int:pk>/measures/<int:measure_pk>/delete/", views_plan.measure_delete, name="measure_delete"),
    path("<int:pk>/measures/<int:measure_pk>/stop/", views_plan.measure_stop, name="measure_stop"),
    path("<int:pk>/income/new/", views_plan.income_create, name="income_create"),
    path("<int:pk>/income/<int:income_pk>/edit/", views_plan.income_update, name="income_update"),
]
