"""Web pages of checker (included by styra/urls.py)."""

urlpatterns: list = []
