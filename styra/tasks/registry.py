"""The kinds of background job, registered by name from each app's tasks.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str  # "<app>.<what>", stored on every run
    label: str  # Swedish, shown in lists ("Rapportfiler")
    run: Callable[..., dict | None]  # run(job, **params) -> result
    priority: int = 0  # -100..100; people waiting at a page go before bulk work


KINDS: dict[str, Kind] = {}


def background(name: str, *, label: str, priority: int = 0):
    """Register `fn(job, **params) -> dict | None` as the job `name`.

    `job` (styra.tasks.runner.Job) reports progress, adds files and names the actor; the
    returned dict is the result: optional "summary" (a Swedish sentence) and "link"
    ({"url", "label"}) are shown on the page. Raise TaskFailed, ValidationError or
    PermissionDenied with a Swedish message to fail with that message; anything else fails
    with a general message and the traceback goes to the log.
    """

    def register(fn):
        old = KINDS.get(name)
        if old and (old.run.__module__, old.run.__qualname__) != (fn.__module__, fn.__qualname__):
            raise ValueError(f"bakgrundsarbetet {name!r} är redan registrerat")
        KINDS[name] = Kind(name=name, label=label, run=fn, priority=priority)
        return fn

    return register


def get(name: str) -> Kind | None:
    return KINDS.get(name)
