from django.urls import path

from styra.web import access

from . import views, views_mapping

# Links on an org node's page: (url name, label, capability, node kinds or None for all).
NODE_LINKS = [
    ("ledger_home", "Huvudbok: inläsning av utfall", access.FINANCE, {"committee"}),
    ("ledger_balances", "Utfall per enhet", access.VIEW, {"committee"}),
    ("ledger_transactions", "Transaktioner", access.EDIT, {"unit"}),
]

urlpatterns = [
    path("huvudbok/<int:node_id>/", views.ledger_home, name="ledger_home"),
    path("huvudbok/<int:node_id>/las-in/", views.ledger_upload, name="ledger_upload"),
    path(
        "huvudbok/<int:node_id>/kontroll/<int:run_id>/",
        views.ledger_preview,
        name="ledger_preview",
    ),
    path(
        "huvudbok/<int:node_id>/kontroll/<int:run_id>/spara/",
        views.ledger_commit,
        name="ledger_commit",
    ),
    path("huvudbok/<int:node_id>/angra/<int:import_id>/", views.ledger_undo, name="ledger_undo"),
    path("huvudbok/<int:node_id>/saldon/", views.ledger_balances, name="ledger_balances"),
    path(
        "huvudbok/<int:node_id>/transaktioner/",
        views.ledger_transactions,
        name="ledger_transactions",
    ),
    path(
        "administration/<int:node_id>/koppling/",
        views_mapping.ledger_mapping,
        name="ledger_mapping",
    ),
]
