"""Columnar fast path for large SIE files (issue 13: import at disk speed).

`read_sie_columns()` reads the voucher section of an ordinary SIE 4 file in bulk with
polars (Rust regular expressions over the lines, in chunks of a few MB so that memory stays
bounded) and gives the voucher rows as columns, with the file's 1-based line numbers. Every
other line (the header before the first #VER, whatever follows the last voucher) goes
through the careful reader (`sie._SieReader.line`) in file order, so its records and
issues are exactly the careful reader's.

The fast path only takes a file whose voucher section is regular: every line between the
first #VER and the last } is a #VER, a {, a #TRANS, a } or blank, in that order, each
matching a strict pattern (digits for the account, an object list without escapes, an
amount with at most two decimals, an 8-digit date, a quoted text; no quantity, no
#RTRANS/#BTRANS, no #KSUMMA). For any other file it returns None and the caller reads it
with `sie.iter_sie()`: odd lines and errors keep their exact behaviour and line numbers.
`tests/ledger/test_sie_fuzz.py` compares the two on random and mutated files.

What the careful reader would report inside a regular voucher section (a voucher date
outside the fiscal year, an account used but not declared, a voucher that does not
balance, a row date outside the year) is computed from the columns and put in the same
order as the careful reader gives it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from styra.lib.errors import ERROR, Issue
from styra.lib.money import format_ore

from . import sie
from .base import Source, open_seekable_binary, source_name

CHUNK_BYTES = 1 << 22  # 4 MB of the file per batch of lines

_Q = r'"([^"\\]*)"'  # a quoted field without escapes
_BARE = r"([!#-\[\]-z|~]+)"  # a bare field: printable ASCII without space, quote, brace, \
_F = rf"(?:{_Q}|{_BARE})"
_SEP = r"[ \t]+"
_END = r"[ \t]*\r?$"
# #TRANS account {objects} amount [date|""] ["text"]
TRANS = (
    r"^[ \t]*#TRANS[ \t]+([0-9]+)[ \t]+\{([^{}\\]*)\}[ \t]*(-?)([0-9]{1,15})(?:\.([0-9]{1,2}))?"
    r'(?:[ \t]+(?:([0-9]{8})|"")(?:[ \t]+"([^"\\]*)")?)?' + _END
)
# #VER series number date [text [registered [signature]]]
VER = (
    rf"^[ \t]*#VER{_SEP}{_F}{_SEP}{_F}{_SEP}{_F}(?:{_SEP}{_F}(?:{_SEP}{_F}(?:{_SEP}{_F})?)?)?"
    + _END
)
_KIND_VER, _KIND_OPEN, _KIND_CLOSE, _KIND_BLANK, _KIND_OTHER = 1, 2, 3, 4, 5


@dataclass
class SieColumns:
    """A file read by the fast path.

    `records` are the careful reader's records and issues in file order, with the string
    REGION where the voucher section stands (its issues are in `records` already, in
    place); `rows` are the section's rows (one per #TRANS: line, account, inner, amount_ore,
    date, text, vidx), `voucher_fields` the section's vouchers (row `vidx`: vline, close,
    series, number, vdate, vtext);
    `objects` maps each object-list text (inside the braces) to its (dimension, code)
    pairs; `vouchers` counts the section's vouchers."""

    records: list[Any]
    rows: pl.DataFrame
    voucher_fields: pl.DataFrame
    objects: dict[str, tuple]
    vouchers: int
    lines: int
    encoding: str = ""

    def joined(self) -> pl.DataFrame:
        """The rows with their voucher's series, number, date and text (in file order)."""
        v = self.voucher_fields
        idx = self.rows["vidx"]
        return self.rows.drop("vidx").with_columns(
            v["series"].gather(idx),
            v["number"].gather(idx),
            v["vdate"].gather(idx),
            v["vtext"].gather(idx),
        )


REGION = "REGION"


class _Decline(Exception):
    """The file is not regular enough for the fast path."""


def read_sie_columns(source: Source, *, filename: str | None = None) -> SieColumns | None:
    """The file's rows as columns, or None when the careful reader must read it."""
    name = source_name(source, filename)
    try:
        with open_seekable_binary(source) as fh:
            return _read(name, fh)
    except (_Decline, OSError, UnicodeDecodeError):
        return None


