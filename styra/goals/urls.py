"""Web pages of goals (included by styra/urls.py)."""

from django.urls import path

from styra.web import access

from . import views

urlpatterns = [
    path("mal/", views.home, name="goals_home"),
    path("mal/<int:node_id>/", views.overview, name="goals_overview"),
    path("mal/<int:node_id>/registrera/", views.entry, name="goals_entry"),
    path("mal/<int:node_id>/uppdrag/", views.assignments, name="goals_assignments"),
    path("mal/namndmal/<int:goal_id>/bedom/", views.assess, name="goals_assess"),
    path(
        "mal/namndmal/<int:analysed_goal_id>/analys/kontroll/",
        views.analysis_check,
        name="goals_analysis_check",
    ),
    path("mal/matt/<int:measure_id>/", views.measure_detail, name="goals_measure"),
]

NAV = [("goals_home", "Mål och mått", access.VIEW)]
