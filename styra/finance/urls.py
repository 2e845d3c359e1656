from django.urls import path

from styra.web import access

from . import views, views_admin, views_admin_setup

NAV = [
    ("finance_home", "Ekonomi", access.VIEW),
    ("finance_overview", "Kommunöversikt", access.VIEW),
    ("admin_start", "Administration", access.FINANCE),
]
NODE_LINKS = [
    (
        "admin_home",
        "Administration: rapporttillfällen, budget, koppling, behörigheter",
        access.FINANCE,
        {"committee"},
    ),
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
        views.event_approve_view,
        name="event_approve",
    ),
    path(
        "ekonomi/<int:node_id>/handelser/<str:event_code>/oppna/",
        views.event_reopen_view,
        name="event_reopen",
    ),
    path(
        "ekonomi/<int:node_id>/prognos/<str:event_code>/oppna/",
        views.forecast_reopen_view,
        name="forecast_reopen",
    ),
    path(
        "ekonomi/<int:node_id>/handelser/<str:event_code>/klar/",
        views.event_submit_view,
        name="event_submit",
    ),
    path(
        "ekonomi/<int:node_id>/handelser/<str:event_code>/skicka/",
        views.event_send_view,
        name="event_send",
    ),
    path("ekonomi/<int:node_id>/budget/", views.budget_grid, name="budget_grid"),
    path("ekonomi/<int:node_id>/investeringar/", views.investments, name="investments"),
    path("ekonomi/<int:node_id>/volymer/", views.volumes, name="volumes"),
    path("administration/", views_admin.admin_start, name="admin_start"),
    path("administration/<int:node_id>/", views_admin.admin_home, name="admin_home"),
    path(
        "administration/<int:node_id>/rapporttillfallen/",
        views_admin.admin_events,
        name="admin_events",
    ),
    path("administration/<int:node_id>/budget/", views_admin.admin_budget, name="admin_budget"),
    path(
        "administration/<int:node_id>/budgetandringar/",
        views_admin.admin_budget_changes,
        name="admin_budget_changes",
    ),
    path(
        "administration/<int:node_id>/antaganden/",
        views_admin_setup.admin_assumptions,
        name="admin_assumptions",
    ),
    path(
        "administration/<int:node_id>/investeringar/",
        views_admin_setup.admin_investments,
        name="admin_investments",
    ),
    path(
        "administration/investering/<int:investment_project_id>/",
        views_admin_setup.admin_investment,
        name="admin_investment",
    ),
    path(
        "administration/<int:node_id>/volymer/",
        views_admin_setup.admin_volumes,
        name="admin_volumes",
    ),
    path(
        "administration/<int:node_id>/personal/", views_admin_setup.admin_staff, name="admin_staff"
    ),
]
