"""Counts in prose against what is listed.

- Goal assessment counts: a summary sentence ("god måluppfyllnad för åtta nämndmål,
  godtagbar för ett ...") against the assessments written under each goal ("Nämndens mål:"
  sections). Each goal's class is read from its assessment sentence (sentences starting with
  "Bedömning"/"Prognos" first); when any goal cannot be classified, or a goal's sentences
  disagree, nothing is said.
- "fem av sju mått": the second number against the measures listed in that goal's table.
"""

from __future__ import annotations

import re

from ..findings import Figure, Finding, loc_line
from ..model import Document, Line
from . import Context, rule
from .prose import _join, paragraphs

WORDS = {
    "en": 1, "ett": 1, "ena": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7,
    "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14,
    "femton": 15, "sexton": 16, "sjutton": 17, "arton": 18, "nitton": 19, "tjugo": 20,
    "inget": 0, "inga": 0, "noll": 0,
}  # fmt: skip
NUM = r"(\d+|" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
CLASSES = ("god", "godtagbar", "ej godtagbar", "kan inte bedömas")
NAMES = {
    "god": "god",
    "godtagbar": "godtagbar",
    "ej godtagbar": "ej godtagbar",
    "kan inte bedömas": "kan inte bedömas",
}

SUMMARY = {
    "god": re.compile(r"(?<![a-zåäö])god(?:a)? måluppfyll\w* för " + NUM + r"\b", re.I),
    "godtagbar": re.compile(
        r"(?<!ej )(?<!inte )(?<![a-zåäö])godtagbar\w* (?:måluppfyll\w* )?för " + NUM + r"\b", re.I
    ),
    "ej godtagbar": re.compile(
        r"(?:ej|inte) godtagbar\w* (?:måluppfyll\w* )?för " + NUM + r"\b", re.I
    ),
    "kan inte bedömas": re.compile(
        NUM + r" (?:nämnd)?mål kan (?:inte|ej) (?:följas upp|bedömas)", re.I
    ),
}
GOAL_START = re.compile(r"^\s*nämndens mål\s*(?::\s*(.*))?$", re.I)
SECTION_END = re.compile(r"^\s*(målområde|fullmäktiges utvecklingsmål)", re.I)

CLASSIFY = [
    (
        "kan inte bedömas",
        re.compile(
            r"kan (?:inte|ej) bedömas|går inte att bedöma|"
            r"inte (?:har )?varit möjligt att följa upp|"
            r"kan (?:inte|ej) följas upp|inte analyseras|ej bedömningsbar",
            re.I,
        ),
    ),
    (
        "ej godtagbar",
        re.compile(
            r"(?:ej|inte) godtagbar|målet (?:kommer )?(?:inte|ej) (?:att )?(?:uppnås|nås)|"
            r"målet är (?:inte|ej) uppfyllt|målet uppfylls (?:inte|ej)",
            re.I,
        ),
    ),
    ("godtagbar", re.compile(r"(?<!ej )(?<!inte )godtagbar", re.I)),
    (
        "god",
        re.compile(
            r"(?<![a-zåäö])god(?:a)? måluppfyll|målet är uppfyllt|målet uppfylls|uppnått god", re.I
        ),
    ),
]


def _num(word: str) -> int | None:
    w = word.lower()
    if w.isdigit():
        return int(w)
    return WORDS.get(w)


def goal_sections(doc: Document) -> list[tuple[Line, list[Line]]]:
    sections: list[tuple[Line, list[Line]]] = []
    current: tuple[Line, list[Line]] | None = None
    for line in doc.lines:
        text = line.text.strip()
        if GOAL_START.match(text) and not line.cells:
            current = (line, [])
            sections.append(current)
            continue
        if current is None:
            continue
        if SECTION_END.match(text) or (
            line.heading and line.heading <= 2 and not re.match(r"analys|kommentar", text, re.I)
        ):
            current = None
            continue
        current[1].append(line)
    return sections


