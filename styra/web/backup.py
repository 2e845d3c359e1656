"""Backup and restore of a whole installation: the database and the stored files.

A backup is one ZIP file:

    manifest.json   format, Styra's schema (the applied migrations), when, from which
                    database, and the SHA-256 and size of every other entry
    data.jsonl      every row of every table, one JSON object per line (Django's
                    serialisation, primary keys kept; streamed, never held in memory)
    media/…         every stored file (documents, report snapshots, job files)

The data is written through Django's serialisers, so a backup from SQLite restores into
PostgreSQL and back. `restore` reads the manifest, checks every checksum before it writes
anything, refuses a backup of another schema and a database that already holds data, then
loads the rows in one transaction and the files after them (removed again if the load
fails). Only the system (the command line) may back up or restore.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

from styra.lib.errors import InputError, Issue
from styra.org import access

FORMAT = "styra-backup"
VERSION = 1
CHUNK = 1024 * 1024
# Rows that are not the installation's data: rebuilt by `migrate` (content types,
# permissions) or short-lived (sessions, login attempts).
SKIP_MODELS = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accessfailurelog",
    "axes.accesslog",
}


@dataclass(frozen=True)
class BackupResult:
    path: Path
    rows: int
    files: int
    size: int


@dataclass(frozen=True)
class RestoreResult:
    rows: int
    files: int


def _models():
    """Every concrete model whose rows are backed up, parents before children."""
    chosen = [
        m
        for m in apps.get_models(include_auto_created=False)
        if m._meta.label_lower not in SKIP_MODELS and not m._meta.proxy and m._meta.managed
    ]
    app_list = {}
    for m in chosen:
        app_list.setdefault(m._meta.app_config, []).append(m)
    return serializers.sort_dependencies(app_list.items(), allow_cycles=True)


def _schema() -> list[str]:
    recorder = MigrationRecorder(connections[DEFAULT_DB_ALIAS])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _require_system(actor) -> None:
    if not access.is_system(actor):
        raise PermissionDenied("Bara systemet (kommandoraden) får säkerhetskopiera och återställa.")


def backup_write(*, actor, path: Path | str) -> BackupResult:
    """Write the backup to path (a new file; a partly written one is removed)."""
    _require_system(actor)
    path = Path(path)
    if path.exists():
        raise InputError([Issue(str(path), 0, "filen finns redan; välj ett nytt namn")])
    entries: dict[str, dict] = {}
    rows = 0
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError([Issue(str(path), 0, "katalogen finns inte")])
    handle, tmp_name = tempfile.mkstemp(prefix=".styra-backup-", dir=folder)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            # One repeatable-read view of the database while the rows are read.
            connection = connections[DEFAULT_DB_ALIAS]
            outermost = not connection.in_atomic_block
            with transaction.atomic():
                if connection.vendor == "postgresql" and outermost:
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                digest = hashlib.sha256()
                size = 0
                with zf.open("data.jsonl", "w", force_zip64=True) as out:
                    for model in _models():
                        queryset = model._base_manager.order_by("pk")
                        for obj in queryset.iterator(chunk_size=2000):
                            line = serializers.serialize(
                                "jsonl", [obj], use_natural_foreign_keys=True
                            ).encode("utf-8")
                            if not line.endswith(b"\n"):
                                line += b"\n"
                            out.write(line)
                            digest.update(line)
                            size += len(line)
                            rows += 1
                entries["data.jsonl"] = {"sha256": digest.hexdigest(), "size": size}
                schema = _schema()
            media = _media_root()
            files = 0
            if media.is_dir():
                for file in sorted(p for p in media.rglob("*") if p.is_file()):
                    name = "media/" + file.relative_to(media).as_posix()
                    zf.write(file, name)
                    entries[name] = {"sha256": _sha256_file(file), "size": file.stat().st_size}
                    files += 1
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "database": connections[DEFAULT_DB_ALIAS].vendor,
                "schema": schema,
                "rows": rows,
                "files": files,
                "entries": entries,
            }
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupResult(path, rows, files, path.stat().st_size)


def _refuse(path: Path, message: str, *, unreadable: bool = True):
    return InputError([Issue(str(path), 0, message)], unreadable=unreadable)


def _read_manifest(path: Path, zf: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(zf.read("manifest.json"))
    except KeyError:
        raise _refuse(path, "ingen säkerhetskopia från Styra (manifest.json saknas)") from None
    except (ValueError, UnicodeDecodeError):
        raise _refuse(path, "manifest.json går inte att läsa") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(path, "ingen säkerhetskopia från Styra (okänt format)")
    if manifest.get("version") != VERSION:
        raise _refuse(path, f"säkerhetskopians version {manifest.get('version')!r} stöds inte")
    entries = manifest.get("entries")
    if not isinstance(entries, dict) or "data.jsonl" not in entries:
        raise _refuse(path, "manifest.json saknar uppgifter om innehållet")
    return manifest


def _safe_member(name: str) -> PurePosixPath | None:
    """The file's path under media/, or None when the name could leave the folder."""
    parts = PurePosixPath(name).parts
    if len(parts) < 2 or parts[0] != "media" or any(p in ("..", "") for p in parts):
        return None
    if name.startswith("/") or "\\" in name or ":" in parts[1]:
        return None
    return PurePosixPath(*parts[1:])


