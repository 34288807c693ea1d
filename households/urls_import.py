from django.urls import path

from . import views_import

urlpatterns = [
    path("imports/", views_import.ImportListView.as_view(), name="import_list"),
    path("imports/new/", views_import.import_create, name="import_create"),
    path("imports/template.xlsx", views_import.import_template, name="import_template"),
    path("imports/<int:pk>/", views_import.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views_import.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm/", views_import.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/rollback/", views_import.import_rollback, name="import_rollback"),
    path("imports/<int:pk>/errors.xlsx", views_import.import_errors_xlsx, name="import_errors_xlsx"),
]
