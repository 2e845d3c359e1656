"""The measure of issue 16 as a test: precision ≥ 0,9 and recall ≥ 0,8 on the shared corpus,
the reference documents and the documents transformed from real tables, and no finding at
all on a shared-corpus page whose key has no items (bench/checker_corpus.py prints the
figures). Skipped when ../shared is not there."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "checker_corpus.py"


@pytest.fixture(scope="module")
def corpus():
    spec = importlib.util.spec_from_file_location("checker_corpus", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["checker_corpus"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_no_finding_on_a_shared_page_that_adds_up(corpus):
    keys = shared_path("checker-corpus", "keys")
    for key_path in sorted(keys.glob("*.json")):
        key = json.loads(key_path.read_text(encoding="utf-8"))
        if key["items"]:
            continue
        doc = keys.parent / "docs" / key["document"]
        s = corpus.score_key(key, corpus.check(doc), doc.name)
        assert s.fp == 0, s.false


def test_precision_and_recall_on_every_set(corpus, tmp_path):
    shared_path("reference-documents")
    shared_path("checker-corpus", "keys")
    for name, score in [
        ("delad korpus", corpus.shared_corpus()),
        ("referensdokument", corpus.reference_documents()),
        ("omvandlade", corpus.transformed(tmp_path, show=False)),
    ]:
        assert score.precision >= 0.9, (name, score.false)
        assert score.recall >= 0.8, (name, score.missed)
    assert len(list(tmp_path.glob("*.json"))) >= 30


def test_the_scoring_rule_matches_by_line_and_number(corpus):
    key = {
        "items": [{"id": "A1", "tier": "A", "lines": [10], "numbers": [16.1, 19.3]}],
        "neutral": [{"lines": [40]}],
    }
    hit = {"location": {"line": 12}, "message": "19,3 mot 16,1"}
    other_number = {"location": {"line": 12}, "message": "7,5"}
    neutral = {"location": {"line": 41}, "message": "1"}
    s = corpus.score_key(key, [hit, other_number, neutral])
    assert (s.tp, s.fp, s.neutral, s.found, s.items) == (1, 1, 1, 1, 1)
