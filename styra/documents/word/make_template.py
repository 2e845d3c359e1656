"""Make the Word template styra/documents/word/kommun.docx (run at development time; the
file is committed). Every Word file Styra writes (reports, papers, kallelse, protocol) uses
it; a municipality points STYRA_DOCX_TEMPLATE at its own template with the same style names
(Title, Subtitle, Heading 1–4, Normal, List Bullet, Caption, Tabellnot, the table style
"Styra tabell") and the placeholders {{kommun}} and {{namnd}} in the header and {{sidfot}}
in the footer.

    .venv/bin/python -m styra.documents.word.make_template
"""

from __future__ import annotations

import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACCENT = (0x00, 0x52, 0x93)


def _logo() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (240, 240), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((8, 8, 232, 232), radius=36, fill=ACCENT)
    d.polygon([(60, 180), (120, 60), (180, 180)], fill=(255, 255, 255))
    d.rectangle((100, 140, 140, 180), fill=ACCENT)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _field(paragraph, instr: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instr} "
    run._r.append(text)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run("1")
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def make(path: Path = HERE / "kommun.docx") -> Path:
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    accent = RGBColor(*ACCENT)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), "Arial")
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "sv-SE")
    rpr.append(lang)
    for name, size in (
        ("Title", 26),
        ("Heading 1", 16),
        ("Heading 2", 13),
        ("Heading 3", 11.5),
        ("Heading 4", 10.5),
    ):
        st = styles[name]
        st.font.name = "Arial"
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.color.rgb = accent
        st.paragraph_format.space_before = Pt(14 if name != "Heading 4" else 8)
        st.paragraph_format.space_after = Pt(4)
        st.paragraph_format.keep_with_next = True
    styles["Subtitle"].font.name = "Arial"
    styles["Subtitle"].font.color.rgb = RGBColor(0x34, 0x49, 0x5E)
    styles["Caption"].font.name = "Arial"
    styles["Caption"].font.size = Pt(9)
    styles["Caption"].font.color.rgb = RGBColor(0x1A, 0x1A, 0x1A)
    styles["Caption"].font.italic = False
    styles["Caption"].font.bold = True
    if "Tabellnot" not in [s.name for s in styles]:
        note = styles.add_style("Tabellnot", WD_STYLE_TYPE.PARAGRAPH)
        note.base_style = normal
        note.font.size = Pt(8)
    table_style = styles.add_style("Styra tabell", WD_STYLE_TYPE.TABLE)
    table_style.base_style = styles["Table Grid"]
    table_style.font.size = Pt(8)
    table_style.font.name = "Arial"
    table_style.paragraph_format.space_after = Pt(0)

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2)
    header = section.header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(_logo()), height=Cm(1.0))
    run = header.add_run("  {{kommun}}")
    run.bold = True
    run.font.color.rgb = accent
    committee = section.header.add_paragraph().add_run("{{namnd}}")
    committee.font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(Cm(17), WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run("{{sidfot}}\tSida ")
    _field(footer, "PAGE")
    footer.add_run(" av ")
    _field(footer, "NUMPAGES")
    for r in footer.runs:
        r.font.size = Pt(8)
    doc.core_properties.language = "sv-SE"
    doc.core_properties.title = "Kommunens dokumentmall"
    doc.save(path)
    return path


if __name__ == "__main__":
    print(make())
