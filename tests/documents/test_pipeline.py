"""One document pipeline: a meeting paper and a report come out of styra.documents, in the
same Word template (STYRA_DOCX_TEMPLATE reaches both) and as tagged PDF/UA. The files are
opened with python-docx, pdfplumber and pdfminer."""

from __future__ import annotations

import io
from decimal import Decimal

import pdfplumber
import pytest
from docx import Document as Word
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from styra import documents
from styra.documents import model as dm
from styra.documents.word.make_template import make as make_template
from styra.meetings import render as paper_render
from styra.meetings.paper import Block, Paper, heading, paragraphs
from styra.reports import renderers as report_renderers
from styra.reports.blocks import GoalBlock, Report

PAPER = Paper(
    doc_type="Tjänsteskrivelse",
    title="Delårsrapport 2 2020",
    municipality="Exempelkommun",
    committee="Arbetsmarknadsnämnden",
    filename="tjansteskrivelse",
    meta=(("Dnr", "AVUX/2020:37"), ("Datum", "2020-09-01")),
    blocks=(
        heading("Förslag till beslut"),
        Block("numbered", items=("Nämnden godkänner rapporten.", "Rapporten skickas vidare.")),
        heading("Ärendet"),
        *paragraphs("Första raden\nandra raden\n\nEtt stycke till."),
        Block("note", text="Paragrafen justeras omedelbart."),
        Block("table", text="Närvarande", header=("Namn", "Roll"), rows=(("Eva", "Ordf."),)),
        Block("table", text="Ersättare", header=("Namn",), rows=()),
        Block("signatures", rows=(("Marie Direktör", "Förvaltningschef"),)),
    ),
)

REPORT = Report(
    report_type="delarsrapport",
    title="Delårsrapport 2 2020",
    committee="Arbetsmarknadsnämnden",
    committee_code="AVUN",
    municipality="Exempelkommun",
    event_code="2020-D2",
    year=2020,
    cutoff_period=8,
    sign_convention="revenue_positive",
    summary_unit="mnkr",
    table_unit="tkr",
    footer="Exempelkommun · Delårsrapport 2 2020",
    summary_text="",
    sections=(
        dm.Section(
            "mal",
            "Måluppföljning",
            1,
            (
                GoalBlock(
                    "M1",
                    "Fler i arbete",
                    "God måluppfyllnad",
                    True,
                    (dm.Paragraph("Fler har fått **arbete**."),),
                    dm.Table(
                        "m1",
                        "Mått, antal",
                        (("Mått", "Utfall"),),
                        (dm.Row((dm.text("Personer i arbete"), dm.number(Decimal(120)))),),
                        numeric_columns=(1,),
                    ),
                ),
            ),
        ),
    ),
)


def _docx(data: bytes):
    doc = Word(io.BytesIO(data))
    header = [p.text for s in doc.sections for p in s.header.paragraphs]
    return doc, [(p.style.name, p.text) for p in doc.paragraphs], header


def test_a_paper_in_word_has_the_kind_facts_headings_numbered_points_and_tables():
    doc, paras, header = _docx(paper_render.to_docx(PAPER))
    assert paras[:4] == [
        ("Subtitle", "TJÄNSTESKRIVELSE"),
        ("Title", "Delårsrapport 2 2020"),
        ("Normal", "Dnr: AVUX/2020:37"),
        ("Normal", "Datum: 2020-09-01"),
    ]
    assert [t for s, t in paras if s.startswith("Heading")] == ["Förslag till beslut", "Ärendet"]
    assert ("Normal", "1. Nämnden godkänner rapporten.") in paras
    assert ("Normal", "Första raden\nandra raden") in paras
    note = next(p for p in doc.paragraphs if p.text == "Paragrafen justeras omedelbart.")
    assert note.runs[0].italic
    assert [[c.text for c in r.cells] for r in doc.tables[0].rows] == [
        ["Namn", "Roll"],
        ["Eva", "Ordf."],
    ]
    assert [[c.text for c in r.cells] for r in doc.tables[1].rows] == [["Namn"], ["Inga."]]
    assert doc.tables[0].style.name == "Styra tabell"
    assert "Exempelkommun" in header[0] and header[1] == "Arbetsmarknadsnämnden"
    assert doc.core_properties.title == "Tjänsteskrivelse: Delårsrapport 2 2020"


def test_a_paper_pdf_is_tagged_pdf_ua_in_swedish_with_the_page_header():
    pdf = paper_render.to_pdf(PAPER)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "\n".join(p.extract_text() or "" for p in doc.pages)
    assert text.index("Exempelkommun") < text.index("Tjänsteskrivelse")  # the page header
    assert "1. Nämnden godkänner rapporten." in text and "Sida 1 av 1" in text
    catalog = PDFDocument(PDFParser(io.BytesIO(pdf))).catalog
    assert resolve1(catalog["Lang"]) in (b"sv", "sv")
    assert resolve1(resolve1(catalog["MarkInfo"])["Marked"]) is True
    assert "StructTreeRoot" in catalog


def test_a_report_goal_is_a_group_with_its_assessment_analysis_and_measures():
    html = report_renderers.render(REPORT, "html").decode("utf-8")
    assert '<div class="goal"><h3>Nämndens mål: Fler i arbete</h3>' in html
    assert "<strong>Bedömning:</strong> God måluppfyllnad (prognos för helåret)" in html
    assert "<h4>Analys</h4>" in html and "<strong>arbete</strong>" in html
    _doc, paras, header = _docx(report_renderers.render(REPORT, "docx"))
    headings = [(s, t) for s, t in paras if s.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Måluppföljning"),
        ("Heading 2", "Nämndens mål: Fler i arbete"),
        ("Heading 3", "Analys"),
    ]
    assert header[1] == "Arbetsmarknadsnämnden"


def test_one_template_setting_reaches_reports_and_papers(settings, tmp_path):
    own = make_template(tmp_path / "egen.docx")
    word = Word(str(own))
    word.sections[0].header.paragraphs[0].add_run(" – Egen mall")
    word.save(str(own))
    settings.STYRA_DOCX_TEMPLATE = str(own)
    assert documents.docx_template() == own
    for data in (paper_render.to_docx(PAPER), report_renderers.render(REPORT, "docx")):
        _doc, _paras, header = _docx(data)
        assert header[0].endswith("Exempelkommun – Egen mall")
    settings.STYRA_DOCX_TEMPLATE = ""
    _doc, _paras, header = _docx(paper_render.to_docx(PAPER))
    assert "Egen mall" not in header[0]


def test_a_template_without_styras_styles_still_gives_a_word_file(settings, tmp_path):
    """A municipality's plain template (Word's default styles, the older single-brace
    placeholders): Styra falls back to Word's styles instead of failing."""
    plain = Word()
    plain.sections[0].header.paragraphs[0].text = "{kommun} / {namnd}"
    plain.save(str(tmp_path / "enkel.docx"))
    settings.STYRA_DOCX_TEMPLATE = str(tmp_path / "enkel.docx")
    doc, _paras, header = _docx(paper_render.to_docx(PAPER))
    assert header[0] == "Exempelkommun / Arbetsmarknadsnämnden"
    assert doc.tables[0].style.name == "Table Grid"


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="okänt format 'odt'"):
        documents.render(PAPER.document(), "odt")
