"""Every table of a page as an Excel file: the page's address with `?format=xlsx`.

The page is rendered as usual by its own view (which authorised the reader); this
middleware turns each <table> of the HTML into a sheet: the caption names the sheet,
the header row keeps the Swedish headings, and cells marked as numbers (class "num")
become numbers in Excel, never text. Text only for screen readers is left out."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from html.parser import HTMLParser

from django.http import HttpResponse
from django.utils.text import slugify

from styra.lib.numbers import NumberFormatError, parse_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NUMBER = re.compile(r"^\s*[+\-−–]?\s*\d[\d\s\u00a0\u202f]*(?:,\d+)?\s*%?")
_SKIP_CLASSES = {"visually-hidden", "flag"}


class _Tables(HTMLParser):
    """Collects tables: caption, header rows, body rows of (text, is_number) cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._stack: list[dict] = []
        self._cell: dict | None = None
        self._caption: list[str] | None = None
        self._skip = 0  # depth inside an element whose text is left out
        self._section = "tbody"
        self._tags: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        skip = bool(classes & _SKIP_CLASSES) or attrs.get("aria-hidden") == "true"
        if tag in ("br", "input", "img", "hr", "meta", "link"):
            if tag == "br" and self._cell is not None and not self._skip:
                self._cell["text"].append(" ")
            return
        self._tags.append((tag, skip))
        if skip:
            self._skip += 1
        if tag == "table":
            self._stack.append({"caption": "", "head": [], "body": []})
        elif not self._stack:
            return
        elif tag == "caption":
            self._caption = []
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr":
            target = "head" if self._section == "thead" else "body"
            self._stack[-1][target].append([])
        elif tag in ("td", "th"):
            self._cell = {
                "text": [],
                "num": "num" in classes,
                "span": int(attrs.get("colspan") or 1)
                if (attrs.get("colspan") or "1").isdigit()
                else 1,
            }

    def handle_endtag(self, tag):
        while self._tags:
            open_tag, skip = self._tags.pop()
            if skip:
                self._skip -= 1
            if open_tag == tag:
                break
        if not self._stack:
            return
        table = self._stack[-1]
        if tag == "caption" and self._caption is not None:
            table["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            rows = table["head"] if self._section == "thead" else table["body"]
            if not rows:
                rows.append([])
            text = " ".join("".join(self._cell["text"]).split())
            rows[-1].append((text, self._cell["num"]))
            rows[-1].extend([("", False)] * (self._cell["span"] - 1))
            self._cell = None
        elif tag in ("thead", "tfoot"):
            self._section = "tbody"
        elif tag == "table":
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell["text"].append(data)
        elif self._caption is not None:
            self._caption.append(data)


def number_of(text: str) -> Decimal | None:
    """The number a formatted cell shows ("-26 179", "+10 500 ▲", "41 %"), or None."""
    match = _NUMBER.match(text)
    if not match:
        return None
    try:
        value = parse_number(match.group(0).replace("%", "").strip())
    except NumberFormatError:
        return None
    return value


def tables_of(html: str) -> list[dict]:
    parser = _Tables()
    parser.feed(html)
    return [t for t in parser.tables if t["head"] or t["body"]]


def workbook_bytes(tables: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from styra.lib.spreadsheet import xlsx_append

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for i, table in enumerate(tables, 1):
        name = re.sub(r"[\[\]:*?/\\]", " ", table["caption"] or f"Tabell {i}")[:28].strip()
        base, n = name or f"Tabell {i}", 2
        while name.lower() in used or not name:
            name = f"{base[:25]} {n}"
            n += 1
        used.add(name.lower())
        sheet = book.create_sheet(name)
        if table["caption"]:
            xlsx_append(sheet, [table["caption"]])
            sheet.cell(row=1, column=1).font = Font(bold=True)
        for row in table["head"]:
            xlsx_append(sheet, [text for text, _num in row])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        for row in table["body"]:
            values = []
            for text, is_number in row:
                number = number_of(text) if is_number else None
                values.append(number if number is not None else text)
            xlsx_append(sheet, values)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, Decimal):
                    cell.number_format = (
                        "#,##0" if cell.value == cell.value.to_integral_value() else "#,##0.00"
                    )
        for column in sheet.columns:
            width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    if not tables:
        xlsx_append(book.create_sheet("Tom"), ["Sidan har inga tabeller."])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class XlsxExportMiddleware:
    """`?format=xlsx` on any page: its tables as an .xlsx download (GET, 200, HTML)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "GET"
            and request.GET.get("format") == "xlsx"
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "streaming", False)
        ):
            title = _title(response.content.decode("utf-8", "replace"))
            data = workbook_bytes(tables_of(response.content.decode("utf-8", "replace")))
            out = HttpResponse(data, content_type=XLSX)
            filename = (slugify(title) or "styra")[:80] + ".xlsx"
            out["Content-Disposition"] = f'attachment; filename="{filename}"'
            return out
        return response


def _title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    return match.group(1).replace("– Styra", "").strip() if match else "styra"
