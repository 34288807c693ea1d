"""URLs of villages pages (households app)."""

urlpatterns: list = []
