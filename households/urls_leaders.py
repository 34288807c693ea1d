"""URLs of the township leader in contact and village trips."""

urlpatterns: list = []
