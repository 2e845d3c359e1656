"""Uploaded ledger files waiting between the check (preview) and the save.

The browser never names a file on the server: an upload is stored under a random name the
server chooses, and the page gets a signed token that carries that name together with the
user and the municipality it was uploaded for. Saving checks the signature, the user, the
municipality and the age; a token from someone else, for another municipality or older than
STYRA_LEDGER_PREVIEW_HOURS is refused. Stored files are removed after the save and swept
when they expire.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

UPLOAD_DIR = "ledger-uploads"
SALT = "styra.ledger.preview"
_ID = re.compile(r"^[0-9a-f]{32}$")
# What the web can save: SIE, and CSV/XLSX together with their column description.
SIE_SUFFIXES = {".se", ".si", ".sie", ".s4"}
TABULAR_SUFFIXES = {".csv", ".txt", ".xlsx"}
MAPPING_MAX_BYTES = 64 * 1024


class PreviewGone(Exception):
    """The token is invalid, someone else's, expired, or its file is gone (Swedish)."""


def upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR


def max_bytes() -> int:
    return settings.STYRA_LEDGER_UPLOAD_MAX_MB * 1024 * 1024


def max_age_seconds() -> int:
    return settings.STYRA_LEDGER_PREVIEW_HOURS * 3600


class LimitedUpload(FileUploadHandler):
    """Stops reading a request body once its files pass the ledger's size limit, so an
    oversized upload never fills the disk or the memory (put first in the handler list)."""

    def __init__(self, request=None, limit: int | None = None):
        super().__init__(request)
        self.limit = max_bytes() if limit is None else limit
        self.received = 0
        self.exceeded = False

    def too_long(self, content_length) -> bool:
        return bool(content_length) and content_length > self.limit + MAPPING_MAX_BYTES + 65536

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.exceeded = self.too_long(content_length)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.exceeded or self.received > self.limit + MAPPING_MAX_BYTES:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


@dataclass(frozen=True)
class Preview:
    """A stored upload: its path, the column description's path (CSV/XLSX) and the name
    the user's file had."""

    id: str
    path: Path
    mapping: Path | None
    file_name: str


def kind_of(file_name: str) -> str | None:
    suffix = Path(file_name).suffix.lower()
    if suffix in SIE_SUFFIXES:
        return "sie"
    if suffix in TABULAR_SUFFIXES:
        return "csv"
    return None


def store(upload, *, mapping_upload=None) -> Preview:
    """Stream the upload (a Django UploadedFile) to a new file chosen by the server."""
    sweep()
    directory = upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    ident = secrets.token_hex(16)
    suffix = Path(upload.name).suffix.lower()
    suffix = suffix if suffix in SIE_SUFFIXES | TABULAR_SUFFIXES else ".se"
    path = directory / f"{ident}{suffix}"
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    mapping = None
    if mapping_upload is not None:
        mapping = directory / f"{ident}.mapping.yaml"
        with open(mapping, "wb") as out:
            for chunk in mapping_upload.chunks():
                out.write(chunk)
    return Preview(ident, path, mapping, Path(upload.name).name[:255])


def token_for(preview: Preview, *, user, municipality) -> str:
    return signing.dumps(
        {
            "id": preview.id,
            "s": preview.path.suffix,
            "m": municipality.pk,
            "u": user.pk,
            "n": preview.file_name,
            "map": preview.mapping is not None,
        },
        salt=SALT,
        compress=True,
    )


def open_token(token: str, *, user, municipality) -> Preview:
    """The stored upload behind `token`, if it is this user's, for this municipality, and
    not expired. Raises PreviewGone otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age_seconds())
    except signing.SignatureExpired as exc:
        raise PreviewGone("Kontrollen är för gammal: läs in filen igen.") from exc
    except signing.BadSignature as exc:
        raise PreviewGone("Filen finns inte längre: läs in den igen.") from exc
    if not isinstance(data, dict) or data.get("u") != user.pk or data.get("m") != municipality.pk:
        raise PreviewGone("Filen lästes in av någon annan eller för en annan kommun.")
    ident, suffix = str(data.get("id", "")), str(data.get("s", ""))
    if not _ID.match(ident) or suffix not in SIE_SUFFIXES | TABULAR_SUFFIXES:
        raise PreviewGone("Filen finns inte längre: läs in den igen.")
    path = upload_dir() / f"{ident}{suffix}"
    mapping = upload_dir() / f"{ident}.mapping.yaml" if data.get("map") else None
    if not path.is_file() or (mapping is not None and not mapping.is_file()):
        raise PreviewGone("Filen finns inte längre: läs in den igen.")
    return Preview(ident, path, mapping, str(data.get("n", path.name))[:255])


def remove(preview: Preview) -> None:
    preview.path.unlink(missing_ok=True)
    if preview.mapping is not None:
        preview.mapping.unlink(missing_ok=True)


def sweep(now: float | None = None) -> int:
    """Remove stored uploads older than the preview's lifetime; returns how many."""
    directory = upload_dir()
    if not directory.is_dir():
        return 0
    cutoff = (now or time.time()) - max_age_seconds()
    count = 0
    for entry in directory.iterdir():
        try:
            if entry.is_file() and entry.stat().st_mtime < cutoff:
                entry.unlink()
                count += 1
        except FileNotFoundError:
            pass
    return count
