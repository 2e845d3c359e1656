"""The documents of imagined committees (bench/checker_heldout.py, no ../shared needed) as a
test: precision ≥ 0,9 and recall ≥ 0,8 on a seed that was not used while the checker was
improved, and a clean document gives no finding at all."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "checker_heldout.py"


@pytest.fixture(scope="module")
def heldout():
    root = str(BENCH.parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)
    spec = importlib.util.spec_from_file_location("checker_heldout", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["checker_heldout"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_precision_and_recall_on_written_documents(heldout, tmp_path):
    score = heldout.measure(tmp_path, seed=4, count=30, show=False)
    assert score.items >= 8
    assert score.precision >= 0.9, score.false
    assert score.recall >= 0.8, score.missed
    assert len(list(tmp_path.glob("*.pdf"))) >= 3 and len(list(tmp_path.glob("*.docx"))) >= 3


def test_a_clean_written_document_gives_no_finding(heldout, tmp_path):
    made = heldout.generate(tmp_path, seed=5, count=10)
    clean = [(path, key) for path, key in made if not key["items"]]
    assert clean
    for path, _key in clean:
        assert heldout.check(path) == [], path.name
