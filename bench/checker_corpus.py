"""Precision and recall of `styra check`, in one command, on three sets:

1. the shared corpus (../shared/checker-corpus: real public pages with answer keys), scored
   by the rule in its README (a finding matches an item when one of its line references is
   within 4 lines of one of the item's lines and it mentions one of the item's numbers);
2. the reference documents against tests/checker/expectations.yaml (tests/checker/score.py);
3. documents made here by transforming real tables of the reference documents: new layouts
   (a page break inside the table with the header repeated, one cell per line, both at
   once, columns
   reordered, space-separated cells, tkr shown as mnkr) and injected errors (two digits
   swapped, a sign flipped, a row left out, a row doubled, a typo in a total), each with an
   answer key written by the transformation itself, scored by the same README rule.

    .venv/bin/python bench/checker_corpus.py [--visa] [--spara MAPP]

4. documents of imagined committees written from scratch by bench/checker_heldout.py
   (other layouts: tkr/mnkr/kr, minus as -, − or parentheses, Word and PDF), seed 1 for
   development and seed 2 held out, with keys made by the generator's injected errors.

Source tables are taken only where the generator's own arithmetic (not the checker's)
confirms that every total row is the sum of its rows, so a clean variant is clean. Sets
whose files are missing (../shared is not part of the project) are skipped with a note.
Exit 0 when precision ≥ 0,9 and recall ≥ 0,8 on every set measured.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "checker-corpus"
REFERENCE = SHARED / "reference-documents"

NUM = re.compile(r"[-−]?\d[\d  ]*(?:[,.]\d+)?")
TOTAL = re.compile(r"^(summa|total|totalt|netto)\b", re.IGNORECASE)


# ----------------------------------------------------------------- the README's rule


def _walk(x, key=""):
    if isinstance(x, dict):
        for k, v in x.items():
            yield from _walk(v, k)
    elif isinstance(x, list):
        for v in x:
            yield from _walk(v, key)
    else:
        yield key, x


def _parse_num(s: str):
    s = s.replace("−", "-").replace(" ", "").replace("\u00a0", "")
    try:
        return float(s.replace(",", "."))
    except ValueError:
        return None


def _features(f: dict):
    lines, nums = set(), set()
    for k, v in _walk(f):
        if isinstance(v, bool) or v is None:
            continue
        if "line" in k.lower() and isinstance(v, int):
            lines.add(v)
        elif "line" in k.lower() and isinstance(v, str):
            lines.update(int(m) for m in re.findall(r"\d+", v))
        elif isinstance(v, int | float):
            nums.add(float(v))
        elif isinstance(v, str):
            for m in NUM.findall(v):
                n = _parse_num(m)
                if n is not None:
                    nums.add(n)
    return lines, nums


def _near(a, b, d=4):
    return any(abs(x - y) <= d for x in a for y in b)


def _mentions(nums, key_nums, k=1):
    hit = 0
    for kn in key_nums:
        if any(
            abs(n - kn) < 1e-6 or abs(abs(n) - abs(kn)) < 1e-6 or abs(n - kn * 1000) < 1
            for n in nums
        ):
            hit += 1
    return hit >= k


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    neutral: int = 0
    items: int = 0
    found: int = 0
    false: list = field(default_factory=list)
    missed: list = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.neutral += other.neutral
        self.items += other.items
        self.found += other.found
        self.false += other.false
        self.missed += other.missed

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.items if self.items else 1.0


def score_key(key: dict, findings: list[dict], doc: str = "") -> Score:
    s = Score()
    matched = set()
    for f in findings:
        lines, nums = _features(f)
        hit = None
        for it in key["items"]:
            if lines and _near(lines, it["lines"]) and (not nums or _mentions(nums, it["numbers"])):
                hit = it["id"]
                break
            if not lines and _mentions(nums, it["numbers"], 2):
                hit = it["id"]
                break
        if hit:
            s.tp += 1
            matched.add(hit)
        elif lines and any(_near(lines, n["lines"]) for n in key.get("neutral", [])):
            s.neutral += 1
        else:
            s.fp += 1
            s.false.append(
                f"{doc}: {f.get('rule')} rad {f['location'].get('line')}: "
                f"{f.get('message', '')[:140]}"
            )
    tier_a = [i for i in key["items"] if i.get("tier", "A") == "A"]
    s.items = len(tier_a)
    s.found = sum(1 for i in tier_a if i["id"] in matched)
    s.missed += [f"{doc}: {i['id']} {i.get('what', '')}" for i in tier_a if i["id"] not in matched]
    return s


def check(path: Path) -> list[dict]:
    from styra.checker.api import check_file

    return check_file(path).to_dict()["findings"]


# ------------------------------------------------------------------ set 1: shared corpus


def shared_corpus() -> Score | None:
    if not (CORPUS / "keys").is_dir():
        return None
    total = Score()
    for key_path in sorted((CORPUS / "keys").glob("*.json")):
        key = json.loads(key_path.read_text(encoding="utf-8"))
        doc = CORPUS / "docs" / key["document"]
        total.add(score_key(key, check(doc), doc.name))
    return total


# ---------------------------------------------------------- set 2: reference documents


def reference_documents() -> Score | None:
    if not REFERENCE.is_dir():
        return None
    from styra.checker.api import check_file
    from tests.checker.score import load_expectations, score_document

    total = Score()
    for name, spec in load_expectations().items():
        s = score_document(name, spec, check_file(REFERENCE / name))
        total.tp += s["true_positives"]
        total.fp += len(s["false_positives"])
        total.items += s["real"]
        total.found += s["found"]
        total.false += [f"{name}: {f.rule} rad {f.location.line}" for f in s["false_positives"]]
        total.missed += [f"{name}: {it['id']} {it['what']}" for it in s["missed"]]
    return total


# -------------------------------------------------------- set 3: transformed documents


def _dec(text: str) -> Decimal | None:
    t = text.replace("\u00a0", " ").replace("−", "-").replace(" ", "").replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", t):
        return None
    return Decimal(t)


def _places(text: str) -> int:
    return len(text.rsplit(",", 1)[1]) if "," in text else 0


def _show(value: Decimal, places: int) -> str:
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + " ".join(groups) + ("," + frac if places else "")


@dataclass
class Source:
    origin: str
    header: list[str]
    rows: list[list[str]]  # label, then one text per value column
    totals: dict[int, list[int]]  # total row index -> the row indexes it sums


def _sources() -> list[Source]:
    """Tab-separated tables of the reference documents whose every total row is, by this
    generator's own arithmetic, the sum of the rows since the previous total, in every
    column (within the rounding of the shown figures)."""
    out = []
    for doc in sorted(REFERENCE.glob("*.txt")):
        lines = doc.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            if "\t" not in lines[i]:
                i += 1
                continue
            j = i
            while j < len(lines) and "\t" in lines[j]:
                j += 1
            block = [re.sub(r"</?b>", "", ln).split("\t") for ln in lines[i:j]]
            i = j
            header, body = block[0], block[1:]
            width = len(header)
            if len(body) < 3 or any(_dec(c) is not None for c in header[1:] if c.strip()):
                continue
            if any(len(r) != width for r in body):
                continue
            if not all(_dec(c) is not None or not c.strip() for r in body for c in r[1:]):
                continue
            totals: dict[int, list[int]] = {}
            since: list[int] = []
            for k, r in enumerate(body):
                if TOTAL.match(r[0].strip()) and since:
                    totals[k] = since
                    since = []
                elif not TOTAL.match(r[0].strip()):
                    since.append(k)
            if not totals or not all(_holds(body, t, parts) for t, parts in totals.items()):
                continue
            out.append(Source(f"{doc.name}:{i - len(block) + 1}", header, body, totals))
    return out


def _holds(body, t: int, parts: list[int]) -> bool:
    for c in range(1, len(body[t])):
        total = _dec(body[t][c])
        if total is None:
            continue
        vals = [_dec(body[p][c]) for p in parts]
        if any(v is None for v in vals if v is not None) or len(parts) < 2:
            return False
        places = [_places(body[p][c]) for p in parts if body[p][c].strip()]
        tol = sum(Decimal("0.5") * Decimal(1).scaleb(-pl) for pl in places)
        tol += Decimal("0.5") * Decimal(1).scaleb(-_places(body[t][c]))
        if abs(sum(v for v in vals if v is not None) - total) > tol:
            return False
    return True


@dataclass
class Variant:
    name: str
    header: list[str]
    rows: list[list[str]]
    layout: str = "tab"  # tab, break, vertical, spaces
    marks: list[tuple[int, list[Decimal]]] = field(default_factory=list)  # row idx, numbers
    what: str = ""


def _render(v: Variant) -> tuple[str, dict[int, list[int]]]:
    """The document's text and, per table row, its 1-based line numbers."""
    out = [
        "Ekonomisk uppföljning",
        "",
        "Tabellen nedan visar nämndens ekonomiska läge vid uppföljningen.",
        "",
    ]
    where: dict[int, list[int]] = {}

    def emit(text: str) -> int:
        out.append(text)
        return len(out)

    if v.layout in ("tab", "break"):
        where[-1] = [emit("\t".join(v.header))]
        half = len(v.rows) // 2
        for k, r in enumerate(v.rows):
            if v.layout == "break" and k == half:
                emit("")
                out[-1] = "\f"
                emit("Fortsättning från föregående sida")
                emit("")
                where[-1].append(emit("\t".join(v.header)))
            where[k] = [emit("\t".join(r))]
    elif v.layout == "spaces":
        widths = [max(len(r[c]) for r in [v.header, *v.rows]) for c in range(len(v.header))]
        where[-1] = [
            emit("   ".join(h.ljust(w) for h, w in zip(v.header, widths, strict=True)).rstrip())
        ]
        for k, r in enumerate(v.rows):
            where[k] = [
                emit(
                    "   ".join(
                        c.rjust(w) if n else c.ljust(w)
                        for n, (c, w) in enumerate(zip(r, widths, strict=True))
                    ).rstrip()
                )
            ]
    else:  # vertical: one cell per line, a blank line between cells
        where[-1] = [emit(v.header[0])]
        for h in v.header[1:]:
            where[-1].append(emit(h))
        emit("")
        half = len(v.rows) // 2
        for k, r in enumerate(v.rows):
            if v.layout == "vertical-break" and k == half:
                out.append("\f")
                emit("Sida 2")
                emit("")
                for h in v.header:
                    where[-1].append(emit(h))
                emit("")
            lines = [emit(r[0]), emit("")]
            for c in r[1:]:
                lines.append(emit(c if c.strip() else "-"))
                emit("")
            where[k] = lines
    emit("")
    emit("Avvikelserna kommenteras i avsnitten om varje verksamhet.")
    return "\n".join(out) + "\n", where