def _sentences(lines: list[Line]) -> list[tuple[str, Line]]:
    out = []
    fake = Document(path="", kind="text", lines=lines)
    for para in paragraphs(fake):
        text, offsets = _join(para)
        pos = 0
        for part in re.split(r"(?<=[.!?])\s+", text):
            ln = offsets[0][1]
            for start, l2 in offsets:
                if start <= pos:
                    ln = l2
            out.append((part, ln))
            pos += len(part) + 1
    # Table rows carry comments too ("Analys ... utgår").
    for ln in lines:
        if ln.cells:
            out.append((" ".join(c for c in ln.cells if c), ln))
    return out


def classify(lines: list[Line]) -> str | None:
    sents = _sentences(lines)
    tiers = [
        [s for s in sents if re.match(r"\s*(bedömning|prognos|sammantaget)", s[0], re.I)],
        [s for s in sents if re.search(r"bedöm|prognos", s[0], re.I)],
        sents,
    ]
    for tier in tiers:
        found = set()
        for text, _ln in tier:
            for name, pat in CLASSIFY:
                if pat.search(text):
                    found.add(name)
                    break
        if len(found) == 1:
            return found.pop()
        if len(found) > 1:
            return None
    return None


@rule("malantal", "Antal nämndmål per bedömning i sammanfattningen mot målen som redovisas")
def check_goal_counts(ctx: Context) -> list[Finding]:
    doc = ctx.doc
    sections = goal_sections(doc)
    if len(sections) < 2:
        return []
    first_goal = sections[0][0].number
    out: list[Finding] = []
    classes = [classify(body) for _, body in sections]
    if any(c is None for c in classes):
        return []
    counted = {c: classes.count(c) for c in CLASSES}
    for para in paragraphs(doc):
        if para[0].number >= first_goal:
            break
        text, offsets = _join(para)
        stated: dict[str, int] = {}
        for cls, pat in SUMMARY.items():
            m = pat.search(text)
            if m:
                n = _num(m.group(1))
                if n is not None:
                    stated[cls] = n
        if len(stated) < 2:
            continue
        wrong = {c: n for c, n in stated.items() if counted[c] != n}
        if not wrong:
            continue
        line = offsets[0][1]
        for start, ln in offsets:
            if start <= text.lower().find("måluppfyll"):
                line = ln
        st = " / ".join(f"{NAMES[c]} {stated.get(c, '–')}" for c in CLASSES)
        ct = " / ".join(f"{NAMES[c]} {counted[c]}" for c in CLASSES)
        out.append(
            Finding(
                rule="malantal",
                severity="fel",
                message=(
                    f"Sammanfattningen anger {st} nämndmål, men bedömningarna under de "
                    f"{len(sections)} målen ger {ct}."
                ),
                location=loc_line(line, ctx.kind),
                expected=ct,
                found=st,
                figures=[
                    Figure(
                        f"nämndmål: {head.text.strip()[:70]}", NAMES[c], loc_line(head, ctx.kind)
                    )
                    for (head, _), c in zip(sections, classes, strict=True)
                ],
            )
        )
    return out


AV = re.compile(NUM + r" av " + NUM + r" (?:målsatta )?mått\b", re.I)


@rule("mattantal", "”X av Y mått” mot antalet mått i målets tabell")
def check_measure_counts(ctx: Context) -> list[Finding]:
    doc = ctx.doc
    out: list[Finding] = []
    for head, body in goal_sections(doc):
        span = (body[0].number, body[-1].number) if body else (0, 0)
        tables = [t for t in doc.tables if span[0] <= t.first_line <= span[1]]
        if len(tables) != 1:
            continue
        measures = [r for r in tables[0].rows if r.label.strip() and r.kind != "section"]
        n_listed = len(measures)
        for text, ln in _sentences([b for b in body if not b.cells]):
            for m in AV.finditer(text):
                total = _num(m.group(2))
                if total is None or total == n_listed:
                    continue
                out.append(
                    Finding(
                        rule="mattantal",
                        severity="fel",
                        message=(
                            f"Texten talar om {m.group(0)} men målets tabell redovisar "
                            f"{n_listed} mått."
                        ),
                        location=loc_line(ln, ctx.kind),
                        expected=f"{n_listed} mått",
                        found=f"{total} mått",
                        figures=[
                            Figure("nämndmål", head.text.strip()[:70], loc_line(head, ctx.kind))
                        ],
                    )
                )
    return out