def backup_verify(path: Path | str) -> dict:
    """Check a backup without restoring it: the manifest, every entry's SHA-256 and size,
    no entry outside the manifest, no file name that leaves the media folder. Returns the
    manifest; InputError names what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise _refuse(path, "filen finns inte")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(path, f"ingen ZIP-fil ({exc})") from None
    with zf:
        manifest = _read_manifest(path, zf)
        entries = manifest["entries"]
        names = set(zf.namelist()) - {"manifest.json"}
        problems = []
        for name in sorted(names - set(entries)):
            problems.append(f"{name}: finns i filen men inte i manifest.json")
        for name, info in sorted(entries.items()):
            if name != "data.jsonl" and _safe_member(name) is None:
                problems.append(f"{name}: otillåtet filnamn")
                continue
            if name not in names:
                problems.append(f"{name}: saknas i filen")
                continue
            digest, size = hashlib.sha256(), 0
            try:
                with zf.open(name) as stream:
                    while block := stream.read(CHUNK):
                        digest.update(block)
                        size += len(block)
                        if size > int(info.get("size", 0)):
                            break
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
                problems.append(f"{name}: går inte att packa upp ({exc})")
                continue
            if size != info.get("size") or digest.hexdigest() != info.get("sha256"):
                problems.append(f"{name}: kontrollsumman stämmer inte (filen är skadad)")
        if problems:
            raise InputError([Issue(str(path), 0, p) for p in problems], unreadable=False)
    return manifest


def _non_empty_tables() -> list[str]:
    return [m._meta.label for m in _models() if m._base_manager.exists()]


def backup_restore(*, actor, path: Path | str) -> RestoreResult:
    """Restore a backup into an empty, migrated database and an empty media folder."""
    _require_system(actor)
    path = Path(path)
    manifest = backup_verify(path)
    schema = _schema()
    if manifest.get("schema") != schema:
        theirs, ours = set(manifest.get("schema") or []), set(schema)
        missing = sorted(theirs - ours)[:5]
        extra = sorted(ours - theirs)[:5]
        raise _refuse(
            path,
            "säkerhetskopian är gjord med en annan version av Styra "
            f"(migreringar bara i kopian: {missing or '–'}; bara här: {extra or '–'}). "
            "Återställ med samma version och uppgradera sedan med `styra migrate`.",
            unreadable=False,
        )
    busy = _non_empty_tables()
    if busy:
        raise _refuse(
            path,
            "databasen är inte tom (data finns i "
            + ", ".join(busy[:5])
            + (" …" if len(busy) > 5 else "")
            + "); återställ till en ny, tom databas efter `styra migrate`",
            unreadable=False,
        )
    media = _media_root()
    written: list[Path] = []
    try:
        with zipfile.ZipFile(path) as zf:
            files = [n for n in manifest["entries"] if n != "data.jsonl"]
            for name in files:
                target = media / Path(*_safe_member(name).parts)
                if target.exists():
                    raise _refuse(
                        path,
                        f"{target} finns redan; återställ till en tom filkatalog",
                        unreadable=False,
                    )
            with transaction.atomic():
                rows = _load_rows(zf)
                for name in files:
                    target = media / Path(*_safe_member(name).parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(name) as src, open(target, "xb") as dst:
                        written.append(target)
                        shutil.copyfileobj(src, dst, CHUNK)
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        raise
    return RestoreResult(rows, len(files))


def _load_rows(zf: zipfile.ZipFile) -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    rows = 0
    seen_models = set()
    deferred = []
    with connection.constraint_checks_disabled():
        with zf.open("data.jsonl") as raw:
            for line in raw:
                if not line.strip():
                    continue
                for obj in serializers.deserialize(
                    "jsonl", line.decode("utf-8"), handle_forward_references=True
                ):
                    obj.save()
                    if obj.deferred_fields:
                        deferred.append(obj)
                    seen_models.add(type(obj.object))
                    rows += 1
        for obj in deferred:  # natural keys of rows that came later in the file
            obj.save_deferred_fields()
    connection.check_constraints(table_names=[m._meta.db_table for m in seen_models])
    sequences = connection.ops.sequence_reset_sql(_no_style(), list(seen_models))
    if sequences:
        with connection.cursor() as cursor:
            for sql in sequences:
                cursor.execute(sql)
    return rows


def _no_style():
    from django.core.management.color import no_style

    return no_style()
