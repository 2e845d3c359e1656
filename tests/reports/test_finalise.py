"""Finalising: an immutable snapshot (data, files, hashes), new versions, prose checks."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from styra.finance.models import Forecast
from styra.reports import selectors, services
from styra.reports.builders import build_report
from styra.reports.checks import check_report
from styra.reports.models import ReportSnapshot

pytestmark = pytest.mark.django_db


def test_finalised_report_never_changes_and_a_new_version_can_be_made(
    d2, node, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    first = services.report_finalise(
        actor=cast["controller"], committee=node("AVUN"), event=d2, report_type="delarsrapport"
    )
    assert first.version == 1 and len(first.content_hash) == 64
    assert {f.fmt for f in first.files.all()} == {"html", "pdf", "docx", "json"}
    assert services.snapshot_verify(first) == []
    pdf = selectors.snapshot_pdf_bytes(first)
    assert pdf.startswith(b"%PDF")
    assert selectors.report_summary_text(first).startswith(
        "Nämnden prognostiserar ett överskott på 13,5 mkr."
    )
    data_before = first.data

    # The data changes after finalising: Daglig verksamhet forecasts 1 mkr less surplus.
    f = Forecast.objects.get(event=d2, unit__code="DV", row_code="personal")
    f.amount += Decimal("-1000000")
    f.save()
    first.refresh_from_db()
    assert first.data == data_before
    assert selectors.snapshot_pdf_bytes(first) == pdf
    assert services.snapshot_verify(first) == []
    summary = json.loads(first.data)["summary_text"]
    assert "13,5 mkr" in summary

    second = services.report_finalise(
        actor=cast["controller"], committee=node("AVUN"), event=d2, report_type="delarsrapport"
    )
    assert second.version == 2
    assert second.content_hash != first.content_hash
    assert "12,5 mkr" in selectors.report_summary_text(second)


def test_snapshot_rows_refuse_change_and_deletion(d2, node, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    snap = services.report_finalise(
        actor=cast["controller"], committee=node("AVUN"), event=d2, report_type="delarsrapport"
    )
    snap.title = "Ändrad"
    with pytest.raises(ValidationError, match="kan inte ändras"):
        snap.save()
    with pytest.raises(ValidationError):
        snap.delete()
    f = snap.files.first()
    with pytest.raises(ValidationError):
        f.delete()
    # A file altered on disk is detected.
    path = f.file.path
    with open(path, "ab") as fh:
        fh.write(b"x")
    assert any("har ändrats" in p for p in services.snapshot_verify(ReportSnapshot.objects.get()))


def test_number_in_prose_contradicting_the_tables_is_flagged_and_blocks_finalising(
    d2, node, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    services.narrative_save(
        actor=cast["enhetschef"],
        event=d2,
        report_type="delarsrapport",
        part="analys",
        unit=node("JC"),
        text="Genom vakanser gör Jobbcenter ett överskott på 0,9 mkr.",
        ready=True,
    )
    services.narrative_save(
        actor=cast["controller"],
        event=d2,
        report_type="delarsrapport",
        part="sammanfattning",
        text="Vid delår 2 prognostiserar vi god måluppfyllnad för åtta nämndmål och godtagbar "
        "för ett nämndmål.",
    )
    findings = check_report(build_report(node("AVUN"), d2))
    messages = " ".join(f.message for f in findings)
    assert "0,9 mkr" in messages and "Jobbcenter" in messages
    assert {f.rule for f in findings} == {"text_mot_tabell", "malantal"}
    with pytest.raises(services.ReportNotReady) as exc:
        services.report_finalise(
            actor=cast["controller"], committee=node("AVUN"), event=d2, report_type="delarsrapport"
        )
    assert any("0,9 mkr" in m for m in exc.value.messages)
    assert not ReportSnapshot.objects.exists()


def test_texts_right_by_data_pass_the_check(d2, node, cast):
    services.narrative_save(
        actor=cast["enhetschef"],
        event=d2,
        report_type="delarsrapport",
        part="analys",
        unit=node("JC"),
        text="Jobbcenter prognostiserar ett överskott på 0,6 mkr.",
    )
    assert check_report(build_report(node("AVUN"), d2)) == []


def test_who_may_write_which_part(d2, node, cast):
    with pytest.raises(PermissionDenied):
        services.narrative_save(
            actor=cast["enhetschef"],
            event=d2,
            report_type="delarsrapport",
            part="analys",
            unit=node("UFV"),
            text="x",
        )
    with pytest.raises(PermissionDenied):
        services.narrative_save(
            actor=cast["enhetschef"],
            event=d2,
            report_type="delarsrapport",
            part="sammanfattning",
            unit=None,
            text="x",
        )
    with pytest.raises(ValidationError, match="ingen textdel"):
        services.narrative_save(
            actor=cast["controller"],
            event=d2,
            report_type="delarsrapport",
            part="uppdrag",
            unit=None,
            text="x",
        )
    with pytest.raises(PermissionDenied):
        services.report_finalise(
            actor=cast["ledamot"], committee=node("AVUN"), event=d2, report_type="delarsrapport"
        )


def test_status_lists_every_part_with_its_klarmarkering(d2, node, cast):
    services.narrative_save(
        actor=cast["enhetschef"],
        event=d2,
        report_type="delarsrapport",
        part="analys",
        unit=node("JC"),
        text="Klar text.",
        ready=True,
    )
    parts = selectors.report_parts(node("AVUN"), d2, "delarsrapport")
    jc = next(p for p in parts if p.unit and p.unit.code == "JC")
    assert jc.state == "Klar" and jc.ready_by
    assert next(p for p in parts if p.part == "handelser").state == "Ej påbörjad"
    assert {p.unit.code for p in parts if p.part == "analys"} == {"FK", "DV", "JC", "UFV"}


def test_finalising_twice_without_a_change_makes_one_version(d2, node, cast, client):
    """Issue 20 (e): a double submit must not create duplicate report versions."""
    first = services.report_finalise(
        actor=cast["controller"], committee=node("AVUN"), event=d2, report_type="delarsrapport"
    )
    again = services.report_finalise(
        actor=cast["controller"], committee=node("AVUN"), event=d2, report_type="delarsrapport"
    )
    assert again.pk == first.pk
    assert ReportSnapshot.objects.filter(event=d2).count() == 1
    # through the page: the same form posted twice
    from django.urls import reverse

    client.force_login(cast["controller"])
    status = reverse("report_status", args=[node("AVUN").pk, "2020-D2", "delarsrapport"])
    token = client.get(status).content.decode().split('name="submit_token" value="')[1]
    token = token.split('"')[0]
    url = reverse("report_finalise", args=[node("AVUN").pk, "2020-D2", "delarsrapport"])
    responses = [client.post(url, {"submit_token": token}) for _ in range(2)]
    assert responses[0]["Location"] == responses[1]["Location"]
    from styra.tasks.models import TaskRun
    from tests.tasks.worker import run_queued

    run_queued()  # finalising runs in the background (issue 13): one job, one version
    assert TaskRun.objects.filter(kind="reports.finalise").count() == 1
    assert ReportSnapshot.objects.filter(event=d2).count() == 1


def test_a_failing_finalisation_leaves_no_file_and_no_row(
    d2, node, cast, settings, tmp_path, monkeypatch
):
    """The files are written before the transaction; when a row cannot be saved (here the
    third file's row) the transaction rolls back and every file written is removed."""
    from django.db import IntegrityError

    from styra.reports.models import ReportFile

    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    saved = []
    real_save = ReportFile.save

    def failing_save(self, *args, **kwargs):
        saved.append(self.fmt)
        if len(saved) == 3:
            raise IntegrityError("simulated failure")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(ReportFile, "save", failing_save)
    with pytest.raises(IntegrityError):
        services.report_finalise(
            actor=cast["controller"], committee=node("AVUN"), event=d2, report_type="delarsrapport"
        )
    assert len(saved) == 3
    assert not ReportSnapshot.objects.exists() and not ReportFile.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []

    monkeypatch.undo()  # the same call succeeds and leaves exactly its four files
    snap = services.report_finalise(
        actor=cast["controller"], committee=node("AVUN"), event=d2, report_type="delarsrapport"
    )
    names = sorted(p.name for p in media.rglob("*") if p.is_file())
    assert names == sorted(f.file.name.rsplit("/", 1)[-1] for f in snap.files.all())
    assert len(names) == 4


@pytest.mark.django_db(transaction=True)
def test_the_report_is_rendered_before_the_transaction(d2, node, cast, renders):
    snap = services.report_finalise(
        actor=cast["controller"], committee=node("AVUN"), event=d2, report_type="delarsrapport"
    )
    assert sorted(fmt for _, fmt, _ in renders) == ["docx", "html", "pdf"]
    assert [open_ for *_, open_ in renders] == [False, False, False]
    assert snap.files.count() == 4
