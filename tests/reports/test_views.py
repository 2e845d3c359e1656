"""Report pages: who may open what, writing a unit's text, status and finalising, templates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from styra.reports.models import NarrativeText, ReportSnapshot

pytestmark = pytest.mark.django_db


def test_unit_manager_writes_and_klarmarks_own_units_text_only(d2, client, cast, node):
    client.force_login(cast["enhetschef"])
    url = reverse("narrative_edit", args=[node("JC").pk, "2020-D2", "delarsrapport", "analys"])
    page = client.get(url)
    assert page.status_code == 200
    assert "Resultatavvikelse: +0,6 mkr" in page.content.decode()
    response = client.post(url, {"text": "Vakanser ger **överskott**.", "ready": "on"})
    assert response.status_code == 302
    row = NarrativeText.objects.get(unit=node("JC"), part="analys")
    assert row.ready and row.ready_by == cast["enhetschef"]
    other = reverse("narrative_edit", args=[node("UFV").pk, "2020-D2", "delarsrapport", "analys"])
    assert client.get(other).status_code == 403
    assert client.post(other, {"text": "x"}).status_code == 403
    section = reverse(
        "narrative_edit", args=[node("AVUN").pk, "2020-D2", "delarsrapport", "sammanfattning"]
    )
    assert client.get(section).status_code == 403


def test_controller_sees_status_and_finalises(d2, client, cast, node, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(cast["controller"])
    args = [node("AVUN").pk, "2020-D2", "delarsrapport"]
    page = client.get(reverse("report_status", args=args)).content.decode()
    assert "Textdelar (0 av" in page and "Alla siffror i texterna stämmer" in page
    response = client.post(reverse("report_finalise", args=args))
    snapshot = ReportSnapshot.objects.get()
    assert response["Location"] == reverse("snapshot_detail", args=[snapshot.pk])
    page = client.get(reverse("snapshot_detail", args=[snapshot.pk])).content.decode()
    assert snapshot.content_hash in page and "Filerna stämmer med kontrollsumman" in page
    pdf = client.get(reverse("snapshot_file", args=[snapshot.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(cast["ledamot"])
    assert client.get(reverse("snapshot_detail", args=[snapshot.pk])).status_code == 200
    assert client.get(reverse("report_status", args=args)).status_code == 403
    assert client.post(reverse("report_finalise", args=args)).status_code == 403


def test_preview_and_download_of_the_draft(d2, client, cast, node):
    client.force_login(cast["controller"])
    args = [node("AVUN").pk, "2020-D2", "delarsrapport"]
    page = client.get(reverse("report_preview", args=args)).content.decode()
    assert "<h1>Delårsrapport 2 2020</h1>" in page and 'scope="col"' in page
    docx = client.get(reverse("report_download", args=[*args, "docx"]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert "attachment" in docx["Content-Disposition"]


def test_template_page_renames_a_heading_without_code(d2, client, cast, node):
    client.force_login(cast["controller"])
    url = reverse("report_template", args=[node("AVUN").pk, "delarsrapport"])
    from styra.reports import definitions

    form = {"title": "", "sign_convention": "revenue_positive"}
    for s in definitions.load("delarsrapport").sections:
        form[f"heading-{s.key}"] = s.heading
        form[f"enabled-{s.key}"] = "on"
    form["heading-handelser"] = "Viktiga händelser under året"
    del form["enabled-uppdrag"]
    assert client.post(url, form).status_code == 302
    page = client.get(
        reverse("report_preview", args=[node("AVUN").pk, "2020-D2", "delarsrapport"])
    ).content.decode()
    assert "Viktiga händelser under året" in page and ">Uppdrag</h2>" not in page
    client.force_login(cast["enhetschef"])
    assert client.get(url).status_code == 403


def test_report_urls_are_guarded_for_each_role(client, cast, node, demo_org):
    """The permission walk of tests/web, limited to this app's pages."""
    from styra.reports import urls
    from tests.web.test_permissions import ALLOWED, collect_samples

    samples = collect_samples(node)
    for username in [*ALLOWED["JC"], None]:
        client.logout()
        if username:
            client.force_login(cast[username])
        for pattern in urls.urlpatterns:
            params = list(pattern.pattern.converters)
            kwargs = {p: samples[p][1] for p in params}
            checked = samples[params[0]][0] if params else None
            response = client.get(reverse(pattern.name, kwargs=kwargs))
            need = pattern.callback.styra_access
            where = f"{username} {pattern.name}"
            if username is None:
                assert response.status_code == 302, where
            elif need == "login" or need in ALLOWED[checked][username]:
                assert response.status_code in (200, 405), where
            else:
                assert response.status_code == 403, where


def test_unit_manager_finds_own_texts_on_the_reports_page(d2, client, cast, node):
    client.force_login(cast["enhetschef"])
    page = client.get(reverse("reports_home")).content.decode()
    url = reverse("narrative_edit", args=[node("JC").pk, "2020-D2", "delarsrapport", "analys"])
    assert url in page and "Analys per verksamhet, Jobbcenter" in page
    assert "Utbildning för vuxna" not in page
