"""Precision and recall of `styra check` on the reference documents, against the hand-made
expectations in expectations.yaml.

    .venv/bin/python tests/checker/score.py

Precision = findings that match a real item / findings not on an "uncertain" item.
Recall    = real items matched by at least one finding / all real items (including the
            ones marked detect: false).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = REPO / ".." / "shared" / "reference-documents"


def load_expectations() -> dict:
    return yaml.safe_load((HERE / "expectations.yaml").read_text(encoding="utf-8"))


def matches(item: dict, finding) -> bool:
    if finding.rule not in item["rules"]:
        return False
    line = finding.location.line or 0
    lo, hi = item["lines"]
    if not lo <= line <= hi:
        return False
    col = item.get("column")
    if col and col.lower() not in (finding.location.column or "").lower():
        return False
    return True


def score_document(name: str, spec: dict, result) -> dict:
    real = spec.get("real") or []
    uncertain = spec.get("uncertain") or []
    hit_items = set()
    true_pos = 0
    false_pos = []
    considered = 0
    for f in result.findings:
        real_hits = [it["id"] for it in real if matches(it, f)]
        if real_hits:
            hit_items.update(real_hits)
            true_pos += 1
            considered += 1
        elif any(matches(it, f) for it in uncertain):
            continue
        else:
            considered += 1
            false_pos.append(f)
    missed = [it for it in real if it["id"] not in hit_items]
    return {
        "document": name,
        "findings": len(result.findings),
        "considered": considered,
        "true_positives": true_pos,
        "false_positives": false_pos,
        "real": len(real),
        "found": len(hit_items),
        "missed": missed,
    }


def main() -> int:
    from styra.checker.api import check_file

    if not SHARED.is_dir():
        print(f"Referensdokumenten saknas ({SHARED}); inget att mäta.")
        return 0
    tot = {"considered": 0, "tp": 0, "real": 0, "found": 0}
    for name, spec in load_expectations().items():
        result = check_file(SHARED / name)
        s = score_document(name, spec, result)
        tot["considered"] += s["considered"]
        tot["tp"] += s["true_positives"]
        tot["real"] += s["real"]
        tot["found"] += s["found"]
        print(
            f"{name}: {s['findings']} fynd, {s['true_positives']} verkliga, "
            f"{len(s['false_positives'])} falsklarm; {s['found']}/{s['real']} verkliga hittade"
        )
        for f in s["false_positives"]:
            print(f"   FALSKLARM {f.rule} rad {f.location.line}: {f.message}")
        for it in s["missed"]:
            print(f"   MISSAD {it['id']}: {it['what']}")
    precision = tot["tp"] / tot["considered"] if tot["considered"] else 1.0
    recall = tot["found"] / tot["real"] if tot["real"] else 1.0
    print(
        f"\nPrecision {precision:.0%} ({tot['tp']}/{tot['considered']}), "
        f"recall {recall:.0%} ({tot['found']}/{tot['real']})"
    )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
