"""Running one job in a worker: the single django-tasks task `run_task(run_id)` looks up the
TaskRun, authorises it again, runs the registered function and stores its result or a
Swedish error. A heartbeat thread writes progress while the function works."""

from __future__ import annotations

import hashlib
import logging
import threading
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django_tasks import task

from styra.lib.errors import InputError, UsageError
from styra.org import access

from . import progress as live
from . import registry
from .models import TaskFile, TaskRun, TaskStatus

logger = logging.getLogger("styra.tasks")

HEARTBEAT_SECONDS = 5.0  # a running job says it is alive at least this often
FLUSH_SECONDS = 0.5  # progress reaches the page at most this late


class TaskFailed(Exception):
    """A job's own failure, with a Swedish message for the person who started it."""


MAX_ISSUES_SHOWN = 50


def user_message(exc: BaseException) -> str | None:
    """The Swedish message an exception carries for the user, or None for a bug."""
    if isinstance(exc, InputError):  # refused input: every problem with file and line
        issues = exc.errors or exc.issues
        lines = [str(i) for i in issues[:MAX_ISSUES_SHOWN]]
        if len(issues) > MAX_ISSUES_SHOWN:
            lines.append(f"… och {len(issues) - MAX_ISSUES_SHOWN} till.")
        return "Inget sparades.\n" + "\n".join(lines)
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, TaskFailed | PermissionDenied | UsageError):
        return str(exc)
    user_text = getattr(exc, "user_message", None)  # error types that carry one (readers)
    if isinstance(user_text, str) and user_text:
        return user_text
    return None


class Reporter(threading.Thread):
    """Writes the job's latest progress and a heartbeat from its own thread (and so its own
    database connection), whatever transaction the job itself is in."""

    def __init__(self, run: TaskRun):
        super().__init__(name=f"styra-task-{run.pk}", daemon=True)
        self.run_id, self.token = run.pk, run.token
        self._lock = threading.Lock()
        self._state = (0.0, "")
        self._dirty = True
        self._halt = threading.Event()

    def set(self, fraction: float, message: str) -> None:
        with self._lock:
            self._state = (fraction, message)
            self._dirty = True

    def run(self) -> None:
        last_beat = 0.0
        try:
            while not self._halt.wait(FLUSH_SECONDS):
                with self._lock:
                    dirty, state = self._dirty, self._state
                    self._dirty = False
                if dirty or time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                    try:
                        live.write(self.run_id, self.token, *state, live.now())
                    except Exception:  # progress is a courtesy: never let it stop the job
                        logger.warning("förloppet för arbete %s kunde inte skrivas", self.run_id)
                    last_beat = time.monotonic()
        finally:
            connection.close()

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)


class Job:
    """What a job function gets: the run, its actor, progress and files."""

    def __init__(self, run: TaskRun, reporter: Reporter | None = None):
        self.run = run
        self._reporter = reporter
        self.files: list[TaskFile] = []

    @property
    def actor(self):
        """Whom the job acts for: the user who started it, or system_actor("task") for a
        run the system started (a command, the demo)."""
        return self.run.owner or access.system_actor("task")

    def progress(self, fraction: float, message: str = "") -> None:
        """How far the job has come (0–1) and what it does now, in Swedish."""
        if self._reporter is not None:
            self._reporter.set(min(1.0, max(0.0, fraction)), message)

    def add_file(self, name: str, content: bytes, content_type: str, label: str = "") -> TaskFile:
        """Store a file the job produced; the run's page offers it for download."""
        f = TaskFile(
            run=self.run,
            name=name,
            label=label,
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        f.file.save(name, ContentFile(content), save=False)
        f.save()
        self.files.append(f)
        return f


@task()
def run_task(run_id: int) -> None:
    """The one queue task: run the TaskRun `run_id` (see execute)."""
    execute(run_id)


GENERAL_ERROR = (
    "Något gick fel i bakgrundsarbetet (nummer {pk}). Felet är loggat; försök igen, och "
    "kontakta systemförvaltningen om det upprepas."
)
INTERRUPTED = "Arbetet avbröts när bakgrundsprocessen stoppades. Starta det igen."


def execute(run_id: int) -> None:
    """Run a queued TaskRun once; store its result or its error. Never raises for the job's
    own failures (the queue sees success; the run says what happened)."""
    claimed = TaskRun.objects.filter(pk=run_id, status=TaskStatus.QUEUED).update(
        status=TaskStatus.RUNNING, started_at=live.now(), heartbeat_at=live.now()
    )
    if not claimed:
        logger.warning("arbete %s väntar inte (redan kört eller borttaget)", run_id)
        return
    run = TaskRun.objects.select_related("owner", "node").get(pk=run_id)
    reporter = Reporter(run)
    reporter.start()
    job = Job(run, reporter)
    t0 = time.perf_counter()
    logger.info("startar arbete %s: %s", run.pk, run.title)
    try:
        kind = registry.get(run.kind)
        if kind is None:
            raise TaskFailed(f"Okänt slags bakgrundsarbete: {run.kind}.")
        authorise(run)
        result = kind.run(job, **run.params) or {}
    except Exception as exc:
        message = user_message(exc)
        if message is None:
            logger.exception("arbete %s (%s) misslyckades", run.pk, run.kind)
            message = GENERAL_ERROR.format(pk=run.pk)
        else:
            logger.info("arbete %s avslutades med fel: %s", run.pk, message)
        reporter.stop()
        _finish(run, job, status=TaskStatus.FAILED, error=message)
    except BaseException:  # the worker is being stopped: say so, then let it stop
        reporter.stop()
        _finish(run, job, status=TaskStatus.FAILED, error=INTERRUPTED)
        raise
    else:
        reporter.stop()
        _finish(run, job, status=TaskStatus.DONE, result=result)
        logger.info("arbete %s klart på %.1f s", run.pk, time.perf_counter() - t0)


def authorise(run: TaskRun) -> None:
    """The owner must still hold the right on the node when the job runs (roles change)."""
    if run.owner is None:
        return  # a system run, started by a command on the server
    if run.node is None:
        if not run.owner.is_superuser:
            raise PermissionDenied("Bara systemadministratörer får köra det här arbetet.")
        return
    access.require(run.owner, run.capability, run.node)


def _finish(run: TaskRun, job: Job, *, status: str, result=None, error: str = "") -> None:
    if status == TaskStatus.FAILED:
        for f in job.files:  # half a result is no result
            f.file.delete(save=False)
            f.delete()
    fresh = TaskRun.objects.filter(pk=run.pk).first()
    last = live.read(fresh) if fresh is not None else live.Live(0.0, "", None)
    now = live.now()
    TaskRun.objects.filter(pk=run.pk).update(
        status=status,
        result=result,
        error=error,
        # A failed run keeps how far it came and what it was doing, for the message.
        progress=1.0 if status == TaskStatus.DONE else last.progress,
        message="" if status == TaskStatus.DONE else last.message,
        finished_at=now,
        heartbeat_at=now,
    )
    live.clear(run.token)