def _scaled(src: Source) -> tuple[list[str], list[list[str]]] | None:
    """tkr as mnkr with one decimal (every figure rounded on its own)."""
    if not any(re.search(r"\btkr\b", h) for h in src.header):
        return None
    header = [re.sub(r"\btkr\b", "mnkr", h) for h in src.header]
    rows = [
        [r[0]] + [_show(_dec(c) / 1000, 1) if c.strip() else c for c in r[1:]] for r in src.rows
    ]
    return header, rows


def _swap_digits(text: str) -> str | None:
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    for a, b in itertools.pairwise(digits):
        if b == a + 1 and text[a] != text[b] and not (a == digits[0] and text[b] == "0"):
            return text[:a] + text[b] + text[a] + text[b + 1 :]
    return None


def _big_cell(src: Source, rows: list[list[str]], parts: list[int]):
    """(row, col) of the largest part figure in a column a total sums."""
    best = None
    for p in parts:
        for c in range(1, len(rows[p])):
            v = _dec(rows[p][c])
            if v is not None and abs(v) >= 100 and (best is None or abs(v) > best[0]):
                best = (abs(v), p, c)
    return best[1:] if best else None


def transformed_variants(src: Source) -> list[Variant]:
    vs: list[Variant] = []
    total_row, parts = next(iter(src.totals.items()))
    for layout in ("tab", "break", "vertical", "vertical-break", "spaces"):
        vs.append(Variant(f"ren-{layout}", src.header, src.rows, layout))
    # columns reordered (the label stays first)
    order = [0, *reversed(range(1, len(src.header)))]
    vs.append(
        Variant(
            "ren-omkastade-kolumner",
            [src.header[c] for c in order],
            [[r[c] for c in order] for r in src.rows],
        )
    )
    scaled = _scaled(src)
    if scaled:
        vs.append(Variant("ren-mnkr", scaled[0], scaled[1]))
    cell = _big_cell(src, src.rows, parts)
    if cell is None:
        return vs
    p, c = cell
    old = src.rows[p][c]
    total_text = src.rows[total_row][c]
    for layout in ("tab", "break", "vertical", "vertical-break"):
        swapped = _swap_digits(old)
        if swapped:
            rows = [list(r) for r in src.rows]
            rows[p][c] = swapped
            vs.append(
                Variant(
                    f"fel-siffror-bytta-{layout}",
                    src.header,
                    rows,
                    layout,
                    [
                        (p, [_dec(swapped), _dec(old), _dec(total_text)]),
                        (total_row, [_dec(swapped), _dec(total_text)]),
                    ],
                    f"{old} skrivet som {swapped}",
                )
            )
    rows = [list(r) for r in src.rows]
    rows[p][c] = old[1:] if old.startswith("-") else "-" + old
    vs.append(
        Variant(
            "fel-tecken",
            src.header,
            rows,
            "tab",
            [(p, [_dec(rows[p][c]), _dec(total_text)]), (total_row, [_dec(total_text)])],
            f"tecknet på {old} vänt",
        )
    )
    # A whole row changes every column: every figure of the row and of its total is one of
    # the item's numbers.
    row_numbers = [_dec(x) for x in src.rows[p][1:] + src.rows[total_row][1:] if x.strip()]
    # a row left out: the total keeps its value
    rows = [list(r) for k, r in enumerate(src.rows) if k != p]
    t_new = total_row - (1 if p < total_row else 0)
    vs.append(
        Variant(
            "fel-rad-saknas",
            src.header,
            rows,
            "tab",
            [(t_new, row_numbers)],
            f"raden {src.rows[p][0]} utelämnad",
        )
    )
    # a row doubled
    rows = [list(r) for r in src.rows]
    rows.insert(p + 1, list(rows[p]))
    vs.append(
        Variant(
            "fel-rad-dubbel",
            src.header,
            rows,
            "vertical",
            [(p + 1, row_numbers), (total_row + 1, row_numbers)],
            f"raden {src.rows[p][0]} två gånger",
        )
    )
    # a typo in the total
    swapped_total = _swap_digits(total_text)
    if swapped_total:
        rows = [list(r) for r in src.rows]
        rows[total_row][c] = swapped_total
        vs.append(
            Variant(
                "fel-summa",
                src.header,
                rows,
                "break",
                [(total_row, [_dec(swapped_total), _dec(total_text)])],
                f"summan {total_text} skriven som {swapped_total}",
            )
        )
    if scaled:
        rows = [list(r) for r in scaled[1]]
        q = _swap_digits(rows[p][c])
        if q and abs(_dec(q) - _dec(rows[p][c])) >= Decimal("0.3"):
            before = rows[p][c]
            rows[p][c] = q
            vs.append(
                Variant(
                    "fel-mnkr",
                    scaled[0],
                    rows,
                    "tab",
                    [
                        (p, [_dec(q), _dec(before)]),
                        (total_row, [_dec(q), _dec(rows[total_row][c])]),
                    ],
                    f"{before} skrivet som {q} (mnkr)",
                )
            )
    return vs


