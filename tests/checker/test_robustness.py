"""Any file gets findings or a clear Swedish error (exit 2), never a traceback."""

from __future__ import annotations

import json

import jsonschema
import pytest

from styra.checker import sample
from styra.checker.api import check_file
from styra.checker.cli import main
from styra.checker.render import render_html, render_json
from styra.checker.schema_path import SCHEMA_PATH


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("tom.txt", b"", "tom"),
        ("skrap.bin", bytes(range(256)) * 40, "binärt"),
        ("trasig.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nskrap", "PDF"),
        ("tom.docx", b"PK\x03\x04inte ett riktigt arkiv", "DOCX"),
    ],
)
def test_unreadable_files_give_a_clear_error_and_exit_2(tmp_path, capsys, name, data, words):
    p = tmp_path / name
    p.write_bytes(data)
    result = check_file(p)
    assert result.error and str(p) in result.error and words in result.error
    assert main([str(p)]) == 2
    assert "Kan inte kontrollera" in capsys.readouterr().out


def test_an_empty_docx_is_reported_as_empty(tmp_path):
    import docx

    p = tmp_path / "tom.docx"
    docx.Document().save(str(p))
    assert "ingen text" in check_file(p).error


def test_missing_file_and_directory(tmp_path):
    assert "finns inte" in check_file(tmp_path / "nej.pdf").error
    assert "mapp" in check_file(tmp_path).error


