from django.urls import path

from . import views, views_excel

app_name = "funds"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/<slug:action>/", views.project_action, name="project_action"),
    path("allocations/", views.allocation_list, name="allocation_list"),
    path("allocations/new/", views.allocation_create, name="allocation_create"),
    path("progress/", views.progress, name="progress"),
    path("progress/export/", views_excel.ledger_export, name="ledger_export"),
    path("import/", views_excel.funds_import_view, name="import"),
    path("boards/", views.board_index, name="board_index"),
    path("boards/<int:village_pk>/", views.board, name="board"),
    path("boards/<int:village_pk>/export/", views_excel.board_export, name="board_export"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("vouchers/<int:pk>/", views.voucher_download, name="voucher_download"),
]
