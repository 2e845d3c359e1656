"""A real task worker for tests: django-tasks-db's own worker loop (what `styra worker`
runs), on the test database, in this process.

    run_queued()           run every queued job now, in this thread, then return
    WorkerThread().start() a worker in a thread that keeps polling until stop()

The thread has its own database connection, like a worker on another host. With SQLite
the test database is in memory, one shared cache for every connection of the test process
(the test, the live server's request threads, the worker); there an EXCLUSIVE transaction,
which the worker takes to claim a job on a real SQLite file, locks out the other
connections' reads at once instead of making them wait, so the test worker claims in an
ordinary transaction (it is the only worker: no other can claim the same job).
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from unittest import mock

from django.db import OperationalError, connection, connections, transaction

WORKER = "django_tasks_db.management.commands.db_worker"
_ids = itertools.count(1)


def _worker(*, batch: bool, interval: float = 0.05):
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"test-{next(_ids)}",
        excluded_queue_names=[],
    )


def run_queued() -> None:
    """Run what waits, in this thread. Inside a test's transaction (the `db` fixture) the
    worker must not recycle the connection between jobs (that would end the test's
    transaction), just as Django's test client keeps it across requests."""
    with contextlib.ExitStack() as stack:
        if connection.in_atomic_block:
            stack.enter_context(mock.patch(f"{WORKER}.close_old_connections", lambda: None))
        _worker(batch=True).run()


class WorkerThread(threading.Thread):
    def __init__(self):
        super().__init__(name="styra-test-worker", daemon=True)
        self.worker = _worker(batch=False, interval=0.2)
        self.error: BaseException | None = None

    def run(self) -> None:
        from django_tasks_db.utils import is_locked_database_exception

        try:
            with contextlib.ExitStack() as stack:
                if connection.vendor == "sqlite" and connection.is_in_memory_db():
                    stack.enter_context(
                        mock.patch(f"{WORKER}.exclusive_transaction", transaction.atomic)
                    )
                while self.worker.running:
                    try:
                        self.worker.run()
                    except OperationalError as exc:
                        if not is_locked_database_exception(exc):  # busy: try again
                            raise
                        time.sleep(0.05)
        except BaseException as exc:  # reported by stop()
            self.error = exc
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.worker.running = False
        if self.is_alive():
            self.join(timeout=60)
        if self.error is not None:
            raise self.error
