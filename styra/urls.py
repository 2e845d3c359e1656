"""All web addresses. Each app has its own urls.py; every view declares who may open it
(styra.web.access), and tests/web/test_permissions.py walks them all with every role."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from styra.start import views as start_views
from styra.web import access, password, sso, views, views_org, views_roles

login_view = access.public(auth_views.LoginView.as_view(template_name="registration/login.html"))
logout_view = access.public(auth_views.LogoutView.as_view())

urlpatterns = [
    path("", start_views.start, name="start"),
    path("logga-in/", login_view, name="login"),
    path("logga-ut/", logout_view, name="logout"),
    path("logga-in/kommunen/", sso.sso_start, name="oidc_authentication_init"),
    path("logga-in/kommunen/klar/", sso.sso_callback, name="oidc_authentication_callback"),
    path("lage/<int:node_id>/", start_views.status_view, name="status_view"),
    path(
        "lage/<int:node_id>/<str:event_code>/paminn/",
        start_views.reminder_view,
        name="status_reminder",
    ),
    path("organisation/", views.org_tree, name="org_tree"),
    path("organisation/<int:node_id>/", views.node_detail, name="node_detail"),
    path("organisation/<int:node_id>/behorigheter/", views_roles.node_roles, name="node_roles"),
    path("organisation/<int:node_id>/andra/", views_org.node_edit, name="node_edit"),
    path(
        "organisation/<int:node_id>/behorigheter/<int:role_grant_id>/ta-bort/",
        views_roles.node_role_revoke,
        name="node_role_revoke",
    ),
    path(
        "organisation/<int:node_id>/behorigheter/<int:role_grant_id>/bjud-in/",
        views_roles.node_role_invite,
        name="node_role_invite",
    ),
    path("logga-in/glomt/", password.reset_view, name="password_reset"),
    path("logga-in/glomt/skickat/", password.reset_done_view, name="password_reset_done"),
    path(
        "logga-in/valj-losenord/<uidb64>/<token>/",
        password.reset_confirm_view,
        name="password_reset_confirm",
    ),
    path(
        "logga-in/valj-losenord/klart/",
        password.reset_complete_view,
        name="password_reset_complete",
    ),
    path("", include("styra.ledger.urls")),
    path("", include("styra.finance.urls")),
    path("", include("styra.goals.urls")),
    path("", include("styra.reports.urls")),
    path("", include("styra.meetings.urls")),
    path("", include("styra.checker.urls")),
    path("", include("styra.control.urls")),
    path("", include("styra.forms.urls")),
    path("", include("styra.planning.urls")),
    path("", include("styra.api.urls")),
    path("", include("styra.tasks.urls")),
]
