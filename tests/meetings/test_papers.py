"""Case papers, kallelse and protocol as real DOCX and PDF files in the Word template."""

from __future__ import annotations

import io
import zipfile

import pdfplumber
import pytest
from docx import Document as Docx

from styra.documents.docx import TEMPLATE as SHIPPED_TEMPLATE
from styra.documents.word.make_template import make as build_template
from styra.meetings import services
from styra.meetings.models import DocumentKind, ItemKind
from tests.actors import SYSTEM

from .conftest import aware


def docx_text(data: bytes) -> tuple[list[tuple[str, str]], str]:
    doc = Docx(io.BytesIO(data))
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    header = "\n".join(p.text for s in doc.sections for p in s.header.paragraphs)
    return paras, header


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.fixture
def case(committee, members):
    case = services.case_create(
        actor=SYSTEM,
        committee=committee,
        title="Delår 2",
        dnr="AVUX/2020:37",
        classification="1.4.1.1",
        proposal="Nämnden godkänner delårsrapport 2.\nRapporten skickas till kommunstyrelsen.",
        background="Förvaltningen har sammanställt rapporten.",
        economy="Prognosen är ett överskott.",
        child_analysis="Barn berörs inte direkt.",
        basis="Tjänsteskrivelse\nDelårsrapport 2 2020",
        distribution="Kommunledningsförvaltningen",
        signatories="Marie Direktör | Arbetsmarknadsdirektör",
    )
    services.case_attach_report(
        actor=SYSTEM,
        case=case,
        title="Delårsrapport 2 2020",
        file_bytes=b"%PDF-1.7",
        filename="d2.pdf",
        summary_text="Nämnden prognostiserar ett överskott om 13,5 mkr.",
    )
    return case


@pytest.mark.django_db
def test_officials_report_docx_has_every_section_from_the_case(case):
    docs = services.case_papers_generate(actor=SYSTEM, case=case)
    report = next(d for d in docs if d.kind == DocumentKind.REPORT and d.filename.endswith(".docx"))
    paras, header = docx_text(report.file.read())
    headings = [t for s, t in paras if s.startswith("Heading")]
    assert headings == [
        "Förslag till beslut",
        "Sammanfattning",
        "Ärendet",
        "Ekonomiska konsekvenser",
        "Barnkonsekvensanalys",
        "Underlag för beslut",
        "Bilagor",
        "Expedieras till",
    ]
    texts = [t for _, t in paras]
    assert "1. Nämnden godkänner delårsrapport 2." in texts
    assert "2. Rapporten skickas till kommunstyrelsen." in texts
    assert "Nämnden prognostiserar ett överskott om 13,5 mkr." in texts  # from the report
    assert "Bilaga 1: Delårsrapport 2 2020" in texts
    assert any("AVUX/2020:37" in t for t in texts)
    assert "Botkyrka (demo)" in header and "Arbetsmarknads" in header


@pytest.mark.django_db
def test_chair_proposal_pdf_has_the_same_decision_and_summary(case):
    docs = services.case_papers_generate(actor=SYSTEM, case=case)
    chair = next(
        d for d in docs if d.kind == DocumentKind.CHAIR_PROPOSAL and d.filename.endswith(".pdf")
    )
    text = pdf_text(chair.file.read())
    assert "Ordförandeförslag".upper() in text.upper()
    assert "Nämnden godkänner delårsrapport 2." in text
    assert "13,5 mkr" in text
    assert "Ing-Marie Viklund" in text
    assert "Sida 1 av" in text


@pytest.mark.django_db
def test_notice_as_pdf_and_docx_lists_the_agenda_but_not_confidential_titles(committee, members):
    meeting = services.meeting_create(
        actor=SYSTEM,
        committee=committee,
        start=aware(2020, 9, 10),
        place="Kommunhuset och via Microsoft Teams",
    )
    services.agenda_item_add(
        actor=SYSTEM,
        meeting=meeting,
        kind=ItemKind.INFORMATION,
        title="Information om samhällsorientering",
    )
    services.agenda_item_add(
        actor=SYSTEM,
        meeting=meeting,
        kind=ItemKind.REPORTED,
        title="Lex Sarah-rapport 1278",
        confidential=True,
    )
    findings = services.notice_produce(
        actor=SYSTEM, meeting=meeting, sent_on=meeting.date.replace(day=5), text="Välkomna."
    )
    assert findings and "7 dagar" in findings[0].rule  # 5 sep is later than 3 sep
    pdf = meeting.documents.get(kind=DocumentKind.NOTICE, filename__endswith=".pdf")
    text = pdf_text(pdf.file.read())
    assert (
        "Information om samhällsorientering" in text
        and "Kommunhuset och via Microsoft Teams" in text
    )
    assert "2020-09-10 kl. 18:00" in text
    assert "Lex Sarah" not in text and "1 ärende(n) behandlas i sekretessdelen" in text
    docx = meeting.documents.get(kind=DocumentKind.NOTICE, filename__endswith=".docx")
    doc = Docx(io.BytesIO(docx.file.read()))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "Information om samhällsorientering" in cells and "Lex Sarah-rapport 1278" not in cells


def test_shipped_template_is_a_word_file_with_header_logo_and_page_field():
    doc = Docx(str(SHIPPED_TEMPLATE))
    header = doc.sections[0].header
    assert "{{kommun}}" in header.paragraphs[0].text
    assert "{{namnd}}" in header.paragraphs[1].text
    assert header.part.package and any("image" in r.reltype for r in header.part.rels.values())
    with zipfile.ZipFile(SHIPPED_TEMPLATE) as z:
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
    assert any(" PAGE " in f and " NUMPAGES " in f and "{{sidfot}}" in f for f in footers)


@pytest.mark.django_db
def test_municipality_can_point_to_its_own_template(settings, tmp_path, case):
    own = build_template(tmp_path / "egen.docx")
    d = Docx(str(own))
    d.sections[0].header.paragraphs[0].add_run(" – Egen mall")
    d.save(str(own))
    settings.STYRA_DOCX_TEMPLATE = str(own)
    docs = services.case_papers_generate(actor=SYSTEM, case=case)
    report = next(x for x in docs if x.filename.endswith(".docx") and x.kind == DocumentKind.REPORT)
    _, header = docx_text(report.file.read())
    assert "Egen mall" in header
