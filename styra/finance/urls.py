from django.urls import path

from styra.web import access

from . import views

NAV = [
    ("finance_home", "Ekonomi", access.VIEW),
    ("finance_overview", "Kommunöversikt", access.VIEW),
]
NODE_LINKS = [
    ("finance_grid", "Uppföljning: utfall, budget, prognos", access.VIEW, {"committee"}),
    ("event_list", "Rapporttillfällen och prognosläge", access.FINANCE, {"committee"}),
    ("budget_grid", "Budget", access.FINANCE, {"committee"}),
    ("investments", "Investeringar", access.VIEW, {"committee"}),
    ("volumes", "Volymer och nyckeltal", access.VIEW, {"committee"}),
]

urlpatterns = [
    path("ekonomi/", views.finance_home, name="finance_home"),
    path("ekonomi/oversikt/", views.overview, name="finance_overview"),
    path("ekonomi/<int:node_id>/uppfoljning/", views.finance_grid, name="finance_grid"),
    path(
        "ekonomi/<int:node_id>/prognos/<str:event_code>/", views.forecast_form, name="forecast_form"
    ),
    path("ekonomi/<int:node_id>/handelser/", views.event_list, name="event_list"),
    path(
        "ekonomi/<int:node_id>/handelser/<str:event_code>/godkann/",
        views.event_approve,
        name="event_approve",
    ),
    path(
        "ekonomi/<int:node_id>/handelser/<str:event_code>/skicka/",
        views.event_send,
        name="event_send",
    ),
    path("ekonomi/<int:node_id>/budget/", views.budget_grid, name="budget_grid"),
    path("ekonomi/<int:node_id>/investeringar/", views.investments, name="investments"),
    path("ekonomi/<int:node_id>/volymer/", views.volumes, name="volumes"),
]
