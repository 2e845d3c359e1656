"""Web pages of ledger (included by styra/urls.py)."""

urlpatterns: list = []
