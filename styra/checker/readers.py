"""The checker's file formats under the project's reader protocol (CONVENTIONS.md).

The checker reads reports from other systems (PDF, DOCX, text) into a Document of lines
and tables; its readers live in reader_*.py and raise ReadError (a Swedish message that
names the file) for a file that cannot be read. This module is the one place other code
imports them from.
"""

from __future__ import annotations

from .api import read_document
from .model import Document, ReadError
from .reader_docx import read_docx
from .reader_pdf import read_pdf
from .reader_text import read_text

__all__ = ["Document", "ReadError", "read_document", "read_docx", "read_pdf", "read_text"]
