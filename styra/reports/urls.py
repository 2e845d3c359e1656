"""Web pages of reports (included by styra/urls.py)."""

urlpatterns: list = []
