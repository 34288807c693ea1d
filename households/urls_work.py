"""URLs of members' work records and public-welfare posts."""

from django.urls import path

from . import views_work

urlpatterns: list = [
    path("<int:pk>/work/new/", views_work.work_record_create, name="work_record_create"),
    path("work/<int:pk>/edit/", views_work.work_record_update, name="work_record_update"),
    path("work/<int:pk>/delete/", views_work.work_record_delete, name="work_record_delete"),
    path("<int:pk>/posts/new/", views_work.public_post_create, name="public_post_create"),
    path("posts/<int:pk>/edit/", views_work.public_post_update, name="public_post_update"),
    path("posts/<int:pk>/delete/", views_work.public_post_delete, name="public_post_delete"),
]
