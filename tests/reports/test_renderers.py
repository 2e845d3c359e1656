"""The three formats from one report: DOCX opened with python-docx, the PDF with pdfplumber
and pdfminer (text, tags, language, bookmarks), the HTML's table and chart markup."""

from __future__ import annotations

import io
import re

import pytest

from styra.reports.renderers import file_name, render, render_many

# The report is built once for the module (d2_report); the mark makes pytest-django set up the
# test database that fixture builds it in.
pytestmark = pytest.mark.django_db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def report(d2_report):
    """Built once for the module (tests/reports/conftest.py); rendering needs no database."""
    return d2_report


def test_docx_has_headings_tables_repeated_headers_and_chart_alt_text(report):
    import docx

    document = docx.Document(io.BytesIO(render(report, "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for expected in (
        "Sammanfattning",
        "Måluppföljning och analys",
        "Betydelsefulla händelser",
        "Ekonomisk uppföljning och analys",
        "Driftuppföljning",
        "Investeringsuppföljning",
        "Volymer och nyckeltal",
        "Uppdrag",
        "Förvaltningskontoret",
    ):
        assert expected in headings
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "Delårsrapport 2 2020"
    tables = document.tables
    units = next(t for t in tables if t.rows[0].cells[0].text == "Netto (tkr)")
    header = [c.text for c in units.rows[0].cells]
    assert header[-1] == "Avvikelse 2020"
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in units.rows[1:]}
    assert rows["Daglig verksamhet"][-1] == "10\u00a0500"
    assert rows["Total"][-1] == "13\u00a0500"
    for t in tables:
        tr_pr = t.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(f"{W}tblHeader") is not None
    descr = [
        el.get("descr")
        for el in document.element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert len(descr) == 2 and all(d and len(d) > 20 for d in descr)
    footer_xml = document.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "Delårsrapport 2 2020" in footer_xml
    assert document.core_properties.language == "sv-SE"
    assert "Botkyrka" in document.sections[0].header.paragraphs[0].text


def _pdf_text(value: bytes) -> str:
    if value[:2] == b"\xfe\xff":
        return value[2:].decode("utf-16-be")
    return value.decode("latin-1")


def _struct_types(obj, resolve1, seen, out, depth=0):
    obj = resolve1(obj)
    if depth > 60 or id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, dict):
        s = obj.get("S")
        if s is not None:
            out.append((getattr(s, "name", str(s)), obj.get("Alt")))
        kids = obj.get("K")
        if kids is not None:
            for k in kids if isinstance(kids, list) else [kids]:
                _struct_types(k, resolve1, seen, out, depth + 1)
    elif isinstance(obj, list):
        for k in obj:
            _struct_types(k, resolve1, seen, out, depth + 1)


def test_pdf_is_tagged_in_swedish_with_title_bookmarks_headers_and_alt_text(report):
    import pdfplumber
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    pdf = render(report, "pdf")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "\n".join(p.extract_text() or "" for p in doc.pages)
        pages = len(doc.pages)
    assert "Sammanfattning" in text and "Måluppföljning och analys" in text
    assert "Nämnden prognostiserar ett överskott på 13,5 mkr." in text
    assert re.search(r"Daglig verksamhet .*10\s500", text)
    assert f"Sida 1 av {pages}" in text
    assert "Botkyrka" in text and "Delårsrapport 2 2020" in text  # the footer

    pdoc = PDFDocument(PDFParser(io.BytesIO(pdf)))
    catalog = pdoc.catalog
    assert resolve1(catalog["Lang"]) in (b"sv", "sv")
    assert resolve1(resolve1(catalog["MarkInfo"])["Marked"]) is True
    assert resolve1(resolve1(catalog["ViewerPreferences"])["DisplayDocTitle"]) is True
    title = _pdf_text(resolve1(pdoc.info[0]["Title"]))
    assert "Delårsrapport 2 2020" in title
    outline_titles = [t for (_lvl, t, *_rest) in pdoc.get_outlines()]
    assert "Sammanfattning" in outline_titles and "Driftuppföljning" in outline_titles
    found: list = []
    _struct_types(catalog["StructTreeRoot"], resolve1, set(), found)
    kinds = {k for k, _alt in found}
    assert {"Table", "TH", "TD", "H1", "H2"} <= kinds
    alts = [_pdf_text(resolve1(a)) for k, a in found if k == "Figure" and a is not None]
    assert len(alts) == 2
    assert alts[0].startswith("Stapeldiagram") and "Daglig verksamhet" in alts[0]


def test_html_tables_have_scoped_headers_and_charts_a_text_alternative(report):
    html = render(report, "html").decode("utf-8")
    assert '<html lang="sv">' in html
    assert html.count("<h1>") == 1
    assert '<th scope="col"' in html and '<th scope="row">' in html
    assert '<th scope="rowgroup"' in html
    assert "<caption>Netto per verksamhet, tkr</caption>" in html
    assert re.search(
        r'<img class="chart-img" src="data:image/svg\+xml;base64,[^"]+" alt="Stapel', html
    )


def test_file_names_and_render_many_keep_format_order(report):
    out = render_many(report, ["json", "txt"])
    assert list(out) == ["json", "txt"]
    assert file_name(report, "pdf") == "avun-2020-d2-delarsrapport.pdf"
    with pytest.raises(ValueError, match="okänt format"):
        render(report, "odt")