def transformed(folder: Path, show: bool) -> Score | None:
    if not REFERENCE.is_dir():
        return None
    total = Score()
    count = 0
    for n, src in enumerate(_sources(), start=1):
        for v in transformed_variants(src):
            count += 1
            text, where = _render(v)
            name = f"t{n:02d}-{v.name}"
            doc = folder / f"{name}.txt"
            doc.write_text(text, encoding="utf-8")
            items = []
            if v.marks:
                lines = sorted({ln for row, _ in v.marks for ln in where[row]})
                numbers = sorted({float(x) for _, xs in v.marks for x in xs if x is not None})
                items.append(
                    {"id": "A1", "tier": "A", "lines": lines, "numbers": numbers, "what": v.what}
                )
            # The header is the source's own: the transformation vouches only for what it
            # did, so a finding about the header (its stated formula) is neither right nor
            # wrong here.
            neutral = [{"lines": where[-1], "what": "rubrikraden är källans egen"}]
            key = {"document": doc.name, "source": src.origin, "items": items, "neutral": neutral}
            (folder / f"{name}.json").write_text(json.dumps(key, ensure_ascii=False, indent=1))
            s = score_key(key, check(doc), doc.name)
            if show:
                print(f"  {name}: {s.tp} rätt, {s.fp} falska, {s.found}/{s.items}")
            total.add(s)
    total.documents = count  # type: ignore[attr-defined]
    return total


