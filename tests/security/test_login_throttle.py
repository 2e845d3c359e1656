"""Logins are throttled (django-axes): the probe sent 100 wrong passwords and then the right
one logged in. Now 20 wrong passwords block the next attempt, the right password too,
for the cool-off time; then the right password works again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _post(client, password, username="controller"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_twenty_wrong_passwords_block_the_next_attempt(client, cast, settings):
    assert settings.AXES_FAILURE_LIMIT == 20
    for _ in range(19):
        assert _post(client, "fel").status_code == 200  # the form again, with its error
    blocked = _post(client, "fel")  # the 20th
    assert blocked.status_code == 429
    right = _post(client, "styra-demo")
    assert right.status_code == 429
    text = right.content.decode()
    assert "För många inloggningsförsök" in text and "15 minuter" in text
    assert "_auth_user_id" not in client.session
    # Another user from the same address is not blocked.
    assert _post(client, "styra-demo", username="ledamot").status_code == 302


def test_nineteen_wrong_then_right_logs_in_and_resets(client, cast):
    for _ in range(19):
        _post(client, "fel")
    assert _post(client, "styra-demo").status_code == 302
    client.logout()
    for _ in range(19):  # the count started again after the success
        _post(client, "fel")
    assert _post(client, "styra-demo").status_code == 302


def test_the_block_ends_after_the_cool_off(client, cast, settings):
    from axes.models import AccessAttempt

    for _ in range(20):
        _post(client, "fel")
    assert _post(client, "styra-demo").status_code == 429
    AccessAttempt.objects.update(
        attempt_time=dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME - dt.timedelta(1)
    )
    assert _post(client, "styra-demo").status_code == 302
