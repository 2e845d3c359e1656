"""Web pages of goals (included by styra/urls.py)."""

urlpatterns: list = []
