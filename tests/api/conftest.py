from __future__ import annotations

import pytest


@pytest.fixture
def api_world(demo_org, tmp_path):
    """The small report data set (AVUN 2020 with D1 and D2) and a key per person."""
    from django.contrib.auth import get_user_model

    from styra.api.services import token_create
    from tests.actors import SYSTEM
    from tests.reports import dataset

    dataset.build(demo_org, tmp_path)
    keys = {}
    for user in get_user_model().objects.all():
        keys[user.username] = token_create(actor=SYSTEM, user=user, name="prov")[1]
    return keys


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
