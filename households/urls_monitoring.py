"""URLs of monitoring pages (households app)."""

from django.urls import path

from . import views_monitoring as views

urlpatterns = [
    path("monitoring/", views.monitoring_list, name="monitoring_list"),
    path("monitoring/export.xlsx", views.monitoring_export, name="monitoring_export"),
    path("monitoring/risks/", views.monitoring_risks, name="monitoring_risks"),
    path(
        "monitoring/risks/<slug:flag>/", views.monitoring_risk_households, name="monitoring_risk_households"
    ),
    path("monitoring/<int:pk>/", views.monitoring_detail, name="monitoring_detail"),
    path("monitoring/<int:pk>/<slug:action>/", views.monitoring_action, name="monitoring_action"),
    path("monitoring/steps/<int:pk>/attachment/", views.step_attachment, name="monitoring_step_attachment"),
    path("<int:pk>/monitoring/new/", views.clue_create, name="monitoring_clue_create"),
]
