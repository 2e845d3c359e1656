"""Web pages of internal control and the registers (included by styra/urls.py)."""

from django.urls import path

from styra.web import access

from . import views

urlpatterns = [
    path("intern-kontroll/", views.home, name="control_home"),
    path("intern-kontroll/<int:node_id>/<int:year>/", views.plan_detail, name="control_plan"),
    path(
        "intern-kontroll/kontroll/<int:control_id>/resultat/",
        views.result_entry,
        name="control_result",
    ),
    path("intern-kontroll/atgard/<int:action_id>/", views.action_detail, name="control_action"),
    path("ej-verkstallda/<int:node_id>/", views.unexecuted, name="control_unexecuted"),
    path("revision/<int:node_id>/", views.audits, name="control_audits"),
    path(
        "intern-kontroll/<int:node_id>/bifoga/<str:report_type>/<str:event_code>/",
        views.file_on_case,
        name="control_file_on_case",
    ),
    path("handlingsplaner/<int:node_id>/", views.action_plans, name="control_action_plans"),
    path("revision/rapport/<int:audit_id>/", views.audit_detail, name="control_audit"),
    path(
        "ej-verkstallda/<int:node_id>/rapport/<str:event_code>/<str:fmt>/",
        views.unexecuted_public,
        name="control_unexecuted_public",
    ),
    path(
        "ej-verkstallda/<int:node_id>/ivo/<str:event_code>/<str:fmt>/",
        views.unexecuted_ivo,
        name="control_unexecuted_ivo",
    ),
]

NAV = [("control_home", "Intern kontroll", access.VIEW)]
NODE_LINKS = [("control_action_plans", "Handlingsplaner och SAM", access.VIEW, None)]
