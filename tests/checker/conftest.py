from pathlib import Path

import pytest

SHARED_DOCS = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference-documents"


@pytest.fixture
def write(tmp_path):
    def _write(text: str, name: str = "rapport.txt") -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p

    return _write
