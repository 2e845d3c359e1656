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