def _read(name: str, fh) -> SieColumns:
    start = fh.tell()
    guess = sie.detect_encoding(fh)
    fh.seek(start)
    if guess.binary or guess.first_bad_line or guess.errors != "strict":
        raise _Decline
    decoder = codecs.getincrementaldecoder(guess.encoding)("strict")
    trans_parts: list[pl.DataFrame] = []
    struct_parts: list[pl.DataFrame] = []
    line0 = 1
    rest = b""
    lines_total = 0
    row_dates: dict[str, date] = {}
    while True:
        buf = fh.read(CHUNK_BYTES)
        final = not buf
        data = rest + buf
        if final:
            chunk, rest = data, b""
        else:
            cut = data.rfind(b"\n") + 1
            chunk, rest = data[:cut], data[cut:]
        text = decoder.decode(chunk, final=final)
        if "\ufffd" in text or text.count("\r") != text.count("\r\n") or "\x00" in text:
            raise _Decline  # replacement characters, old Mac line ends: the careful reader
        if text:
            lines = text.split("\n")
            if text.endswith("\n"):
                lines.pop()
            t, s = _chunk(lines, line0, row_dates)
            if len(t):
                trans_parts.append(t)
            if len(s):
                struct_parts.append(s)
            line0 += len(lines)
            lines_total += len(lines)
        if final:
            break
    trans = pl.concat(trans_parts) if trans_parts else None
    struct = pl.concat(struct_parts) if struct_parts else None
    if trans is None or struct is None:
        raise _Decline
    return _assemble(name, guess, trans, struct, lines_total)


def _chunk(lines: list[str], line0: int, dates: dict) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The strict #TRANS rows of a batch of lines, and every other line with its kind."""
    df = pl.DataFrame({"l": pl.Series(lines, dtype=pl.String)}).with_row_index("line", offset=line0)
    g = df.select(
        pl.col("line").cast(pl.Int64),
        pl.col("l"),
        pl.col("l").str.extract_groups(TRANS).alias("g"),
    ).unnest("g")
    is_trans = pl.col("1").is_not_null()
    trans = g.filter(is_trans).select(
        "line",
        pl.col("1").cast(pl.Categorical).alias("account"),
        pl.col("2").cast(pl.Categorical).alias("inner"),
        (
            (
                pl.col("4").cast(pl.Int64) * 100
                + pl.col("5").fill_null("").str.pad_end(2, "0").cast(pl.Int64)
            )
            * pl.when(pl.col("3") == "-").then(-1).otherwise(1)
        ).alias("amount_ore"),
        pl.col("6").alias("dtext"),
        pl.col("7").fill_null("").alias("text"),
    )
    new = [t for t in trans["dtext"].drop_nulls().unique().to_list() if t not in dates]
    for t in new:
        d = sie.parse_date(t)
        if d is None:
            raise _Decline  # the careful reader reports it
        dates[t] = d
    trans = trans.with_columns(
        pl.col("dtext").replace_strict(dates, default=None, return_dtype=pl.Date).alias("date")
    ).drop("dtext")
    others = g.filter(~is_trans).select("line", "l")
    stripped = pl.col("l").str.strip_chars(" \t\r")
    struct = others.select(
        "line",
        pl.when(stripped == "{")
        .then(_KIND_OPEN)
        .when(stripped == "}")
        .then(_KIND_CLOSE)
        .when(stripped == "")
        .then(_KIND_BLANK)
        .when(pl.col("l").str.contains(VER))
        .then(_KIND_VER)
        .otherwise(_KIND_OTHER)
        .alias("kind"),
        "l",
    )
    return trans, struct


def _assemble(name: str, guess, trans: pl.DataFrame, struct: pl.DataFrame, n_lines: int):
    vers = struct.filter(pl.col("kind") == _KIND_VER)
    closes = struct.filter(pl.col("kind") == _KIND_CLOSE)
    if not len(vers) or not len(closes):
        raise _Decline
    first_ver = vers["line"][0]
    last_close = closes["line"][-1]
    if trans["line"][0] < first_ver or trans["line"][-1] > last_close:
        raise _Decline  # rows outside the section: the careful reader reports them
    region = struct.filter((pl.col("line") >= first_ver) & (pl.col("line") <= last_close))
    marks = region.filter(pl.col("kind") != _KIND_BLANK)
    n = len(vers) if vers["line"][-1] <= last_close else -1
    kinds = marks["kind"]
    if (
        n <= 0
        or len(marks) != 3 * n
        or (kinds.gather_every(3) != _KIND_VER).any()
        or (kinds.gather_every(3, offset=1) != _KIND_OPEN).any()
        or (kinds.gather_every(3, offset=2) != _KIND_CLOSE).any()
    ):
        raise _Decline
    ver_lines = marks["line"].gather_every(3)
    open_lines = marks["line"].gather_every(3, offset=1)
    close_lines = marks["line"].gather_every(3, offset=2)
    # Each row's voucher: the last { before it; it must come before that voucher's }.
    vidx = open_lines.search_sorted(trans["line"], side="left").cast(pl.Int64) - 1
    if (vidx < 0).any():
        raise _Decline
    if (trans["line"] >= close_lines.gather(vidx)).any():
        raise _Decline

    reader = sie._SieReader(name, None, None, fast=False)  # type: ignore[arg-type]
    reader.encoding = guess.encoding.replace("-sig", "")
    reader.guess = guess
    records: list[Any] = [sie.FileInfo(reader.encoding, guess.label)]
    for lineno, text in struct.filter(pl.col("line") < first_ver).select("line", "l").iter_rows():
        s = text.strip()
        if s:
            records.extend(reader.line(s, lineno))
    if (
        reader.voucher is not None
        or reader.in_block
        or reader.crc is not None
        or not reader.first_tag_seen
        or (reader.sietyp is not None and reader.sietyp < 4)
    ):
        raise _Decline

    # The vouchers' fields (careful tokeniser semantics: quoted or bare, absent = "").
    vf = vers.filter(pl.col("line") <= last_close).select(
        "line", pl.col("l").str.extract_groups(VER).alias("g")
    )
    g = vf["g"].struct
    fields = [
        pl.Series(f"f{k}", g.field(str(2 * k + 1))).fill_null(g.field(str(2 * k + 2))).fill_null("")
        for k in range(6)
    ]
    series, number, dtext, vtext, regtext, _sign = fields
    dates = _dates(pl.concat([dtext, regtext.filter(regtext != "")]).unique())
    if dates is None:
        raise _Decline
    objects: dict[str, tuple] = {}
    for inner in trans["inner"].unique().to_list():
        toks, problem = sie.tokenize("{" + inner + "}")
        pairs = (
            reader.pairs(toks[0])
            if not problem and len(toks) == 1 and isinstance(toks[0], sie.ObjList)
            else None
        )
        if pairs is None:
            raise _Decline
        objects[inner] = pairs

    vdates = pl.Series("vdate", [dates[t] for t in dtext.to_list()], dtype=pl.Date)
    vouchers = pl.DataFrame(
        {
            "vline": ver_lines,
            "close": close_lines,
            "series": series,
            "number": number,
            "vdate": vdates,
            "vtext": vtext,
        }
    ).with_row_index("vidx")
    rows = trans.with_columns(vidx.cast(pl.UInt32).alias("vidx"))

    issues = _region_issues(reader, rows, vouchers)
    records.append(REGION)
    records.extend(issues)
    for lineno, text in struct.filter(pl.col("line") > last_close).select("line", "l").iter_rows():
        s = text.strip()
        if s:
            records.extend(reader.line(s, lineno))
    records.extend(reader.end_of_file(n_lines))
    return SieColumns(
        records=records,
        rows=rows,
        voucher_fields=vouchers,
        objects=objects,
        vouchers=n,
        lines=n_lines,
        encoding=reader.encoding,
    )


