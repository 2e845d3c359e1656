"""Background jobs: starting, running on the real queue, progress, results, errors in
Swedish, who may see what, interrupted and old runs."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from styra.org import access
from styra.org.models import RoleGrant
from styra.tasks import progress as live
from styra.tasks.models import TaskFile, TaskRun, TaskStatus
from styra.tasks.registry import background
from styra.tasks.runner import GENERAL_ERROR, TaskFailed
from styra.tasks.selectors import run_state
from styra.tasks.services import task_prune, task_start, task_sweep_stale
from tests.actors import SYSTEM

from .worker import WorkerThread, run_queued

pytestmark = pytest.mark.django_db


@background("tests.count", label="Räkna")
def count_job(job, *, upto: int) -> dict:
    for i in range(upto):
        job.progress(i / upto, f"Räknar {i}")
    job.add_file("tal.txt", ",".join(str(i) for i in range(upto)).encode(), "text/plain")
    return {"summary": f"Räknade till {upto}.", "link": {"url": "/rapporter/", "label": "Vidare"}}


@background("tests.bug", label="Trasig")
def bug_job(job) -> None:
    job.add_file("halv.txt", b"halv", "text/plain")
    raise RuntimeError("intern detalj: /hemlig/sökväg")


@background("tests.invalid", label="Ogiltig")
def invalid_job(job) -> None:
    raise ValidationError("Filen hör till en annan kommun (rad 3).")


@background("tests.input", label="Avvisad fil")
def input_job(job) -> None:
    from styra.lib.errors import InputError, Issue

    raise InputError(
        [Issue("huvudbok.se", 3, "fel organisationsnummer"), Issue("huvudbok.se", 9, "obalans")]
    )


@background("tests.failed", label="Misslyckas")
def failed_job(job) -> None:
    raise TaskFailed("Rapporttillfället finns inte längre.")


def _start(user, node, kind="tests.count", params=None, capability=access.EDIT):
    return task_start(
        actor=user,
        kind=kind,
        node=node,
        capability=capability,
        title="Provarbete",
        params={"upto": 3} if params is None and kind == "tests.count" else (params or {}),
        return_url="/rapporter/",
        return_label="Tillbaka",
    )


def test_start_queues_on_the_real_queue_and_the_worker_runs_it(cast, node, client):
    run = _start(cast["enhetschef"], node("JC"))
    assert run.status == TaskStatus.QUEUED and run.owner == cast["enhetschef"]
    queued = DBTaskResult.objects.get(id=run.task_result_id)
    assert queued.task_path == "styra.tasks.runner.run_task" and queued.status == "READY"
    client.force_login(cast["enhetschef"])
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Väntar" in page and 'hx-trigger="every 2s"' in page and "Uppdatera" in page
    run_queued()
    run.refresh_from_db()
    assert run.status == TaskStatus.DONE and run.progress == 1.0
    assert DBTaskResult.objects.get(id=run.task_result_id).status == "SUCCESSFUL"
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Räknade till 3." in page and "hx-trigger" not in page
    f = run.files.get()
    assert reverse("task_file", args=[run.pk, f.pk]) in page
    download = client.get(reverse("task_file", args=[run.pk, f.pk]))
    assert b"".join(download.streaming_content) == b"0,1,2"
    assert 'href="/rapporter/">Tillbaka' in page


def test_the_same_job_started_twice_is_queued_once(cast, node):
    first = _start(cast["enhetschef"], node("JC"))
    again = _start(cast["controller"], node("JC"))  # a colleague's double click
    assert again.pk == first.pk
    other = _start(cast["enhetschef"], node("JC"), params={"upto": 4})
    assert other.pk != first.pk
    run_queued()
    assert _start(cast["enhetschef"], node("JC")).pk != first.pk  # finished: a new run


def test_starting_needs_the_right_on_the_node(cast, node):
    with pytest.raises(PermissionDenied):
        _start(cast["enhetschef2"], node("JC"))
    with pytest.raises(PermissionDenied):
        _start(cast["ledamot"], node("JC"))  # reads, but may not edit
    with pytest.raises(PermissionDenied):
        _start(cast["controller"], None)  # system jobs: superusers only
    assert TaskRun.objects.count() == 0


def test_a_run_is_seen_only_by_those_with_its_right(cast, node, client):
    run = _start(cast["enhetschef"], node("JC"), capability=access.EDIT)
    for username, status in [
        ("enhetschef", 200),
        ("controller", 200),  # a colleague with the right follows it too
        ("enhetschef2", 403),
        ("ledamot", 403),  # may read Jobbcenter, but the job needs edit
    ]:
        client.force_login(cast[username])
        for url in (run.get_absolute_url(), reverse("task_progress", args=[run.pk])):
            assert client.get(url).status_code == status, (username, url)
    client.logout()
    assert client.get(run.get_absolute_url()).status_code == 302


def test_a_run_started_by_the_system_is_for_superusers(cast, node, client, django_user_model):
    run = _start(SYSTEM, None, capability=access.ADMIN)
    assert run.owner is None
    client.force_login(cast["admin"])  # administrator of the committee, not of the system
    assert client.get(run.get_absolute_url()).status_code == 403
    root = django_user_model.objects.create_superuser("rot", password="x-y-z-1-2-3")
    client.force_login(root)
    assert client.get(run.get_absolute_url()).status_code == 200
    assert run.get_absolute_url() in client.get(reverse("task_list")).content.decode()


def test_the_right_is_checked_again_when_the_job_runs(cast, node):
    run = _start(cast["enhetschef"], node("JC"))
    RoleGrant.objects.filter(user=cast["enhetschef"]).delete()
    run_queued()
    run.refresh_from_db()
    assert run.status == TaskStatus.FAILED
    assert run.error.startswith("Du saknar behörighet") and not run.files.exists()


def test_a_bug_ends_as_a_swedish_message_never_a_traceback(cast, node, client, caplog):
    run = _start(cast["enhetschef"], node("JC"), kind="tests.bug")
    run_queued()
    run.refresh_from_db()
    assert run.status == TaskStatus.FAILED
    assert run.error == GENERAL_ERROR.format(pk=run.pk)
    assert not TaskFile.objects.filter(run=run).exists()  # half a result is removed
    client.force_login(cast["enhetschef"])
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Något gick fel i bakgrundsarbetet" in page
    for leak in ("Traceback", "RuntimeError", "hemlig"):
        assert leak not in page
    assert "RuntimeError" in caplog.text  # the traceback goes to the log


@pytest.mark.parametrize(
    "kind,message",
    [
        ("tests.invalid", "Filen hör till en annan kommun (rad 3)."),
        ("tests.failed", "Rapporttillfället finns inte längre."),
        (
            "tests.input",
            "Inget sparades.<br>huvudbok.se:3: fel organisationsnummer<br>huvudbok.se:9: obalans",
        ),
    ],
)
def test_an_expected_failure_shows_its_own_message(cast, node, client, kind, message):
    run = _start(cast["enhetschef"], node("JC"), kind=kind)
    run_queued()
    client.force_login(cast["enhetschef"])
    page = client.get(run.get_absolute_url()).content.decode()
    assert f'<p class="error">{message}</p>' in page


def test_the_fragment_works_with_htmx_and_without(cast, node, client):
    run = _start(cast["enhetschef"], node("JC"))
    client.force_login(cast["enhetschef"])
    fragment = client.get(reverse("task_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div class="task-state')
    assert f'hx-get="{reverse("task_progress", args=[run.pk])}"' in html
    detail = client.get(run.get_absolute_url()).content.decode()
    # Without JavaScript: the page reloads itself, and a link does the same.
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in detail
    run_queued()
    detail = client.get(run.get_absolute_url()).content.decode()
    assert "http-equiv" not in detail and "hx-get" not in detail


def test_a_worker_that_died_leaves_an_interrupted_run(cast, node, client, settings):
    run = _start(cast["enhetschef"], node("JC"))
    old = live.now() - dt.timedelta(seconds=settings.STYRA_TASK_STALE_SECONDS + 5)
    TaskRun.objects.filter(pk=run.pk).update(
        status=TaskStatus.RUNNING, started_at=old, heartbeat_at=old
    )
    client.force_login(cast["enhetschef"])
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Avbrutet" in page and "Starta det igen" in page
    # A new start is not swallowed by the dead one.
    assert _start(cast["enhetschef"], node("JC")).pk != run.pk
    assert task_sweep_stale() == 1
    run.refresh_from_db()
    assert run.status == TaskStatus.FAILED and "avbröts" in run.error


def test_old_runs_and_their_files_are_pruned(cast, node, settings):
    run = _start(cast["enhetschef"], node("JC"))
    run_queued()
    f = TaskRun.objects.get(pk=run.pk).files.get()
    path = f.file.path
    assert task_prune(days=1) == 0
    TaskRun.objects.filter(pk=run.pk).update(finished_at=live.now() - dt.timedelta(days=2))
    DBTaskResult.objects.update(finished_at=live.now() - dt.timedelta(days=2))
    assert task_prune(days=1) == 1
    assert not TaskRun.objects.exists() and not DBTaskResult.objects.exists()
    import os

    assert not os.path.exists(path)


@pytest.mark.django_db(transaction=True)
def test_styra_worker_batch_runs_what_waits(cast, node):
    run = _start(cast["enhetschef"], node("JC"))
    call_command("worker", batch=True, quiet=True)
    run.refresh_from_db()
    assert run.status == TaskStatus.DONE


# ---------------------------------------------------------------- progress during a long write

STEP = threading.Event()
RELEASE = threading.Event()


@background("tests.long_write", label="Lång skrivning")
def long_write_job(job) -> dict:
    from django.contrib.auth.models import Group

    with transaction.atomic():  # like an all-or-nothing import: one long transaction
        Group.objects.create(name="skrivs i en lång transaktion")
        job.progress(0.5, "Halvvägs genom filen")
        STEP.set()
        if not RELEASE.wait(30):
            raise TaskFailed("testet släppte aldrig arbetet")
    return {"summary": "Klart."}


@pytest.mark.django_db(transaction=True)
def test_progress_reaches_the_page_while_the_job_holds_a_transaction(cast, node, client):
    STEP.clear()
    RELEASE.clear()
    run = _start(cast["controller"], node("AVUN"), kind="tests.long_write")
    client.force_login(cast["controller"])  # (writes the session before the job's transaction)
    worker = WorkerThread()
    worker.start()
    try:
        assert STEP.wait(30), "arbetet startade inte"
        url = reverse("task_progress", args=[run.pk])
        deadline = time.monotonic() + 15
        html = ""
        while time.monotonic() < deadline:
            html = client.get(url).content.decode()
            if "Halvvägs genom filen" in html:
                break
            time.sleep(0.2)
        assert "Halvvägs genom filen" in html and 'value="50"' in html
    finally:
        RELEASE.set()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if TaskRun.objects.get(pk=run.pk).status == TaskStatus.DONE:
                break
            time.sleep(0.1)
        worker.stop()
    run.refresh_from_db()
    assert run.status == TaskStatus.DONE
    assert run_state(run).summary == "Klart."


# ---------------------------------------------------------------- the scale build as a job


def test_step_progress_weighs_the_scale_builds_steps_into_one_rising_fraction():
    from styra.demo.tasks import STEP_SHARES, StepProgress

    seen = []
    progress = StepProgress(lambda fraction, message: seen.append((fraction, message)))
    progress("Organisation", 0, 1)
    progress("Organisation", 1, 1)
    for done in (0, 500_000, 1_000_000):
        progress("Huvudbok (import)", done, 1_000_000)
    progress("Mål och mått", 1, 1)
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0
    assert seen[3] == (
        STEP_SHARES["Organisation"] + STEP_SHARES["Huvudbok (import)"] / 2,
        "Huvudbok (import): 500\u00a0000 av 1\u00a0000\u00a0000",
    )


def test_the_scale_build_runs_as_a_system_job(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # the generated SIE files go here
    run = task_start(
        actor=SYSTEM,
        kind="demo.scale",
        node=None,
        capability=access.ADMIN,
        title="Skaldata: test",
        params={"name": "test"},
    )
    run_queued()
    run.refresh_from_db()
    assert run.status == TaskStatus.DONE, run.error
    assert "Testkommun (skala)" in run.result["summary"] and run.progress == 1.0


# ---------------------------------------------------------------- several workers


@background("tests.slow", label="Långsam")
def slow_job(job, *, n: int) -> dict:
    time.sleep(0.3)
    return {"summary": str(n)}


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_the_queue_and_never_run_a_job_twice(cast, node):
    """PostgreSQL: workers on several hosts claim jobs with SKIP LOCKED (two threads with
    their own connections stand for two hosts)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("flera bakgrundsprocesser på en gång kräver PostgreSQL (SQLite: en process)")
    runs = [_start(cast["controller"], node("AVUN"), "tests.slow", {"n": n}) for n in range(8)]
    workers = [WorkerThread(), WorkerThread()]
    for w in workers:
        w.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not TaskRun.objects.filter(status__in=["queued", "running"]).exists():
                break
            time.sleep(0.1)
    finally:
        for w in workers:
            w.stop()
    results = DBTaskResult.objects.filter(id__in=[r.task_result_id for r in runs])
    assert all(len(r.worker_ids) == 1 for r in results)  # each claimed once
    assert len({r.worker_ids[0] for r in results}) == 2  # and both workers worked
    assert sorted(int(r.result["summary"]) for r in TaskRun.objects.all()) == list(range(8))
