app_name = "households"
urlpatterns = []

# Excel import pages (households/views_import.py)
from .urls_import import urlpatterns as import_urlpatterns  # noqa: E402

urlpatterns += import_urlpatterns
