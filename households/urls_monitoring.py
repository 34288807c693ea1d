"""URLs of monitoring pages (households app)."""

urlpatterns: list = []
