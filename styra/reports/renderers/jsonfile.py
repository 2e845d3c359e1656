"""The report data as JSON (stable: sorted keys, Decimal as text)."""

from __future__ import annotations

from ..blocks import Report


def render(report: Report) -> bytes:
    return report.to_json().encode("utf-8")
