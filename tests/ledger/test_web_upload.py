"""The web ledger upload (Django's test client, a real task worker run in the test): the
file is streamed to disk under a name the server chooses, size-limited, checked and saved
in the background; no request value names a file on the server; the save token is bound
to the user and the municipality; stored files go after the save or when they expire."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from styra.ledger import uploads
from styra.ledger.models import LedgerImport, Transaction
from styra.ledger.sie_write import SieVoucher, write_sie4
from styra.tasks.models import TaskRun, TaskStatus
from tests.tasks.worker import run_queued

pytestmark = pytest.mark.django_db

JAN = dt.date(2020, 1, 15)


def sie_bytes(tmp_path, *, org="212000-2882", company="Botkyrka (demo)", ansvar="4000") -> bytes:
    path = tmp_path / "hb.se"
    write_sie4(
        path,
        company=company,
        org_number=org,
        year=2020,
        accounts={"1930": "Bank", "5010": "Löner"},
        dimensions={"1": "Ansvar"},
        objects=[],
        vouchers=[
            SieVoucher(
                "A",
                "1",
                JAN,
                "Löner",
                [("5010", (("1", ansvar),), 1000_00, ""), ("1930", (), -1000_00, "")],
            )
        ],
    )
    return path.read_bytes()


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def controller(client, cast):
    client.force_login(cast["controller"])
    return client


def upload(client, committee, data: bytes, name="hb.se", **extra):
    return client.post(
        reverse("ledger_upload", args=[committee.pk]),
        {"fil": SimpleUploadedFile(name, data), **extra},
    )


def check(client, committee, data, **extra) -> TaskRun:
    response = upload(client, committee, data, **extra)
    assert response.status_code == 302, response.content.decode()[:2000]
    run = TaskRun.objects.filter(kind="ledger.check").latest("pk")
    assert response["Location"] == reverse("ledger_preview", args=[committee.pk, run.pk])
    run_queued()
    run.refresh_from_db()
    assert run.status == TaskStatus.DONE, run.error
    return run


def stored_files():
    folder = uploads.upload_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_upload_check_and_save_in_the_background(controller, node, tmp_path):
    avun = node("AVUN")
    run = check(controller, avun, sie_bytes(tmp_path))
    page = controller.get(reverse("ledger_preview", args=[avun.pk, run.pk])).content.decode()
    for fact in ("Botkyrka (demo)", "212000-2882", "2020", "1–1", "-1 000,00", "0,00"):
        assert fact in page.replace("\u00a0", " "), fact
    assert "Spara i huvudboken" in page and len(stored_files()) == 1
    response = controller.post(reverse("ledger_commit", args=[avun.pk, run.pk]))
    save = TaskRun.objects.get(kind="ledger.save")
    assert response.status_code == 302 and not Transaction.objects.exists()
    run_queued()
    save.refresh_from_db()
    assert save.status == TaskStatus.DONE, save.error
    assert "hb.se är inläst: 2 rader" in save.result["summary"]
    assert Transaction.objects.count() == 2
    assert stored_files() == []  # removed after the save


def test_a_posted_mapping_path_is_never_opened(controller, node, tmp_path):
    secret = tmp_path / "hemlig.yaml"
    secret.write_text("HEMLIGT_VÄRDE:\nNYCKEL_ETT: 1\n", encoding="utf-8")
    avun = node("AVUN")
    csv = b"Konto;Belopp;Period\n5010;1,00;202001\n"
    response = upload(controller, avun, csv, name="u.csv", mapping=str(secret))
    assert response.status_code == 400
    assert "Kolumnbeskrivning" in response.content.decode()
    assert not TaskRun.objects.exists() and stored_files() == []
    run = check(controller, avun, sie_bytes(tmp_path), mapping=str(secret))
    text = (
        str(run.result)
        + controller.get(reverse("ledger_preview", args=[avun.pk, run.pk])).content.decode()
    )
    assert "HEMLIGT" not in text and "NYCKEL" not in text and "hemlig" not in text


def test_a_csv_file_with_its_column_description_can_be_saved(controller, node):
    from styra.ledger.models import Account

    avun = node("AVUN")
    for number in ("5010", "1930"):
        Account.objects.create(municipality=avun.municipality, number=number)
    csv = b"Konto;Belopp;Period;Ansvar\n5010;1234,50;202001;4000\n1930;-1234,50;202001;\n"
    mapping = (
        b"format: csv\ndelimiter: ';'\ndecimal: comma\ncolumns:\n  account: Konto\n"
        b"  amount: Belopp\n  period: Period\n  dimensions:\n    ansvar: Ansvar\n"
    )
    run = check(
        controller,
        avun,
        csv,
        name="utfall.csv",
        kolumner=SimpleUploadedFile("kolumner.yaml", mapping),
    )
    assert run.result["preview"]["errors"] == [], run.result["preview"]
    controller.post(reverse("ledger_commit", args=[avun.pk, run.pk]))
    run_queued()
    save = TaskRun.objects.get(kind="ledger.save")
    assert save.status == TaskStatus.DONE, save.error
    assert sorted(Transaction.objects.values_list("amount_ore", flat=True)) == [-123450, 123450]


def test_another_organisations_file_needs_the_box_ticked(controller, node, tmp_path):
    avun = node("AVUN")
    run = check(controller, avun, sie_bytes(tmp_path, org="556000-0167", company="Bolaget AB"))
    page = controller.get(reverse("ledger_preview", args=[avun.pk, run.pk])).content.decode()
    assert "556000-0167" in page and "annan organisation" in page
    response = controller.post(reverse("ledger_commit", args=[avun.pk, run.pk]))
    assert response.status_code == 400
    assert 'id="annan-fel"' in response.content.decode()
    assert not TaskRun.objects.filter(kind="ledger.save").exists()
    controller.post(reverse("ledger_commit", args=[avun.pk, run.pk]), {"annan_organisation": "ja"})
    run_queued()
    assert TaskRun.objects.get(kind="ledger.save").status == TaskStatus.DONE
    assert Transaction.objects.count() == 2


def test_a_mostly_unmapped_file_needs_the_box_ticked(controller, node, tmp_path):
    avun = node("AVUN")
    run = check(controller, avun, sie_bytes(tmp_path, ansvar="9999"))
    assert run.result["preview"]["mostly_unmapped"]
    response = controller.post(reverse("ledger_commit", args=[avun.pk, run.pk]))
    assert response.status_code == 400 and 'id="ejkopplat-fel"' in response.content.decode()
    controller.post(reverse("ledger_commit", args=[avun.pk, run.pk]), {"mest_ej_kopplat": "ja"})
    run_queued()
    assert TaskRun.objects.get(kind="ledger.save").status == TaskStatus.DONE


def test_an_upload_over_the_limit_is_stopped(controller, node, settings):
    settings.STYRA_LEDGER_UPLOAD_MAX_MB = 1
    response = upload(controller, node("AVUN"), b"#" * (3 * 1024 * 1024))
    assert response.status_code == 400
    assert "större än 1 MB" in response.content.decode()
    assert stored_files() == [] and not TaskRun.objects.exists()


def test_the_token_is_bound_to_user_and_municipality(cast, node, tmp_path):
    from styra.org.models import Municipality

    class Upload:
        name = "hb.se"

        def chunks(self):
            yield b"#FLAGGA 0\n"

    avun = node("AVUN")
    preview = uploads.store(Upload())
    token = uploads.token_for(preview, user=cast["controller"], municipality=avun.municipality)
    assert uploads.open_token(
        token, user=cast["controller"], municipality=avun.municipality
    ).path == (preview.path)
    other = Municipality.objects.create(name="Annan kommun", org_number="212000-0142")
    for user, muni in ((cast["admin"], avun.municipality), (cast["controller"], other)):
        with pytest.raises(uploads.PreviewGone):
            uploads.open_token(token, user=user, municipality=muni)
    with pytest.raises(uploads.PreviewGone):
        uploads.open_token(
            token[:-2] + "xx", user=cast["controller"], municipality=avun.municipality
        )


def test_stored_files_expire(settings):
    settings.STYRA_LEDGER_PREVIEW_HOURS = 1
    folder = uploads.upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    old, new = folder / ("a" * 32 + ".se"), folder / ("b" * 32 + ".se")
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    assert uploads.sweep() == 1
    assert stored_files() == [new.name]


def test_the_ledger_page_works_after_a_command_line_import(controller, node, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "cli.se"
    path.write_bytes(sie_bytes(tmp_path))
    call_command("ledger", "import", str(path))
    assert LedgerImport.objects.get().imported_by is None
    response = controller.get(reverse("ledger_home", args=[node("AVUN").pk]))
    assert response.status_code == 200
    assert "kommandorad" in response.content.decode()


def test_undo_runs_in_the_background_and_is_refused_for_locked_periods(controller, node, tmp_path):
    from styra.calendar.models import EventStatus, ReportingEvent

    avun = node("AVUN")
    path = tmp_path / "cli.se"
    path.write_bytes(sie_bytes(tmp_path))
    from django.core.management import call_command

    call_command("ledger", "import", str(path))
    imp = LedgerImport.objects.get()
    url = reverse("ledger_undo", args=[avun.pk, imp.pk])
    event = ReportingEvent.objects.create(
        committee=avun, year=2020, code="2020-01", name="Prognos januari", cutoff_period=1
    )
    event.status = EventStatus.APPROVED
    event.save()
    page = controller.get(url).content.decode()
    assert "Prognos januari" in page and "kan inte ångras" in page
    controller.post(url)
    run_queued()
    run = TaskRun.objects.get(kind="ledger.undo")
    assert run.status == TaskStatus.FAILED and "Prognos januari" in run.error
    assert Transaction.objects.count() == 2

    event.status = EventStatus.OPEN
    event.save()
    assert "Ångra inläsningen" in controller.get(url).content.decode()
    response = controller.post(url)
    assert response.status_code == 302 and Transaction.objects.count() == 2  # not yet
    run_queued()
    assert LedgerImport.objects.get().state == "ångrad" and not Transaction.objects.exists()
