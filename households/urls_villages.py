"""URLs of villages pages (households app)."""

from django.urls import path

from . import views_villages

urlpatterns: list = [
    path("villages/", views_villages.VillageListView.as_view(), name="village_list"),
    path("villages/<int:pk>/indicators/", views_villages.village_indicators, name="village_indicators"),
]
