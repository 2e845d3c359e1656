"""Audit answers: a revisionsrapport on a case, the committee's answers and actions, and
the yttrande generated from them and filed on the case."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError

from styra.control import services
from styra.control.forms import parse_questions
from styra.meetings.services import case_create
from tests.actors import SYSTEM

pytestmark = pytest.mark.django_db


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_demo_yttrande_is_filed_on_the_case_with_every_answer(sn_audit):
    assert sn_audit.effective_deadline == dt.date(2023, 6, 20)
    assert [q.assessment for q in sn_audit.questions.all()] == ["delvis", "ja", "delvis", "delvis"]
    docs = {d.filename.rsplit(".", 1)[1]: d for d in sn_audit.case.documents.all()}
    assert set(docs) == {"pdf", "docx"}
    assert docs["pdf"].attachment_number == docs["docx"].attachment_number == 1
    text = _docx_text(docs["docx"].file.read())
    for rec in sn_audit.recommendations.all():
        assert rec.answer.split()[0] in text
    assert "2023-06-20" in text and sn_audit.case.dnr in text
    assert "Gemensam mall för genomförandeplan" in text and "2023-12-31" in text
    # producing again replaces the files, no duplicates
    services.yttrande_produce(actor=SYSTEM, report=sn_audit)
    assert sn_audit.case.documents.count() == 2


def test_the_yttrande_pdf_is_tagged_swedish(sn_audit):
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    pdf = sn_audit.case.documents.get(filename__endswith=".pdf").file.read()
    catalog = PDFDocument(PDFParser(io.BytesIO(pdf))).catalog
    assert resolve1(catalog["Lang"]) in (b"sv", "sv")


def test_a_yttrande_needs_every_recommendation_answered(demo_org, node):
    case = case_create(actor=SYSTEM, committee=node("SN"), title="Granskning", year=2023)
    report = services.audit_register(
        actor=SYSTEM,
        case=case,
        title="Granskning av bistånd",
        letter_date=dt.date(2023, 2, 1),
        deadline=dt.date(2023, 4, 30),
        recommendations=["Första", "Andra"],
    )
    first, _second = report.recommendations.all()
    services.recommendation_answer(actor=SYSTEM, recommendation=first, answer="Vi gör så.")
    with pytest.raises(ValidationError, match="1 rekommendation saknar svar"):
        services.yttrande_produce(actor=SYSTEM, report=report)
    assert case.documents.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(deadline=dt.date(2023, 1, 1)), "före revisionsskrivelsen"),
        (dict(extended_to=dt.date(2023, 3, 1)), "Anståndet"),
        (dict(recommendations=[" "]), "minst en rekommendation"),
        (dict(questions=[services.QuestionInput("Fråga?", "kanske")]), "Ja, Delvis eller Nej"),
    ],
)
def test_bad_audit_input_is_refused(demo_org, node, kwargs, message):
    case = case_create(actor=SYSTEM, committee=node("SN"), title="G", year=2023)
    base = dict(
        case=case,
        title="G",
        letter_date=dt.date(2023, 2, 1),
        deadline=dt.date(2023, 4, 30),
        recommendations=["R"],
    )
    with pytest.raises(ValidationError, match=message):
        services.audit_register(actor=SYSTEM, **{**base, **kwargs})


def test_questions_are_read_one_per_line_and_bad_lines_are_named():
    assert parse_questions("Finns mål? | Delvis\n\nFinns samverkan?|JA\n") == [
        ("Finns mål?", "delvis"),
        ("Finns samverkan?", "ja"),
    ]
    from django import forms

    with pytest.raises(forms.ValidationError, match="rad 2"):
        parse_questions("Finns mål? | Delvis\nFinns samverkan? Ja")
