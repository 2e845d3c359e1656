"""Reads: which runs a person may see, and what a run's page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from styra.org import access

from . import progress as live
from . import registry
from .models import TaskFile, TaskRun, TaskStatus
from .services import is_stale

QUEUE_HINT_AFTER = dt.timedelta(minutes=1)


def can_see(user, run: TaskRun) -> bool:
    """The run's right on the run's node, checked at every look (roles change). Colleagues
    with the same right see it too: a controller can follow an import another started. Runs
    without a node (started by the system) are for superusers."""
    if not user.is_authenticated:
        return False
    if run.node is None:
        return bool(user.is_superuser)
    return access.can(user, run.capability, run.node)


def run_for(user, pk: int) -> TaskRun:
    run = TaskRun.objects.select_related("owner", "node").filter(pk=pk).first()
    if run is None:
        raise Http404("Det finns inget sådant bakgrundsarbete.")
    if not can_see(user, run):
        raise PermissionDenied("Du saknar behörighet att se det här bakgrundsarbetet.")
    return run


def file_for(run: TaskRun, file_id: int) -> TaskFile:
    f = run.files.filter(pk=file_id).first()
    if f is None:
        raise Http404("Filen finns inte (arbetet kan vara borttaget).")
    return f


def runs_for(user, limit: int = 50) -> list[TaskRun]:
    """The runs the user started, newest first (superusers: every run)."""
    if not user.is_authenticated:
        return []
    runs = TaskRun.objects.select_related("node").order_by("-created_at", "-pk")
    if not user.is_superuser:
        runs = runs.filter(owner=user)
    return [r for r in runs[:limit] if can_see(user, r)]


@dataclass(frozen=True)
class RunState:
    """What the progress fragment shows."""

    run: TaskRun
    status: str  # queued, running, done, failed, interrupted
    label: str  # Swedish
    percent: int
    message: str
    ahead: int  # runs queued before this one
    waited_long: bool  # queued for more than a minute: is a worker running?
    summary: str
    link: dict | None
    error: str
    files: list[TaskFile]
    kind_label: str

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "interrupted")


def run_state(run: TaskRun) -> RunState:
    now = live.read(run)
    status = run.status
    label = run.get_status_display()
    error = run.error
    if is_stale(run, now.heartbeat_at):
        status, label = "interrupted", "Avbrutet"
        error = (
            "Bakgrundsprocessen har inte hört av sig på en stund; arbetet har troligen "
            "avbrutits. Starta det igen."
        )
    ahead = 0
    waited_long = False
    if status == TaskStatus.QUEUED:
        ahead = TaskRun.objects.filter(
            status=TaskStatus.QUEUED, created_at__lt=run.created_at
        ).count()
        waited_long = live.now() - run.created_at > QUEUE_HINT_AFTER
    result = run.result if isinstance(run.result, dict) else {}
    link = result.get("link")
    if not (isinstance(link, dict) and link.get("url") and link.get("label")):
        link = None
    spec = registry.get(run.kind)
    return RunState(
        run=run,
        status=status,
        label=label,
        percent=round(100 * now.progress),
        message=now.message,
        ahead=ahead,
        waited_long=waited_long,
        summary=str(result.get("summary") or ""),
        link=link,
        error=error,
        files=list(run.files.all()) if status == TaskStatus.DONE else [],
        kind_label=spec.label if spec else run.kind,
    )


def latest_run(kind: str, node, params: dict) -> TaskRun | None:
    """The newest run of the same job (kind, node, params), for the page that starts it."""
    from .services import dedupe_key

    return (
        TaskRun.objects.select_related("owner", "node")
        .filter(dedupe_key=dedupe_key(kind, node, params))
        .order_by("-pk")
        .first()
    )
