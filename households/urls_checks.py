from django.urls import path

from . import views_checks

urlpatterns = [
    path("checks/", views_checks.violation_list, name="violation_list"),
    path("checks/export.xlsx", views_checks.violation_export, name="violation_export"),
    path("checks/rules/", views_checks.rule_settings, name="rule_settings"),
    path(
        "checks/<int:pk>/acknowledge/", views_checks.violation_acknowledge_view, name="violation_acknowledge"
    ),
]
