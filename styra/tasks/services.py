"""Writes: starting a background job, sweeping runs whose worker died, pruning old runs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from styra.org import access
from styra.org.models import OrgNode

from . import progress as live
from . import registry
from .models import UNFINISHED, TaskRun, TaskStatus
from .runner import INTERRUPTED, run_task


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.STYRA_TASK_STALE_SECONDS)


def is_stale(run: TaskRun, heartbeat_at: dt.datetime | None = None) -> bool:
    """A running job whose worker has not been heard of for a while (it was killed)."""
    if run.status != TaskStatus.RUNNING:
        return False
    beat = heartbeat_at or run.heartbeat_at or run.started_at or run.created_at
    return live.now() - beat > stale_after()


def dedupe_key(kind: str, node: OrgNode | None, params: dict) -> str:
    text = json.dumps([kind, node.pk if node else None, params], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _owner(actor):
    """The user who owns the run; None for the system (a command, the demo)."""
    if access.is_system(actor):
        return None
    if not access.user_of(actor):  # anonymous (access.user_of refuses None)
        raise PermissionDenied("Logga in för att starta ett bakgrundsarbete.")
    return actor


@transaction.atomic
def task_start(
    *,
    actor,
    kind: str,
    node: OrgNode | None,
    capability: str,
    title: str,
    params: dict | None = None,
    return_url: str = "",
    return_label: str = "",
) -> TaskRun:
    """Queue the job `kind` with `params` (JSON) on behalf of `actor` (a user, or
    system_actor(...) for commands), who needs `capability` on `node` (a run without a node
    is for superusers and the system). The same job (kind,
    node, params) already waiting or running is returned instead of queued twice, so a
    double click starts one job. Returns at once; a worker runs it."""
    spec = registry.get(kind)
    if spec is None:
        raise ValueError(f"okänt bakgrundsarbete {kind!r} (registreras i <app>/tasks.py)")
    if capability not in access.CAPABILITIES:
        raise ValueError(f"okänd behörighet {capability!r}")
    owner = _owner(actor)
    if owner is not None:
        if node is None:
            if not owner.is_superuser:
                raise PermissionDenied("Bara systemadministratörer får starta det här arbetet.")
        else:
            access.require(owner, capability, node)
    params = json.loads(json.dumps(params or {}))  # JSON only: what the worker will get
    key = dedupe_key(kind, node, params)
    running = (
        TaskRun.objects.select_for_update()
        .filter(dedupe_key=key, status__in=UNFINISHED)
        .order_by("-pk")
    )
    for existing in running:
        if not is_stale(existing):
            return existing
    run = TaskRun.objects.create(
        kind=kind,
        title=title[:200],
        owner=owner,
        node=node,
        capability=capability,
        params=params,
        dedupe_key=key,
        return_url=return_url,
        return_label=return_label,
    )
    # The queue row is written in this transaction too: no worker sees a job whose run
    # was rolled back.
    queued = run_task.using(priority=spec.priority).enqueue(run.pk)
    run.task_result_id = str(queued.id)
    run.save(update_fields=["task_result_id"])
    return run


def task_sweep_stale() -> int:
    """Mark running jobs whose worker stopped answering as failed ("avbrutet")."""
    count = 0
    for run in TaskRun.objects.filter(status=TaskStatus.RUNNING):
        if is_stale(run, live.read(run).heartbeat_at):
            count += TaskRun.objects.filter(pk=run.pk, status=TaskStatus.RUNNING).update(
                status=TaskStatus.FAILED, error=INTERRUPTED, finished_at=live.now()
            )
            live.clear(run.token)
    return count


def task_prune(*, days: int | None = None) -> int:
    """Delete finished runs (and their files) older than `days` (STYRA_TASK_KEEP_DAYS)."""
    from django_tasks_db.models import DBTaskResult

    days = settings.STYRA_TASK_KEEP_DAYS if days is None else days
    cutoff = live.now() - dt.timedelta(days=days)
    old = TaskRun.objects.filter(finished_at__lt=cutoff).exclude(status__in=UNFINISHED)
    count = 0
    for run in old.prefetch_related("files"):
        for f in run.files.all():
            f.file.delete(save=False)
        run.delete()
        count += 1
    DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return count
