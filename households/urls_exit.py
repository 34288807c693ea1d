"""URLs of exit pages (households app)."""

urlpatterns: list = []
