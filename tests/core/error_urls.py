"""The project's URLs plus views that fail, for the error page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from povertycase.urls import urlpatterns as project_urlpatterns


def _raise_400(request):
    raise SuspiciousOperation("bad")


def _raise_403(request):
    raise PermissionDenied


def _raise_500(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("raise-400/", _raise_400),
    path("raise-403/", _raise_403),
    path("raise-500/", _raise_500),
    *project_urlpatterns,
]
