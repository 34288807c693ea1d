"""URLs of exit pages (households app)."""

from django.urls import path

from . import views_exit

urlpatterns: list = [
    path("<int:pk>/exit/start/", views_exit.exit_start_view, name="exit_start"),
    path("exit/", views_exit.exit_list, name="exit_list"),
    path("exit/export/", views_exit.exit_export, name="exit_export"),
    path("exit/milestones/", views_exit.exit_milestones, name="exit_milestones"),
    path("exit/<int:pk>/", views_exit.exit_detail, name="exit_detail"),
    path("exit/<int:pk>/signature/", views_exit.exit_signature, name="exit_signature"),
    path("exit/<int:pk>/resolve/", views_exit.exit_resolve, name="exit_resolve"),
    path("exit/steps/<int:pk>/attachment/", views_exit.exit_attachment, name="exit_attachment"),
]
