"""A real OpenID Connect provider on loopback for the single sign-on tests: pyop (the
IdentityPython OP library, as used by SATOSA) behind a small WSGI server in a thread.

Endpoints: /.well-known/openid-configuration, /authorize (a login form: the user types
their name at the provider), /token, /userinfo, /jwks. Tokens are RS256-signed with a key
made per run; clients authenticate with client_secret_post or client_secret_basic."""

from __future__ import annotations

import json
import threading
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from Cryptodome.PublicKey import RSA
from jwkest.jwk import RSAKey
from pyop.authz_state import AuthorizationState
from pyop.exceptions import InvalidAuthenticationRequest, OAuthError
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo

CLIENT_ID = "styra"
CLIENT_SECRET = "styra-hemlighet-for-test"


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):  # no access log in the test output
        pass


class _ThreadedServer(WSGIServer):
    daemon_threads = True


class OIDCProvider:
    def __init__(self, users: dict[str, dict], redirect_uri: str):
        self.users = users
        self.redirect_uri = redirect_uri
        self.server = make_server(
            "127.0.0.1", 0, self.app, server_class=_ThreadedServer, handler_class=_Quiet
        )
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        key = RSAKey(key=RSA.generate(2048), alg="RS256", kid="styra-test")
        configuration = {
            # pyop insists on an https issuer; the issuer is only a name in the tokens.
            "issuer": "https" + self.url.removeprefix("http"),
            "authorization_endpoint": self.url + "/authorize",
            "token_endpoint": self.url + "/token",
            "userinfo_endpoint": self.url + "/userinfo",
            "jwks_uri": self.url + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "scopes_supported": ["openid", "email", "profile"],
            "claims_supported": ["sub", "email", "email_verified", "name", "given_name", "roles"],
        }
        clients = {
            CLIENT_ID: {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [redirect_uri],
                "response_types": ["code"],
                "token_endpoint_auth_method": "client_secret_post",
            }
        }
        self.provider = Provider(
            key,
            configuration,
            AuthorizationState(HashBasedSubjectIdentifierFactory("salt")),
            clients,
            Userinfo(users),
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    # --- WSGI ----------------------------------------------------------------------
    def app(self, environ, start_response):
        path = environ["PATH_INFO"]
        query = environ.get("QUERY_STRING", "")
        body = ""
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length).decode("utf-8")
        headers = {"Authorization": environ.get("HTTP_AUTHORIZATION", "")}
        try:
            if path == "/.well-known/openid-configuration":
                return self._json(start_response, self.provider.provider_configuration.to_dict())
            if path == "/jwks":
                return self._json(start_response, self.provider.jwks)
            if path == "/authorize":
                return self._authorize(start_response, query, body)
            if path == "/token":
                response = self.provider.handle_token_request(body, headers)
                return self._json(start_response, response.to_dict())
            if path == "/userinfo":
                response = self.provider.handle_userinfo_request(body or query, headers)
                return self._json(start_response, response.to_dict())
        except (InvalidAuthenticationRequest, OAuthError) as exc:
            return self._json(start_response, {"error": str(exc)}, "400 Bad Request")
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _authorize(self, start_response, query, body):
        """GET: the provider's login form (carrying the request along); POST: log the named
        user in and send the browser back to the client with a code."""
        if not body:
            self.provider.parse_authentication_request(query)  # refuses a bad request now
            page = (
                "<!doctype html><html lang='sv'><title>Kommunens inloggning</title>"
                "<form method='post'><input type='hidden' name='request' "
                f"value='{query}'><label>Användare <input name='user'></label>"
                "<button>Logga in hos kommunen</button></form></html>"
            )
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [page.encode("utf-8")]
        form = {k: v[0] for k, v in parse_qs(body).items()}
        request = self.provider.parse_authentication_request(form["request"])
        if form.get("user") not in self.users:
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return ["okänd användare hos kommunen".encode()]
        response = self.provider.authorize(request, form["user"])
        location = response.request(request["redirect_uri"], False)
        start_response("302 Found", [("Location", location)])
        return [b""]

    @staticmethod
    def _json(start_response, data, status="200 OK"):
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(data).encode("utf-8")]

    def login_url_for(self, authorize_location: str) -> tuple[str, dict]:
        """The form post a person's browser makes at the provider: (url, data)."""
        query = authorize_location.split("?", 1)[1]
        return self.url + "/authorize", {"request": query}


__all__ = ["CLIENT_ID", "CLIENT_SECRET", "OIDCProvider", "urlencode"]
