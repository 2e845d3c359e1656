"""Generated reports, consistent by construction, with one injected error at a time, as
tab-separated text, DOCX (python-docx) and PDF (WeasyPrint)."""

from __future__ import annotations

import pytest

from styra.checker import sample
from styra.checker.api import check_file

EXPECTED_RULE = {
    "enhetssumma": {"summa"},
    "avvikelse": {"avvikelse"},
    "netto": {"netto"},
    "rubrik": {"avvikelse_rubrik"},
    "mnkr": {"samma_belopp", "netto"},
    "text": {"text_mot_tabell"},
    "malantal": {"malantal"},
    "kon": {"kon_total"},
    "procent": {"procent_antal"},
}


@pytest.mark.parametrize("seed", [1, 2, 3, 7])
def test_a_consistent_generated_report_gives_no_findings(tmp_path, seed):
    p = tmp_path / "r.txt"
    p.write_text(sample.render_text(sample.make_report(seed)), encoding="utf-8")
    result = check_file(p)
    assert result.findings == []
    assert result.exit_code == 0


@pytest.mark.parametrize("error", sample.ERRORS)
def test_each_injected_error_is_found_by_its_rule_in_text(tmp_path, error):
    p = tmp_path / "r.txt"
    p.write_text(sample.render_text(sample.make_report(5, {error})), encoding="utf-8")
    rules = {f.rule for f in check_file(p).findings}
    assert rules & EXPECTED_RULE[error], rules
    assert rules <= EXPECTED_RULE[error] | {"samma_belopp", "netto", "summa"}


def test_docx_report_with_errors_is_read_and_checked(tmp_path):
    p = tmp_path / "r.docx"
    sample.write_docx(sample.make_report(4, {"enhetssumma", "avvikelse", "malantal", "kon"}), p)
    rules = {f.rule for f in check_file(p).findings}
    assert {"summa", "avvikelse", "malantal", "kon_total"} <= rules


def test_consistent_docx_gives_no_findings(tmp_path):
    p = tmp_path / "c.docx"
    sample.write_docx(sample.make_report(4), p)
    result = check_file(p)
    assert result.kind == "docx" and result.tables >= 3
    assert result.findings == []


@pytest.mark.slow
def test_pdf_report_with_errors_is_read_with_pages_and_checked(tmp_path):
    p = tmp_path / "r.pdf"
    sample.write_pdf(sample.make_report(4, {"enhetssumma", "avvikelse", "rubrik", "text"}), p)
    result = check_file(p)
    rules = {f.rule for f in result.findings}
    assert {"summa", "avvikelse", "avvikelse_rubrik", "text_mot_tabell"} <= rules
    assert all(f.location.page for f in result.findings)


@pytest.mark.slow
def test_consistent_pdf_gives_no_findings(tmp_path):
    p = tmp_path / "c.pdf"
    sample.write_pdf(sample.make_report(4), p)
    result = check_file(p)
    assert result.kind == "pdf" and result.tables >= 3
    assert result.findings == []