def written(folder: Path, seed: int, show: bool) -> Score:
    """Documents of imagined committees written by bench/checker_heldout.py (no ../shared):
    seed 1 was used while improving the checker, seed 2 only to measure."""
    from bench.checker_heldout import measure

    return measure(folder, seed, 60, show)


def main() -> int:
    ap = argparse.ArgumentParser(description="Precision och täckning för styra check.")
    ap.add_argument("--visa", action="store_true", help="visa varje dokument, fel och missar")
    ap.add_argument("--spara", metavar="MAPP", help="spara de omvandlade dokumenten och nycklarna")
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.spara) if args.spara else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        sets = [
            ("delad korpus (checker-corpus)", shared_corpus),
            ("referensdokument (expectations.yaml)", reference_documents),
            ("omvandlade dokument", lambda: transformed(folder, args.visa)),
            ("nyskrivna dokument, utveckling (frö 1)", lambda: written(folder, 1, args.visa)),
            ("nyskrivna dokument, undanhållna (frö 2)", lambda: written(folder, 2, args.visa)),
        ]
        overall = Score()
        for label, fn in sets:
            s = fn()
            if s is None:
                print(f"{label}: saknas (../shared finns inte), inte mätt")
                continue
            overall.add(s)
            docs = getattr(s, "documents", None)
            extra = f", {docs} dokument" if docs else ""
            print(
                f"{label}: precision {s.precision:.2f} ({s.tp}/{s.tp + s.fp}), "
                f"täckning {s.recall:.2f} ({s.found}/{s.items}){extra}"
            )
            if args.visa:
                for line in s.false:
                    print(f"   FALSKT {line}")
                for line in s.missed:
                    print(f"   MISSAT {line}")
            ok = ok and s.precision >= 0.9 and s.recall >= 0.8
        print(
            f"totalt: precision {overall.precision:.2f} ({overall.tp}/{overall.tp + overall.fp}), "
            f"täckning {overall.recall:.2f} ({overall.found}/{overall.items})"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
