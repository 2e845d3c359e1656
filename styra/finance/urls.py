"""Web pages of finance (included by styra/urls.py)."""

urlpatterns: list = []
