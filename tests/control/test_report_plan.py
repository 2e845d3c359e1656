"""`styra report build --committee SN --type internkontrollplan --event 2023`: seven risks
whose riskvärde is the product of the grades, eight controls and the 4×4 matrix, in
HTML, tagged Swedish PDF, Word and JSON."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from styra.control.models import Risk

pytestmark = pytest.mark.django_db


def test_build_writes_the_plan_in_every_format(sn_plan, tmp_path):
    call_command(
        "report",
        "build",
        "--committee",
        "SN",
        "--type",
        "internkontrollplan",
        "--event",
        "2023",
        "--format",
        "html,pdf,docx,json",
        "--out",
        str(tmp_path),
    )
    data = json.loads((tmp_path / "sn-2023-internkontrollplan.json").read_text(encoding="utf-8"))
    assert data["title"] == "Internkontrollplan 2023"
    assert data["summary_text"].startswith(
        "Socialnämndens internkontrollplan för 2023 omfattar 7 risker och 8 kontroller"
    )
    sections = {s["key"]: s for s in data["sections"]}
    risks = next(b for b in sections["risker"]["blocks"] if b["type"] == "Table")
    assert len(risks["rows"]) == 7
    grades = {r.name: r for r in Risk.objects.filter(plan=sn_plan)}
    for row in risks["rows"]:
        cells = [c["text"] for c in row["cells"]]
        risk = grades[cells[2]]
        assert int(cells[6]) == risk.likelihood * risk.consequence
        assert cells[4].startswith(str(risk.likelihood)) and cells[5].startswith(
            str(risk.consequence)
        )
    chart = next(b for b in sections["risker"]["blocks"] if b["type"] == "Chart")
    assert len(chart["data"]["rows"]) == 4 and all(
        len(r["cells"]) == 5 for r in chart["data"]["rows"]
    )
    assert chart["svg"].count("<rect") == 17
    controls = next(b for b in sections["kontroller"]["blocks"] if b["type"] == "Table")
    assert len(controls["rows"]) == 8

    html = (tmp_path / "sn-2023-internkontrollplan.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in html and "Riskmatris 2023" in html

    import docx

    document = docx.Document(str(tmp_path / "sn-2023-internkontrollplan.docx"))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert "Informationsmängder saknar ägarskap" in words
    assert "Kontroll av anmälan till integritetsmyndigheten (IMY)" in words

    import pdfplumber
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    pdf = (tmp_path / "sn-2023-internkontrollplan.pdf").read_bytes()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "\n".join(p.extract_text() or "" for p in doc.pages)
    assert "Nettolista över risker" in text and "Årets planerade kontroller" in text
    catalog = PDFDocument(PDFParser(io.BytesIO(pdf))).catalog
    assert resolve1(catalog["Lang"]) in (b"sv", "sv")
    assert resolve1(resolve1(catalog["MarkInfo"])["Marked"]) is True


def test_a_year_without_a_plan_says_so(sn_plan, tmp_path):
    from styra.calendar.services import event_ensure
    from tests.actors import SYSTEM

    event_ensure(actor=SYSTEM, committee=sn_plan.committee, code="2024")
    call_command(
        "report",
        "build",
        "--committee",
        "SN",
        "--type",
        "internkontrollplan",
        "--event",
        "2024",
        "--format",
        "json",
        "--out",
        str(tmp_path),
    )
    data = json.loads((tmp_path / "sn-2024-internkontrollplan.json").read_text(encoding="utf-8"))
    assert "har ingen internkontrollplan för 2024" in json.dumps(data, ensure_ascii=False)
