"""Web pages of reports (included by styra/urls.py)."""

from django.urls import path

from styra.web import access

from . import views

NAV = [("reports_home", "Rapporter", access.VIEW)]

R = "rapporter/<int:node_id>/<str:event_code>/<str:report_type>/"

urlpatterns = [
    path("rapporter/", views.reports_home, name="reports_home"),
    path(
        "rapporter/<int:node_id>/mall/<str:report_type>/",
        views.template_edit,
        name="report_template",
    ),
    path(R, views.report_preview, name="report_preview"),
    path(R + "filer/", views.report_build_files, name="report_build_files"),
    path(R + "status/", views.report_status, name="report_status"),
    path(R + "faststall/", views.report_finalise, name="report_finalise"),
    path(R + "text/<str:part>/", views.narrative_edit, name="narrative_edit"),
    path(R + "text/<str:part>/kontroll/", views.narrative_check, name="narrative_check"),
    path("rapporter/arkiv/<int:snapshot_id>/", views.snapshot_detail, name="snapshot_detail"),
    path("rapporter/arkiv/<int:snapshot_id>/<str:fmt>/", views.snapshot_file, name="snapshot_file"),
]
