"""The live check of figures in a text as it is written (issue 14): the report check's rules
on the text in its place, findings only for the text's own lines, shown beside the text on
typing (the check page htmx calls) and after saving (without JavaScript)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from styra.reports.checks import ProseFinding, findings_in_text
from styra.reports.models import NarrativeText

pytestmark = pytest.mark.django_db

WRONG = "Genom vakanser gör Jobbcenter ett överskott på 0,9 mkr."
RIGHT = "Genom vakanser gör Jobbcenter ett överskott på 0,6 mkr."


def _urls(node):
    args = [node("JC").pk, "2020-D2", "delarsrapport", "analys"]
    return reverse("narrative_edit", args=args), reverse("narrative_check", args=args)


def test_findings_in_text_keeps_only_the_texts_own_lines_in_its_section():
    def f(part, line):
        return ProseFinding("text_mot_tabell", "m", "h", part, line)

    text = "Ett **överskott** på 2 mkr.\n\n- underskott på 1 mkr\n- annat"
    found = [
        f("analys-jc", "Ett överskott på 2 mkr."),
        f("analys-jc", "- underskott på 1 mkr"),
        f("analys-ufv", "Ett överskott på 2 mkr."),  # the same words in another unit's part
        f("analys-jc", "Resultatavvikelse: +0,6 mkr"),  # a generated line, not the text
    ]
    assert findings_in_text(found, "analys-jc", text) == found[:2]
    assert findings_in_text(found, "analys-jc", "") == []


def test_check_flags_a_wrong_figure_as_typed_and_writes_nothing(d2, client, cast, node):
    client.force_login(cast["enhetschef"])
    _edit, check = _urls(node)
    page = client.post(check, {"text": WRONG}).content.decode()
    assert "Varning: en siffra i texten stämmer inte med tabellerna" in page
    assert "0,9 mkr" in page and "Jobbcenter" in page and "0,6 mkr" in page
    assert not NarrativeText.objects.exists()
    page = client.post(check, {"text": RIGHT}).content.decode()
    assert "Varning" not in page and "Inga siffror i texten motsäger tabellerna" in page
    assert client.post(check, {"text": ""}).content.decode().strip() == ""
    assert client.get(check).status_code == 405


def test_check_only_for_who_may_write_the_text(d2, client, cast, node):
    client.force_login(cast["enhetschef"])
    other = reverse("narrative_check", args=[node("UFV").pk, "2020-D2", "delarsrapport", "analys"])
    assert client.post(other, {"text": WRONG}).status_code == 403
    client.logout()
    _edit, check = _urls(node)
    assert client.post(check, {"text": WRONG}).status_code in (302, 403)


def test_saved_wrong_figure_shows_the_warning_beside_the_text_without_script(
    d2, client, cast, node
):
    client.force_login(cast["enhetschef"])
    edit, _check = _urls(node)
    response = client.post(edit, {"text": WRONG}, follow=True)
    page = response.content.decode()
    assert NarrativeText.objects.get(unit=node("JC"), part="analys").text == WRONG
    block = page[page.index('id="textkontroll"') :]
    assert "Varning: en siffra" in block[: block.index("</form>")]
    assert "0,9 mkr" in block
    client.post(edit, {"text": RIGHT})
    page = client.get(edit).content.decode()
    assert "Varning: en siffra" not in page
    assert "Inga siffror i texten motsäger tabellerna" in page


def test_another_units_wrong_figure_is_not_shown_beside_this_text(d2, client, cast, node):
    """The warning beside a text is about that text: a wrong figure in the sibling unit's
    part (which blocks finalising) does not appear under Jobbcenter's."""
    from styra.reports import services

    services.narrative_save(
        actor=cast["controller"],
        event=d2,
        report_type="delarsrapport",
        part="analys",
        unit=node("UFV"),
        text="Utbildning för vuxna redovisar ett underskott på 9,9 mkr.",
    )
    client.force_login(cast["enhetschef"])
    _edit, check = _urls(node)
    page = client.post(check, {"text": RIGHT}).content.decode()
    assert "Varning" not in page and "9,9" not in page
