from django.urls import path

from styra.web import access

from . import views

NAV = [("planning_home", "Planering", access.FINANCE)]
NODE_LINKS = [
    ("planning_committee", "Planering: budgetramar och förslag", access.FINANCE, {"committee"}),
    ("planning_grants", "Statsbidrag", access.FINANCE, {"committee"}),
]

urlpatterns = [
    path("planering/", views.planning_home, name="planning_home"),
    path("planering/<int:node_id>/", views.planning_committee, name="planning_committee"),
    path("planering/ramar/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("planering/ramar/<int:plan_id>/bygg-nasta/", views.plan_roll, name="plan_roll"),
    path("planering/ramar/<int:plan_id>/forslag/nytt/", views.proposal_new, name="proposal_new"),
    path("planering/forslag/<int:proposal_id>/", views.proposal_edit, name="proposal_edit"),
    path(
        "planering/ramar/<int:plan_id>/effektivisering/",
        views.efficiency,
        name="planning_efficiency",
    ),
    path(
        "planering/ramar/<int:plan_id>/investeringar/",
        views.investments,
        name="planning_investments",
    ),
    path(
        "planering/investering/<int:investment_id>/",
        views.investment_detail,
        name="planning_investment",
    ),
    path("planering/ramar/<int:plan_id>/mal/", views.targets, name="planning_targets"),
    path("planering/<int:node_id>/statsbidrag/", views.grants, name="planning_grants"),
    path("planering/<int:node_id>/statsbidrag/nytt/", views.grant_new, name="grant_new"),
    path(
        "planering/<int:node_id>/statsbidrag/paminn/",
        views.grant_reminders,
        name="planning_grant_reminders",
    ),
    path("planering/statsbidrag/<int:grant_id>/", views.grant_edit, name="grant_edit"),
]
