"""All web addresses. Each app has its own urls.py; every view declares who may open it
(styra.web.access), and tests/web/test_permissions.py walks them all with every role."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from styra.web import access, views

login_view = access.public(auth_views.LoginView.as_view(template_name="registration/login.html"))
logout_view = access.public(auth_views.LogoutView.as_view())

urlpatterns = [
    path("", views.start, name="start"),
    path("logga-in/", login_view, name="login"),
    path("logga-ut/", logout_view, name="logout"),
    path("organisation/", views.org_tree, name="org_tree"),
    path("organisation/<int:node_id>/", views.node_detail, name="node_detail"),
    path("", include("styra.ledger.urls")),
    path("", include("styra.finance.urls")),
    path("", include("styra.goals.urls")),
    path("", include("styra.reports.urls")),
    path("", include("styra.meetings.urls")),
    path("", include("styra.checker.urls")),
]
