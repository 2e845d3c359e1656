"""The web check as a background job: the uploaded file waits in MEDIA_ROOT under a name
the server made, a worker checks it in a child process with a time and memory limit, and
the findings are stored on the run (shown by the checker's result page). The upload is
removed when the job ends, whatever happens."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from styra.tasks.registry import background
from styra.tasks.runner import TaskFailed

from .limits import Limits, as_env

UPLOAD_DIR = "checker-uploads"
SUFFIXES = (".pdf", ".docx", ".txt", "")
MAX_FINDINGS_KEPT = 500
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
UNCLAIMED_AFTER = 24 * 3600  # uploads whose job never ran are removed after a day


def limits() -> Limits:
    return Limits(
        max_bytes=settings.STYRA_CHECK_MAX_BYTES,
        max_lines=settings.STYRA_CHECK_MAX_LINES,
        max_line_chars=settings.STYRA_CHECK_MAX_LINE_CHARS,
        max_pages=settings.STYRA_CHECK_MAX_PAGES,
        max_unpacked=settings.STYRA_CHECK_MAX_UNPACKED,
        seconds=settings.STYRA_CHECK_SECONDS,
        memory_mb=settings.STYRA_CHECK_MEMORY_MB,
    )


def upload_root() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR


def upload_path(token: str, suffix: str) -> Path:
    """Where an upload waits: both parts are checked, so no request value names a path."""
    if not _TOKEN.match(token or "") or suffix not in SUFFIXES:
        raise TaskFailed("Den uppladdade filen finns inte längre.")
    return upload_root() / token / f"rapport{suffix}"


def sweep_unclaimed(now: float | None = None) -> int:
    now = time.time() if now is None else now
    count = 0
    root = upload_root()
    if not root.is_dir():
        return 0
    for folder in root.iterdir():
        try:
            if now - folder.stat().st_mtime > UNCLAIMED_AFTER:
                shutil.rmtree(folder, ignore_errors=True)
                count += 1
        except OSError:
            continue
    return count


def _limit_memory(megabytes: int):
    def apply() -> None:  # runs in the child before it starts
        import resource

        size = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return apply


def run_check(path: Path, name: str, lim: Limits) -> dict:
    """`styra check --format json` on `path` in a child process; the result's dict."""
    out = path.with_name("resultat.json")
    env = {**os.environ, **as_env(lim)}
    cmd = [sys.executable, "-m", "styra.checker.cli", "--format", "json", "--namn", name]
    cmd += ["-o", str(out), str(path)]
    try:
        proc = subprocess.run(
            cmd,
            env=env,
            capture_output=True,
            timeout=lim.seconds,
            preexec_fn=_limit_memory(lim.memory_mb) if os.name == "posix" else None,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise TaskFailed(
            f"Kontrollen av {name} tog längre än {lim.seconds} sekunder och avbröts. Dela upp "
            "rapporten eller kontrollera den med `styra check` på en egen dator."
        ) from None
    if proc.returncode not in (0, 1, 2) or not out.is_file():
        raise TaskFailed(
            f"Kontrollen av {name} avbröts: filen kräver mer minne än gränsen "
            f"{lim.memory_mb} MB eller kunde inte läsas."
        )
    try:
        return json.loads(out.read_text(encoding="utf-8"))
    except ValueError:
        raise TaskFailed(f"Kontrollen av {name} gav inget läsbart resultat.") from None


@background("checker.check", label="Granskning av rapport", priority=20)
def check_upload(job, *, upload: str, suffix: str, name: str) -> dict:
    path = upload_path(upload, suffix)
    try:
        sweep_unclaimed()
        if not path.is_file():
            raise TaskFailed("Den uppladdade filen finns inte längre; ladda upp den igen.")
        job.progress(0.1, f"Läser och kontrollerar {name}")
        data = run_check(path, name, limits())
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    if data.get("error"):
        raise TaskFailed(f"Kan inte kontrollera filen: {data['error']}")
    findings = data.get("findings") or []
    kept = findings[:MAX_FINDINGS_KEPT]
    summary = data.get("summary") or {}
    text = (
        f"{name}: {summary.get('fel', 0)} fel och {summary.get('varning', 0)} varningar "
        f"({data.get('tables', 0)} tabeller lästa)."
    )
    if len(findings) > len(kept):
        text += f" De första {len(kept)} av {len(findings)} fynd visas."
    return {
        "summary": text,
        "link": {"url": reverse("check_result", args=[job.run.pk]), "label": "Visa fynden"},
        "check": {**data, "findings": kept},
    }
