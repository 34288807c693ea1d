from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from povertycase.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("households/", include("households.urls")),
    path("rectification/", include("rectification.urls")),
    path("petitions/", include("petitions.urls")),
    path("inspections/", include("inspections.urls")),
    path("funds/", include("funds.urls")),
    path("notifications/", include("povertycase.notifications.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
