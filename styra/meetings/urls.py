"""Web pages of meetings (included by styra/urls.py)."""

urlpatterns: list = []
