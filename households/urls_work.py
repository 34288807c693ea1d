"""URLs of members' work records and public-welfare posts."""

urlpatterns: list = []
