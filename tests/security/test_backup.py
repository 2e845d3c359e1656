"""`styra backup` / `styra restore`: a backup restored into an empty database and an empty
file folder gives back every report snapshot (data, hash, files), every stored document
byte for byte, every balance and every row count. Runs on the suite's database (SQLite,
and PostgreSQL when DATABASE_URL says so); the command round trip runs on fresh SQLite
files. A damaged or foreign backup is refused before anything is written."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from styra.lib.errors import InputError
from styra.org.access import system_actor
from styra.web.backup import SKIP_MODELS, backup_restore, backup_verify, backup_write

SYSTEM = system_actor("test")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(node) -> dict:
    from styra.ledger.selectors import balances
    from styra.meetings.models import Document
    from styra.reports import services as report_services
    from styra.reports.models import ReportSnapshot

    snapshots = []
    for snap in ReportSnapshot.objects.order_by("pk"):
        files = sorted((f.fmt, _sha(f.file.open("rb").read())) for f in snap.files.all())
        assert report_services.snapshot_verify(snap) == []
        snapshots.append(
            (snap.pk, snap.version, snap.content_hash, _sha(snap.data.encode()), files)
        )
    documents = [
        (d.pk, d.sha512, hashlib.sha512(d.file.open("rb").read()).hexdigest())
        for d in Document.objects.order_by("pk")
    ]
    lines = balances(committee=node("AVUN"), year=2020, through_period=8, by=("unit", "row"))
    counts = {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models()
        if m._meta.label_lower not in SKIP_MODELS and m._meta.managed
    }
    return {
        "snapshots": snapshots,
        "documents": documents,
        "balances": [
            (
                line.unit.code if line.unit else None,
                line.row.code if line.row else None,
                str(line.amount),
            )
            for line in lines
        ],
        "counts": counts,
    }


@pytest.fixture
def installation(d2, node, cast, settings, tmp_path):
    """Report data, a finalised report (PDF, Word, HTML, JSON files) and a meeting with a
    real stored document."""
    from django.core.files.base import ContentFile

    from styra.meetings.models import Document
    from styra.reports import services as report_services
    from tests.meetings.url_samples import samples

    settings.MEDIA_ROOT = str(tmp_path / "media")
    report_services.report_finalise(
        actor=cast["controller"], committee=node("AVUN"), event=d2, report_type="delarsrapport"
    )
    meeting_id = samples(node)["meeting_id"][1]
    body = b"%PDF-1.4 protokoll " + os.urandom(2000)
    doc = Document(meeting_id=meeting_id, kind="protocol", title="Protokoll", filename="p.pdf")
    doc.mime_type, doc.size = "application/pdf", len(body)
    doc.sha1 = hashlib.sha1(body).hexdigest()
    doc.sha512 = hashlib.sha512(body).hexdigest()
    doc.file.save("protokoll.pdf", ContentFile(body), save=False)
    doc.save()
    return tmp_path


@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_database_gives_back_everything(installation, node, settings):
    before = fingerprint(node)
    assert before["snapshots"] and before["documents"] and before["balances"]
    archive = installation / "styra-backup.zip"
    written = backup_write(actor=SYSTEM, path=archive)
    assert written.rows > 500 and written.files >= 5
    assert backup_verify(archive)["rows"] == written.rows

    call_command("flush", interactive=False, verbosity=0)  # an empty database …
    settings.MEDIA_ROOT = str(installation / "media-after")  # … and an empty file folder
    from styra.org.models import OrgNode

    assert not OrgNode.objects.exists()

    restored = backup_restore(actor=SYSTEM, path=archive)
    assert (restored.rows, restored.files) == (written.rows, written.files)
    assert fingerprint(node) == before

    # The database now holds data: a second restore is refused and changes nothing.
    with pytest.raises(InputError, match="inte tom"):
        backup_restore(actor=SYSTEM, path=archive)
    assert fingerprint(node) == before


def _rewrite(src: Path, dst: Path, change) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = change(item.filename, zin.read(item.filename))
            if data is not None:
                zout.writestr(item.filename, data)


@pytest.mark.django_db(transaction=True)
def test_damaged_or_foreign_backups_are_refused_before_anything_is_written(
    installation, node, settings
):
    archive = installation / "ok.zip"
    backup_write(actor=SYSTEM, path=archive)

    def flip_a_byte(name, data):
        if name.startswith("media/") and name.endswith(".pdf"):
            return data[:-1] + bytes([data[-1] ^ 1])
        return data

    def escape(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["entries"]["media/../../utanför.txt"] = {"sha256": _sha(b"x"), "size": 1}
            return json.dumps(manifest).encode()
        return data

    def other_schema(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["schema"] = [*manifest["schema"], "reports.9999_framtida"]
            return json.dumps(manifest).encode()
        return data

    cases = {
        "skadad.zip": (flip_a_byte, "kontrollsumman stämmer inte"),
        "flykt.zip": (escape, "otillåtet filnamn"),
        "annan.zip": (other_schema, "annan version"),
    }
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = str(installation / "media-after")
    for name, (change, message) in cases.items():
        bad = installation / name
        _rewrite(archive, bad, change)
        with pytest.raises(InputError, match=message):
            backup_restore(actor=SYSTEM, path=bad)
    not_zip = installation / "inte.zip"
    not_zip.write_bytes(b"PK\x03\x04 trasig")
    with pytest.raises(InputError, match="ingen ZIP-fil"):
        backup_restore(actor=SYSTEM, path=not_zip)
    from styra.org.models import OrgNode

    assert not OrgNode.objects.exists()
    assert not (installation / "media-after").exists() or not any(
        (installation / "media-after").rglob("*.*")
    )
    assert not (installation.parent / "utanför.txt").exists()


def test_backup_and_restore_only_for_the_system(tmp_path, cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        backup_write(actor=cast["admin"], path=tmp_path / "x.zip")
    with pytest.raises(PermissionDenied):
        backup_restore(actor=cast["admin"], path=tmp_path / "x.zip")


def _styra(env, *args):
    result = subprocess.run(
        [sys.executable, "-m", "styra.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result


def test_the_commands_round_trip_between_fresh_databases(tmp_path):
    """`styra backup` on one installation, `styra restore` on a new one (fresh SQLite
    file, nothing but `styra restore`), and the organisation and users are there."""
    from styra.demo.builder import DATA_DIR

    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    one = {**base, "STYRA_VAR_DIR": str(tmp_path / "ett")}
    two = {**base, "STYRA_VAR_DIR": str(tmp_path / "två")}
    assert _styra(one, "migrate").returncode == 0
    loaded = _styra(one, "org", "load", str(DATA_DIR / "org.yaml"))
    assert loaded.returncode == 0, loaded.stderr
    archive = tmp_path / "kopia.zip"
    made = _styra(one, "backup", str(archive))
    assert made.returncode == 0, made.stderr
    assert _styra(one, "backup", str(archive)).returncode == 2  # never overwrites
    checked = _styra(one, "backup", "--verify", str(archive))
    assert checked.returncode == 0 and "hel" in checked.stdout
    restored = _styra(two, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    tree_one = _styra(one, "org", "tree").stdout
    assert tree_one and _styra(two, "org", "tree").stdout == tree_one
    users_one = _styra(one, "user", "list").stdout
    assert "controller" in users_one and _styra(two, "user", "list").stdout == users_one
    again = _styra(two, "restore", str(archive))
    assert again.returncode == 1 and "inte tom" in again.stderr
    missing = _styra(two, "restore", str(tmp_path / "finns-inte.zip"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
