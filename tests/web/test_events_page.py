"""The controller's list of reporting events: an approved event waits for nobody, an open
one past its deadline is flagged, and a missing unit links to its forecast form."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings


@pytest.mark.slow
def test_events_page_flags_the_passed_deadline_not_the_approved_event(client, cast, node):
    from styra.demo import finance as demo_finance
    from styra.demo import ledger as demo_ledger

    demo_ledger.build()
    demo_finance.build()
    client.force_login(cast["controller"])
    with override_settings(STYRA_TODAY="2020-09-03"):
        html = client.get(f"/ekonomi/{node('AVUN').pk}/handelser/").content.decode()
    rows = {
        m.group(1): m.group(0)
        for m in re.finditer(r"<tr><th scope=\"row\"><a [^>]+>([^<]+)</a>.*?</tr>", html, re.S)
    }
    d1, d2 = rows["Delårsrapport 1 2020"], rows["Delårsrapport 2 2020"]
    assert "Jobbcenter" not in d1 and "passerad" not in d1
    assert "passerad" in d2
    assert f'href="/ekonomi/{node("JC").pk}/prognos/2020-D2/"' in d2
    with override_settings(STYRA_TODAY="2020-08-20"):
        html = client.get(f"/ekonomi/{node('AVUN').pk}/handelser/").content.decode()
    assert "passerad" not in html
