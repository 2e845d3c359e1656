"""The read API under /api/v1/ and the page where a person makes their API keys."""

from django.urls import path

from styra.web import access

from . import views
from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("api-nycklar/", views.tokens, name="api_tokens"),
]

NAV = [("api_tokens", "API-nycklar", access.FINANCE)]
