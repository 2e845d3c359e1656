"""Shared types for the ledger file readers (SIE, CSV/XLSX). Pure Python, no Django.

Every reader is a generator: it streams records and `Issue`s (styra.lib.errors) in file
order and never raises for bad input. The import service decides what to store: any
issue with severity ERROR ("fel") makes the whole import fail; warnings ("varning") are
shown to the user.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

Source = str | os.PathLike[str] | BinaryIO | bytes


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
