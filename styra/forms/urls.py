"""Web pages of the city's forms (included by styra/urls.py)."""

from django.urls import path

from styra.web import access

from . import views

urlpatterns = [
    path("blanketter/", views.home, name="forms_home"),
    path("blanketter/<int:node_id>/<int:year>/", views.overview, name="forms_overview"),
    path(
        "blanketter/resultatenhet/<int:node_id>/<int:year>/",
        views.result_unit,
        name="forms_result_unit",
    ),
    path(
        "blanketter/<int:node_id>/<int:year>/projekt/ny/",
        views.project_new,
        name="forms_project_new",
    ),
    path("blanketter/projekt/<int:project_id>/", views.project_edit, name="forms_project"),
    path(
        "blanketter/<int:node_id>/<int:year>/lokal/ny/",
        views.premises_new,
        name="forms_premises_new",
    ),
    path("blanketter/lokal/<int:premises_id>/", views.premises_edit, name="forms_premises"),
    path("blanketter/<int:node_id>/externt/ny/", views.external_new, name="forms_external_new"),
    path("blanketter/externt/<int:external_id>/", views.external_edit, name="forms_external"),
    path("blanketter/<int:node_id>/bidrag/ny/", views.grant_new, name="forms_grant_new"),
    path("blanketter/bidrag/<int:application_id>/", views.grant_edit, name="forms_grant"),
    path("blanketter/<int:node_id>/iop/ny/", views.iop_new, name="forms_iop_new"),
    path("blanketter/iop/<int:iop_id>/", views.iop_edit, name="forms_iop"),
]

NAV = [("forms_home", "Blanketter", access.FINANCE)]