def _dates(texts: pl.Series) -> dict[str, date] | None:
    out = {}
    for t in texts.to_list():
        d = sie.parse_date(t)
        if d is None:
            return None
        out[t] = d
    return out


def _region_issues(reader, rows: pl.DataFrame, vouchers: pl.DataFrame) -> list[Issue]:
    """What the careful reader says inside the voucher section, in its order: at a #VER
    its date outside the year; at a row an account not declared; at a } the voucher's
    balance and then its rows' dates outside the year."""
    keyed: list[tuple[int, int, int, Issue]] = []
    name = reader.name

    def ident(series: str, number: str) -> str:
        return f"{series} {number}".strip()

    year = reader.years.get(0)
    if year is not None:
        lo, hi = year
        late = vouchers.filter((pl.col("vdate") < lo) | (pl.col("vdate") > hi))
        for vline, s, no, d in late.select("vline", "series", "number", "vdate").iter_rows():
            what = f"verifikation {s} {no}".strip()
            keyed.append((vline, 0, vline, _outside(name, vline, what, d, lo, hi)))
        day = pl.col("date")
        out = rows.filter(day.is_not_null() & ((day < lo) | (day > hi)))
        if len(out):
            out = out.join(
                vouchers.select("vidx", "close", "series", "number"), on="vidx", how="left"
            )
            for line, close, s, no, d in out.select(
                "line", "close", "series", "number", "date"
            ).iter_rows():
                what = f"rad i verifikation {ident(s, no)}"
                keyed.append((close, 1, line, _outside(name, line, what, d, lo, hi)))
    declared = reader.accounts | reader.warned_accounts
    first = (
        rows.group_by("account")
        .agg(pl.col("line").min())
        .filter(~pl.col("account").is_in(list(declared)))
    )
    for account, line in first.iter_rows():
        reader.warned_accounts.add(account)
        keyed.append((line, 0, line, reader.undeclared_account(line, account)))
    sums = rows.group_by("vidx").agg(pl.col("amount_ore").sum().alias("total"))
    bad = vouchers.join(sums, on="vidx", how="inner").filter(pl.col("total") != 0)
    for vline, close, s, no, total in bad.select(
        "vline", "close", "series", "number", "total"
    ).iter_rows():
        keyed.append(
            (
                close,
                0,
                vline,
                Issue(
                    name,
                    vline,
                    f"verifikation {ident(s, no)} (rad {vline}–{close}) balanserar inte: "
                    f"radernas summa är {format_ore(total)} kr, ska vara 0",
                    ERROR,
                    "unbalanced_voucher",
                ),
            )
        )
    keyed.sort(key=lambda k: k[:3])
    return [k[3] for k in keyed]


def _outside(name, line, what, d, lo, hi) -> Issue:
    return Issue(
        name,
        line,
        f"{what}: datum {d.isoformat()} ligger utanför räkenskapsåret "
        f"{lo.isoformat()}–{hi.isoformat()} (#RAR 0)",
        ERROR,
        "date_outside_year",
    )
