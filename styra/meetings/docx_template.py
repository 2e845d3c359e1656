"""The municipality's Word template, made with python-docx (and a logo drawn in pure
Python). The shipped file templates_docx/kommunmall.docx was made by this module; a
municipality replaces it with its own (setting STYRA_DOCX_TEMPLATE).

A template may contain the placeholders {kommun} and {namnd} in its header; they are
replaced when a paper is produced. Regenerate: python -m styra.meetings.docx_template
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates_docx"
SHIPPED_TEMPLATE = TEMPLATE_DIR / "kommunmall.docx"
LOGO_PNG = TEMPLATE_DIR / "logo-platshallare.png"


def _png(width: int, height: int, pixel) -> bytes:
    """A minimal RGBA PNG encoder: pixel(x, y) -> (r, g, b, a)."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter: none
        for x in range(width):
            raw.extend(pixel(x, y))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + tag
            + data
            + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )


def logo_png(size: int = 96) -> bytes:
    """A placeholder logo: a dark blue shield-like disc with a light band."""
    centre = (size - 1) / 2
    radius = size / 2 - 2

    def pixel(x: int, y: int):
        dx, dy = x - centre, y - centre
        if dx * dx + dy * dy > radius * radius:
            return (255, 255, 255, 0)
        if abs(dy) < size / 10:
            return (230, 236, 245, 255)
        return (20, 60, 120, 255)

    return _png(size, size, pixel)


def _add_field(paragraph, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def build_template(path: Path = SHIPPED_TEMPLATE) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    path.parent.mkdir(parents=True, exist_ok=True)
    LOGO_PNG.write_bytes(logo_png())
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.0)

    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 12.5)):
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0x14, 0x3C, 0x78)

    header = section.header.paragraphs[0]
    header.add_run().add_picture(str(LOGO_PNG), height=Cm(1.2))
    header.add_run("  {kommun}").bold = True
    second = section.header.add_paragraph("{namnd}")
    second.runs[0].font.size = Pt(9)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Sida ")
    _add_field(footer, "PAGE")
    footer.add_run(" av ")
    _add_field(footer, "NUMPAGES")

    # The body of the template is left empty: papers are written after its last element.
    doc.save(str(path))
    return path


if __name__ == "__main__":  # pragma: no cover
    print(build_template())
