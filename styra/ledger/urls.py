from django.urls import path

from styra.web import access

from . import views

# Links on an org node's page: (url name, label, capability, node kinds or None for all).
NODE_LINKS = [
    ("ledger_home", "Huvudbok: inläsning av utfall", access.FINANCE, {"committee"}),
    ("ledger_balances", "Utfall per enhet", access.VIEW, {"committee"}),
    ("ledger_transactions", "Transaktioner", access.EDIT, {"unit"}),
]

urlpatterns = [
    path("huvudbok/<int:node_id>/", views.ledger_home, name="ledger_home"),
    path("huvudbok/<int:node_id>/las-in/", views.ledger_upload, name="ledger_upload"),
    path("huvudbok/<int:node_id>/spara/", views.ledger_commit, name="ledger_commit"),
    path("huvudbok/<int:node_id>/saldon/", views.ledger_balances, name="ledger_balances"),
    path(
        "huvudbok/<int:node_id>/transaktioner/",
        views.ledger_transactions,
        name="ledger_transactions",
    ),
]
