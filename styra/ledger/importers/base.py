"""Shared types for the ledger file readers (SIE, CSV/XLSX). Pure Python, no Django.

Every reader is a generator: it streams records and `Issue`s in file order and never
raises for bad input. The import service decides what to store: any issue with severity
`ERROR` ("fel") makes the whole import fail; warnings ("varning") are shown to the user.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, NamedTuple

from styra.lib.numbers import format_number

ERROR = "fel"
WARNING = "varning"

Source = str | os.PathLike[str] | BinaryIO | bytes


class Issue(NamedTuple):
    """Something wrong in an input file: file name, 1-based line (0 = whole file)."""

    file: str
    line: int
    severity: str  # ERROR ("fel") or WARNING ("varning")
    message: str  # Swedish, for the user
    code: str = ""  # stable machine-readable kind, e.g. "unbalanced_voucher"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        where = f"{self.file}, rad {self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message}"


def format_ore(ore: int) -> str:
    """Öre as Swedish kronor with two decimals: -1289900 -> "-12 899,00"."""
    return format_number(Decimal(ore).scaleb(-2), 2)


def source_name(source: Source, filename: str | None) -> str:
    if filename:
        return filename
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    name = getattr(source, "name", None)
    if isinstance(name, str) and name:
        return Path(name).name
    return "(indata)"


@contextmanager
def open_seekable_binary(source: Source) -> Iterator[BinaryIO]:
    """Open a path, bytes or binary stream as a seekable binary file.

    A non-seekable stream is spooled to a temporary file (in memory up to 8 MB, then on
    disk), so that memory use stays constant whatever the size of the upload.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        yield io.BytesIO(bytes(source))
        return
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as fh:
            yield fh
        return
    seekable = False
    try:
        seekable = source.seekable()
    except (AttributeError, OSError, ValueError):
        seekable = False
    if seekable:
        start = source.tell()
        try:
            yield source
        finally:
            source.seek(start)
        return
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        shutil.copyfileobj(source, spool, 1 << 20)
        spool.seek(0)
        yield spool  # type: ignore[misc]
