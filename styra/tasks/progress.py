"""Progress of a running job, written while the job's own work may hold a long write
transaction (an all-or-nothing import keeps one open for its whole run).

PostgreSQL: the worker's reporter thread updates the run's row over the thread's own
connection (autocommit, skipping the row if anything holds a lock on it); pages read the row.
SQLite has one writer at a time, and the job's transaction may be that writer for a minute:
progress goes to a small JSON file under VAR_DIR/tasks/ instead, named by the run's token
(SQLite means one host, so the web server reads the same file). The row gets the final
state when the job ends either way.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone


@dataclass(frozen=True)
class Live:
    progress: float
    message: str
    heartbeat_at: dt.datetime | None


def uses_file() -> bool:
    return connection.vendor == "sqlite"


def progress_path(token) -> Path:
    return Path(settings.VAR_DIR) / "tasks" / f"{token}.json"


def write(run_id: int, token, progress: float, message: str, heartbeat_at: dt.datetime) -> None:
    progress = min(1.0, max(0.0, float(progress)))
    message = message[:300]
    if uses_file():
        path = progress_path(token)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(
            json.dumps(
                {"progress": progress, "message": message, "heartbeat_at": heartbeat_at.isoformat()}
            ),
            encoding="utf-8",
        )
        os.replace(tmp, path)
        return
    from .models import TaskRun

    with transaction.atomic():
        free = TaskRun.objects.select_for_update(skip_locked=True).filter(pk=run_id)
        if free.values_list("pk", flat=True).first() is not None:
            TaskRun.objects.filter(pk=run_id).update(
                progress=progress, message=message, heartbeat_at=heartbeat_at
            )


def read(run) -> Live:
    """The latest progress of `run` (a TaskRun as read from the database)."""
    from .models import TaskStatus

    if run.status == TaskStatus.RUNNING and uses_file():
        try:
            data = json.loads(progress_path(run.token).read_text(encoding="utf-8"))
            return Live(
                float(data["progress"]),
                str(data["message"]),
                dt.datetime.fromisoformat(data["heartbeat_at"]),
            )
        except (OSError, ValueError, KeyError):
            pass  # not written yet, or just removed because the run ended: the row is current
    return Live(run.progress, run.message, run.heartbeat_at)


def clear(token) -> None:
    progress_path(token).unlink(missing_ok=True)


def now() -> dt.datetime:
    return timezone.now()
