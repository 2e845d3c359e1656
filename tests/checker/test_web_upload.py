"""The checker's web page: an upload is checked by a background job (a real worker on the
test database) and the findings page lists what it found. Limits hold before anything is
stored, and messages name the uploaded file, never a server path."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from styra.checker import tasks as checker_tasks
from styra.checker.limits import Limits
from styra.tasks.models import TaskRun, TaskStatus
from styra.tasks.runner import TaskFailed
from tests.tasks.worker import run_queued

# Avvikelse = Prognos − Budget holds in the unit rows (10, 50) but the total row says 70
# where its parts give 60 and Prognos − Budget gives 50.
REPORT = (
    "Belopp i tkr\tBudget 2020\tPrognos helår 2020\tAvvikelse 2020\n"
    "Enhet A\t-100\t-90\t10\n"
    "Enhet B\t-200\t-150\t50\n"
    "Total\t-300\t-240\t70\n"
)
CLEAN = REPORT.replace("-240\t70", "-240\t60")


def _upload(client, name: str, data: bytes):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("check_upload"), {"rapport": upload})


def _uploads(settings) -> list:
    root = checker_tasks.upload_root()
    return sorted(root.iterdir()) if root.is_dir() else []


@pytest.mark.django_db
def test_upload_is_checked_in_the_background_and_the_findings_are_shown(client, cast):
    client.force_login(cast["ledamot"])
    response = _upload(client, "rapport.txt", REPORT.encode())
    run = TaskRun.objects.get(kind="checker.check")
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    assert run.status == TaskStatus.QUEUED  # nothing checked inside the request
    run_queued()
    run.refresh_from_db()
    assert run.status == TaskStatus.DONE, run.error
    findings = run.result["check"]["findings"]
    assert {f["found"] for f in findings} == {"70"}
    assert any(f["expected"] == "60" for f in findings)
    page = client.get(reverse("check_result", args=[run.pk])).content.decode()
    assert "rapport.txt" in page and "Står: <strong>70</strong>" in page
    assert _uploads(None) == []  # the upload is gone when the job has ended


@pytest.mark.django_db
def test_a_report_that_adds_up_has_no_findings(client, cast):
    client.force_login(cast["ledamot"])
    _upload(client, "ren.txt", CLEAN.encode())
    run_queued()
    run = TaskRun.objects.get(kind="checker.check")
    assert run.status == TaskStatus.DONE and run.result["check"]["findings"] == []
    assert "Inga avvikelser" in client.get(reverse("check_result", args=[run.pk])).content.decode()


@pytest.mark.django_db
def test_junk_fails_with_the_files_own_name_and_no_server_path(client, cast, settings):
    client.force_login(cast["ledamot"])
    _upload(client, "trasig.pdf", b"%PDF-1.4 trasig")
    run_queued()
    run = TaskRun.objects.get(kind="checker.check")
    assert run.status == TaskStatus.FAILED
    assert "trasig.pdf" in run.error and "Kan inte kontrollera" in run.error
    assert str(settings.MEDIA_ROOT) not in run.error and "/tmp" not in run.error
    assert "rapport.pdf" not in run.error  # the server's own name for it
    assert _uploads(settings) == []


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_refused_before_it_is_stored(client, cast, settings):
    client.force_login(cast["ledamot"])
    with override_settings(STYRA_CHECK_MAX_BYTES=1000):
        response = _upload(client, "stor.txt", b"Summa 1\n" * 200)
        assert response.status_code == 413
        assert "större än gränsen" in response.content.decode()
        response = _upload(client, "liten.txt", CLEAN.encode())
        assert response.status_code == 302
    assert TaskRun.objects.filter(kind="checker.check").count() == 1


@pytest.mark.django_db
def test_the_size_limit_holds_while_the_body_streams(rf, cast, settings):
    """A client may lie about the length; the handler stops at the limit all the same."""
    from styra.checker.views import SizeLimit

    handler = SizeLimit(rf.post("/"), 100)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(Exception) as caught:
        handler.receive_data_chunk(b"x" * 60, 60)
    assert handler.exceeded and type(caught.value).__name__ == "StopUpload"


def test_a_check_over_its_time_limit_is_stopped(tmp_path):
    report = tmp_path / "rapport.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert checker_tasks.run_check(report, "r.txt", Limits(seconds=60))["summary"]["fel"] >= 1
    with pytest.raises(TaskFailed, match="tog längre än"):
        checker_tasks.run_check(report, "r.txt", Limits(seconds=0.001))


def test_job_parameters_never_name_a_server_path():
    for token, suffix in [("../../etc", ".txt"), ("a" * 32, "/../x"), ("/etc/passwd", "")]:
        with pytest.raises(TaskFailed):
            checker_tasks.upload_path(token, suffix)
    assert checker_tasks.upload_path("a" * 32, ".pdf").name == "rapport.pdf"


@pytest.mark.django_db
def test_someone_else_cannot_see_the_findings(client, cast):
    """The run belongs to the uploader's own node: a unit manager's check is not open to
    the manager of another unit."""
    client.force_login(cast["enhetschef"])
    _upload(client, "rapport.txt", REPORT.encode())
    run_queued()
    run = TaskRun.objects.get(kind="checker.check")
    assert client.get(reverse("check_result", args=[run.pk])).status_code == 200
    client.force_login(cast["enhetschef2"])
    assert client.get(reverse("check_result", args=[run.pk])).status_code in (403, 404)


def test_a_pdf_is_checked_inside_the_memory_limit(tmp_path):
    """pdfium maps memory of its own: the child's address-space limit must leave room."""
    from styra.checker import sample

    report = tmp_path / "rapport.pdf"
    sample.write_pdf(sample.make_report(2, {"enhetssumma"}), report)
    data = checker_tasks.run_check(report, "r.pdf", checker_tasks.limits())
    assert data["error"] is None and data["format"] == "pdf" and data["summary"]["fel"] >= 1
