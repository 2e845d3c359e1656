"""Optional single sign-on through OpenID Connect (mozilla-django-oidc): the municipality's
identity provider (Entra ID, a regional IdP, …) says who the person is; what they may do
is still decided by the roles granted in Styra. A person is let in only when an active
Styra account has the e-mail address the provider vouches for; no account is created
and no role is taken from the provider's claims. Off unless STYRA_OIDC_CLIENT_ID is set
(docs/install.md)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from styra.web import access


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


class SSOBackend(OIDCAuthenticationBackend):
    """Matches the provider's e-mail address to one active Styra account. An address the
    provider itself marks as unverified (`email_verified` false) is never matched: anyone
    could have typed it. A provider that sends no such claim is trusted, as the
    municipality's own identity provider is where its addresses are managed."""

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email or str(claims.get("email_verified", True)).lower() == "false":
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):  # never: accounts and roles are Styra's
        return None

    def update_user(self, user, claims):
        return user


def _off(request):
    messages.info(request, "Inloggning med kommunens konto är inte påslagen.")
    return redirect("login")


@access.public
def sso_start(request):
    """To the identity provider (remembering where the person was going)."""
    if not enabled():
        return _off(request)
    return OIDCAuthenticationRequestView.as_view()(request)


@access.public
def sso_callback(request):
    """Back from the identity provider: log in, or back to the login page with a message."""
    if not enabled():
        return _off(request)
    return OIDCAuthenticationCallbackView.as_view()(request)
