"""After `make demo`, each demo role's start page shows what that person would do next."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from styra.demo.builder import DEMO_TODAY, build_demo


@pytest.fixture
def demo(db):
    build_demo()


def start_page(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    with override_settings(STYRA_TODAY=DEMO_TODAY):
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.slow
def test_each_role_sees_its_next_step(demo, client):
    html = start_page(client, "controller")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert (
        "Nästa steg: försenat Delårsrapport 2 2020 (sista dag 2020-09-01, passerad): "
        "prognos saknas från Jobbcenter." in text
    )
    assert "överskott på 13,5 mkr" in html
    assert "<svg" in html and "Budget och prognos per verksamhet" in html

    html = start_page(client, "enhetschef")
    assert "lämna och klarmarkera prognosen senast 2020-09-01" in html
    assert "/prognos/2020-D2/" in html

    html = start_page(client, "enhetschef2")
    assert "Delårsrapport 2 2020: din prognos är klarmarkerad." in html

    html = start_page(client, "sekreterare")
    assert "Nästa sammanträde: 2020-09-10 kl. 18.00." in html

    html = start_page(client, "ledamot")
    assert "Delårsrapport 2 2020: prognos -255,5 mkr, avvikelse +13,5 mkr mot budget." in html
