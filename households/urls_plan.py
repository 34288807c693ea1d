"""URLs of the household's plan (一户一策): measures and yearly income."""

urlpatterns: list = []