def test_help_is_swedish_and_exits_0(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "styra check" in out and "Slutkoder" in out


def test_bad_usage_exits_2(capsys):
    assert main(["--format", "xml", "x"]) == 2


def test_json_output_follows_the_documented_schema(tmp_path, capsys):
    p = tmp_path / "r.txt"
    p.write_text(
        sample.render_text(sample.make_report(2, {"enhetssumma", "kon"})), encoding="utf-8"
    )
    assert main(["--format", "json", str(p)]) == 1
    data = json.loads(capsys.readouterr().out)
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["summary"]["fel"] == len([f for f in data["findings"] if f["severity"] == "fel"])
    jsonschema.validate(json.loads(render_json(check_file(tmp_path / "nej.txt"))), schema)


def test_html_view_marks_the_lines_with_findings(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(sample.render_text(sample.make_report(2, {"enhetssumma"})), encoding="utf-8")
    result = check_file(p)
    page = render_html(result)
    line = result.findings[0].location.line
    assert f"id='L{line}'" in page and "class='l fel'" in page and "<script" not in page


def test_html_escapes_document_text(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("<script>alert(1)</script>\nSumma 1\n", encoding="utf-8")
    assert "<script>alert" not in render_html(check_file(p))


def test_checker_modules_do_not_import_django():
    import subprocess
    import sys

    code = (
        "import sys, styra.checker.api, styra.checker.cli, styra.checker.render;"
        "sys.exit(1 if 'django' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# ------------------------------------------------------------------ limits on hostile input


def _million_paragraph_docx(path, paragraphs: int = 1_000_000):
    """A DOCX of about 100 kB whose document holds a million paragraphs."""
    import zipfile

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "<w:p><w:r><w:t>x</w:t></w:r></w:p>" * paragraphs
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document {w}><w:body>{body}</w:body></w:document>")


def test_a_million_paragraph_docx_is_refused_within_seconds(tmp_path):
    import time

    p = tmp_path / "miljon.docx"
    _million_paragraph_docx(p)
    assert p.stat().st_size < 300_000
    started = time.monotonic()
    result = check_file(p)
    assert time.monotonic() - started < 20  # python-docx took more than ten minutes
    assert "fler än 100000 stycken" in result.error and result.exit_code == 2


def test_a_docx_that_unpacks_beyond_the_limit_is_refused_before_parsing(tmp_path):
    from styra.checker.limits import Limits

    p = tmp_path / "bomb.docx"
    _million_paragraph_docx(p, 10_000)
    result = check_file(p, limits=Limits(max_unpacked=100_000))
    assert "uppackad" in result.error


def test_docx_paragraphs_tables_and_headings_are_read_from_the_xml(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("Ekonomi", level=2)
    d.add_paragraph("Inledning.")
    t = d.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Enhet", "Budget 2020"), ("A", "-100"), ("Summa", "-100")]):
        t.cell(r, 0).text, t.cell(r, 1).text = a, b
    p = tmp_path / "r.docx"
    d.save(str(p))
    from styra.checker.reader_docx import read_docx

    doc = read_docx(p)
    texts = [ln.text for ln in doc.lines if ln.text]
    assert texts == ["Ekonomi", "Inledning.", "Enhet\tBudget 2020", "A\t-100", "Summa\t-100"]
    assert doc.lines[0].heading == 2 and doc.lines[3].cells == ["Enhet", "Budget 2020"]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused_with_exit_2(capsys, device):
    assert main([device]) == 2
    assert "ingen vanlig fil" in capsys.readouterr().out


def test_a_named_pipe_is_refused_without_waiting(tmp_path, capsys):
    import os

    fifo = tmp_path / "rör.txt"
    os.mkfifo(fifo)
    assert main([str(fifo)]) == 2
    assert "ingen vanlig fil" in capsys.readouterr().out


def test_a_20_mb_text_file_stays_within_a_gigabyte(tmp_path):
    """Run in a child process with 1 GB of address space: refused by its line count, fast,
    without a traceback (the old reader needed 3 GB for such a file)."""
    import subprocess
    import sys

    p = tmp_path / "stor.txt"
    with open(p, "w", encoding="utf-8") as out:
        for i in range(800_000):
            out.write(f"Enhet nr {i:06d}\t-1 234\t5\n")
    assert p.stat().st_size > 19_000_000
    code = (
        "import resource,sys;"
        "resource.setrlimit(resource.RLIMIT_AS,(1<<30,1<<30));"
        "from styra.checker.cli import main;sys.exit(main(sys.argv[1:]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(p)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2, proc.stderr[-500:]
    assert "fler än gränsen 100000" in proc.stdout and "Traceback" not in proc.stderr


def test_line_length_and_file_size_limits(tmp_path):
    from styra.checker.limits import Limits

    p = tmp_path / "lång.txt"
    p.write_text("Summa " + "1 " * 20_000 + "\n", encoding="utf-8")
    assert "rad 1 har" in check_file(p).error
    q = tmp_path / "r.txt"
    q.write_text("Enhet A\t1\n" * 100, encoding="utf-8")
    assert "större än gränsen" in check_file(q, limits=Limits(max_bytes=100)).error
    assert "fler än gränsen 50" in check_file(q, limits=Limits(max_lines=50)).error


def test_limits_come_from_the_environment():
    from styra.checker.limits import DEFAULT, from_env

    assert from_env({"STYRA_CHECK_MAX_LINES": "7"}).max_lines == 7
    assert from_env({"STYRA_CHECK_MAX_LINES": "många"}) == DEFAULT


def test_the_shown_name_replaces_the_path_in_messages(tmp_path):
    p = tmp_path / "x.pdf"
    p.write_bytes(b"%PDF-1.4 trasig")
    result = check_file(p, name="min rapport.pdf")
    assert result.error.startswith("min rapport.pdf:") and str(tmp_path) not in result.error


# ------------------------------------------------------------------------------- fuzzing

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    [
        "\t", "\n", "\n\n", "\f", " ", "  ", "-", "−", "%", ",", "1", "12", "1 234", "-5,0",
        "0", "Summa", "Totalt", "Netto", "varav", "Intäkter", "Kostnader", "Budget 2020",
        "Prognos", "Avvikelse", "Avv Budget-Utfall", "tkr", "mnkr", "TOTALT", "Män",
        "Kvinnor", "överskott på 3,1 mkr", "Nämnden", "(5 av 12)", "42 %", "<b>", "**", "#",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=120), st.text(max_size=40))
def test_any_text_gives_findings_or_a_clear_error_never_an_exception(
    tmp_path_factory, pieces, noise
):
    p = tmp_path_factory.mktemp("fuzz") / "r.txt"
    p.write_text("".join(pieces) + noise, encoding="utf-8", errors="surrogatepass")
    result = check_file(p)
    assert result.error is None or result.error.startswith(str(p))
    render_html(result)
    render_json(result)
