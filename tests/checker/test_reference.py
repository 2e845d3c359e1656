"""The checker on the four reference documents against the hand-made expectations."""

from __future__ import annotations

import pytest

from styra.checker.api import check_file

from .conftest import SHARED_DOCS
from .score import load_expectations, score_document

pytestmark = pytest.mark.skipif(
    not SHARED_DOCS.is_dir(), reason=f"referensdokumenten saknas ({SHARED_DOCS})"
)
EXPECT = load_expectations()


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_every_detectable_real_inconsistency_is_found_and_nothing_else(name):
    result = check_file(SHARED_DOCS / name)
    assert result.error is None
    s = score_document(name, EXPECT[name], result)
    missed = [it["id"] for it in s["missed"] if it.get("detect", True)]
    assert missed == [], f"missade: {missed}"
    assert s["false_positives"] == [], [f.message for f in s["false_positives"]]


def test_precision_and_recall_meet_the_targets():
    tp = considered = found = real = 0
    for name, spec in EXPECT.items():
        s = score_document(name, spec, check_file(SHARED_DOCS / name))
        tp += s["true_positives"]
        considered += s["considered"]
        found += s["found"]
        real += s["real"]
    assert considered and tp / considered >= 0.9
    assert found / real >= 0.8


def test_the_issue_examples_are_listed_with_their_locations():
    result = check_file(SHARED_DOCS / "avun-2020-09-10-delarsrapport-2.txt")
    text = "\n".join(f"{f.rule} {f.location.line} {f.message}" for f in result.findings)
    assert "avvikelse 363" in text and "2 890" in text and "2 400" in text
    assert "-164 770" in text and "-164 689" in text
    assert "-255 056" in text and "-255 546" in text
    goal = [f for f in result.findings if f.rule == "malantal"]
    assert len(goal) == 1 and goal[0].location.line == 117
    assert "god 8" in goal[0].found and "god 7" in goal[0].expected
    assert result.exit_code == 1
