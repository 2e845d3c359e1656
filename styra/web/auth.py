"""Login throttling (django-axes): after STYRA_LOGIN_FAILURE_LIMIT wrong passwords for one
username from one address, every further attempt (the right password too) is refused for
STYRA_LOGIN_COOLOFF_MINUTES."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class ThrottledLogins(AxesStandaloneBackend):
    """Axes' check before the password backends. A sign-in without a request (a test's
    client.login, a command) has no address to throttle and passes through to them."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
