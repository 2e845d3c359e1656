"""Report pages: who may open what, writing a unit's text, status and finalising, templates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from styra.reports.models import NarrativeText, ReportSnapshot
from styra.tasks.models import TaskRun
from tests.tasks.worker import run_queued

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
    # Finalising runs in the background: the request returns at once with the job's page.
    response = client.post(reverse("report_finalise", args=args))
    run = TaskRun.objects.get(kind="reports.finalise")
    assert response["Location"] == run.get_absolute_url()
    assert not ReportSnapshot.objects.exists()
    assert "Väntar" in client.get(reverse("report_status", args=args)).content.decode()
    run_queued()
    snapshot = ReportSnapshot.objects.get()
    job_page = client.get(run.get_absolute_url()).content.decode()
    assert "är fastställd som version 1" in job_page
    assert reverse("snapshot_detail", args=[snapshot.pk]) in job_page
    page = client.get(reverse("snapshot_detail", args=[snapshot.pk])).content.decode()
    assert snapshot.content_hash in page and "Filerna stämmer med kontrollsumman" in page
    pdf = client.get(reverse("snapshot_file", args=[snapshot.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(cast["ledamot"])
    assert client.get(reverse("snapshot_detail", args=[snapshot.pk])).status_code == 200
    assert client.get(reverse("report_status", args=args)).status_code == 403
    assert client.post(reverse("report_finalise", args=args)).status_code == 403


def test_preview_and_files_of_the_draft(d2, client, cast, node):
    """The draft's files are made in the background (the request only queues the job) and
    offered on the job's page, which the preview then shows too."""
    client.force_login(cast["controller"])
    args = [node("AVUN").pk, "2020-D2", "delarsrapport"]
    page = client.get(reverse("report_preview", args=args)).content.decode()
    assert "<h1>Delårsrapport 2 2020</h1>" in page and 'scope="col"' in page
    response = client.post(reverse("report_build_files", args=args))
    run = TaskRun.objects.get(kind="reports.build_files")
    assert response["Location"] == run.get_absolute_url() and not run.files.exists()
    run_queued()
    files = {f.name.rsplit(".", 1)[1]: f for f in TaskRun.objects.get(pk=run.pk).files.all()}
    assert sorted(files) == ["docx", "html", "json", "pdf"]
    job_page = client.get(run.get_absolute_url()).content.decode()
    preview = client.get(reverse("report_preview", args=args)).content.decode()
    for f in files.values():
        assert reverse("task_file", args=[run.pk, f.pk]) in job_page
        assert reverse("task_file", args=[run.pk, f.pk]) in preview
    docx = client.get(reverse("task_file", args=[run.pk, files["docx"].pk]))
    assert docx.status_code == 200 and b"".join(docx.streaming_content).startswith(b"PK")
    assert "attachment" in docx["Content-Disposition"]
    pdf = client.get(reverse("task_file", args=[run.pk, files["pdf"].pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    client.force_login(cast["enhetschef2"])  # another unit's manager: not this job
    assert client.get(run.get_absolute_url()).status_code == 403


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


def test_unit_manager_finds_own_texts_on_the_reports_page(d2, client, cast, node):
    client.force_login(cast["enhetschef"])
    page = client.get(reverse("reports_home")).content.decode()
    url = reverse("narrative_edit", args=[node("JC").pk, "2020-D2", "delarsrapport", "analys"])
    assert url in page and "Analys per verksamhet, Jobbcenter" in page
    assert "Utbildning för vuxna" not in page


def test_finalising_refused_in_the_background_says_why_on_the_jobs_page(d2, client, cast, node):
    """A text changed after the status page was opened contradicts the tables: the job
    fails with the check's findings in Swedish and stores nothing."""
    from styra.reports import services

    services.narrative_save(
        actor=cast["enhetschef"],
        event=d2,
        report_type="delarsrapport",
        part="analys",
        unit=node("JC"),
        text="Genom vakanser gör Jobbcenter ett överskott på 0,9 mkr.",
    )
    client.force_login(cast["controller"])
    args = [node("AVUN").pk, "2020-D2", "delarsrapport"]
    run_page = client.post(reverse("report_finalise", args=args), follow=True)
    assert "Väntar" in run_page.content.decode()
    run_queued()
    run = TaskRun.objects.get(kind="reports.finalise")
    page = client.get(run.get_absolute_url()).content.decode()
    assert TaskRun.objects.get(pk=run.pk).status == "failed"
    assert "0,9 mkr" in page and "Rätta texten (eller siffrorna)" in page
    assert "Traceback" not in page
    assert reverse("report_status", args=args) in page  # the way back to fix it
    assert not ReportSnapshot.objects.exists()


def test_bold_shows_in_the_text_preview_also_in_list_items(d2, client, cast, node):
    from styra.reports import services

    services.narrative_save(
        actor=cast["enhetschef"],
        event=d2,
        report_type="delarsrapport",
        part="analys",
        unit=node("JC"),
        text="Inledning med **fet** text.\n\n- **Vakanser** ger överskott\n- <b>inte html</b>",
    )
    client.force_login(cast["enhetschef"])
    url = reverse("narrative_edit", args=[node("JC").pk, "2020-D2", "delarsrapport", "analys"])
    page = client.get(url).content.decode()
    assert "<p>Inledning med <strong>fet</strong> text.</p>" in page
    assert "<li><strong>Vakanser</strong> ger överskott</li>" in page
    assert "<li>&lt;b&gt;inte html&lt;/b&gt;</li>" in page  # typed markup stays text
