"""URLs of living conditions (生产生活条件) and relocation."""

urlpatterns: list = []
