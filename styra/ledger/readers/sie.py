"""Streaming reader for SIE files, types 1-4 (the Swedish accounting exchange format).

Pure Python, no Django, no third-party SIE library. `iter_sie()` reads a file line by
line and yields small immutable records in file order (header fields, accounts,
dimensions, objects, balances, period balances, whole vouchers) interleaved with `Issue`s.
Memory use is constant: nothing but the current voucher and a few small lookup tables
(declared accounts, fiscal years, caches of dates and object lists) is held.

Errors are collected, never raised: any byte sequence gives records and/or issues. The
only thing that stops reading early is a file that is not text at all (NUL bytes).

Format notes (see docs/formats/sie.md for the full description and the heuristics):
- fields are separated by spaces or tabs; a field may be quoted ("...") with the escapes
  \\" and \\\\ (any other backslash is kept as written, e.g. Windows paths in #FNR);
- object lists are written in braces, `{1 "100" 6 "P42"}`, possibly empty `{}`;
- amounts use '.' as the decimal point and are converted exactly to integer öre;
- #RTRANS (a row added afterwards) is followed by an identical #TRANS for older readers:
  the pair is counted once. #BTRANS (a removed row) is not counted in the balance.
- the encoding is sniffed: strict UTF-8 if the whole file is valid UTF-8, otherwise CP437
  ("PC8", the SIE standard) or Latin-1, whichever gives more Swedish letters.
"""

from __future__ import annotations

import codecs
import io
import operator
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO, NamedTuple

from styra.lib.errors import ERROR, WARNING, Issue
from styra.lib.money import format_ore

from .base import Source, open_seekable_binary, source_name

# ------------------------------------------------------------------------------ records


class HeaderField(NamedTuple):
    """A file-level field: #FLAGGA #PROGRAM #FORMAT #GEN #SIETYP #FNAMN #FNR #ORGNR
    #ADRESS #TAXAR #KPTYP #VALUTA #BKOD #FTYP #PROSA #OMFATTN (values as written)."""

    tag: str  # without '#', e.g. "FNAMN"
    values: tuple[str, ...]
    line: int


class FiscalYear(NamedTuple):
    """#RAR: year_index 0 is the current fiscal year, -1 the previous one."""

    year_index: int
    start: date
    end: date
    line: int


class Account(NamedTuple):
    """#KONTO."""

    number: str
    name: str
    line: int


class AccountAttribute(NamedTuple):
    """#KTYP (T/S/K/I), #ENHET (unit) or #SRU (tax code) of an account."""

    kind: str  # "KTYP" | "ENHET" | "SRU"
    account: str
    value: str
    line: int


class Dimension(NamedTuple):
    """#DIM, or #UNDERDIM with its parent dimension."""

    number: str
    name: str
    parent: str | None
    line: int


class Object(NamedTuple):
    """#OBJEKT: an object (e.g. a unit, "ansvar") in a dimension."""

    dimension: str
    code: str
    name: str
    line: int


Objects = tuple[tuple[str, str], ...]  # ((dimension, object code), ...)


class Balance(NamedTuple):
    """#IB, #UB, #RES (objects empty) or #OIB, #OUB (with objects)."""

    kind: str  # "IB" | "UB" | "RES" | "OIB" | "OUB"
    year_index: int
    account: str
    objects: Objects
    amount_ore: int
    quantity: Decimal | None
    line: int


class PeriodBalance(NamedTuple):
    """#PSALDO (period outcome) or #PBUDGET (period budget)."""

    kind: str  # "PSALDO" | "PBUDGET"
    year_index: int
    period: str  # "YYYYMM"
    account: str
    objects: Objects
    amount_ore: int
    quantity: Decimal | None
    line: int


class Transaction(NamedTuple):
    """A voucher row. `date` None means the voucher's date."""

    account: str
    objects: Objects
    amount_ore: int
    date: date | None
    text: str
    quantity: Decimal | None
    line: int


class Voucher(NamedTuple):
    """#VER with its rows. `transactions` are the rows that count (#TRANS, an #RTRANS
    pair once); `removed` are #BTRANS rows (kept for audit, not part of the balance)."""

    series: str
    number: str
    date: date
    text: str
    line: int
    transactions: tuple[Transaction, ...]
    removed: tuple[Transaction, ...] = ()
    registered: date | None = None
    signature: str = ""

    @property
    def ident(self) -> str:
        return f"{self.series} {self.number}".strip()


class FileInfo(NamedTuple):
    """Always the first record: how the file was decoded."""

    encoding: str  # Python codec name used
    label: str  # "UTF-8", "CP437 (PC8)", "Latin-1"
    line: int = 0


SieRecord = (
    FileInfo
    | HeaderField
    | FiscalYear
    | Account
    | AccountAttribute
    | Dimension
    | Object
    | Balance
    | PeriodBalance
    | Voucher
    | Issue
)

# ------------------------------------------------------------------------------ encoding

# Swedish letters (and é, ü) in CP437 and in Latin-1: the two byte sets are disjoint.
_CP437_LETTERS = tuple(bytes([b]) for b in (0x86, 0x84, 0x94, 0x8F, 0x8E, 0x99, 0x82, 0x81))
_LATIN1_LETTERS = tuple(bytes([b]) for b in (0xE5, 0xE4, 0xF6, 0xC5, 0xC4, 0xD6, 0xE9, 0xFC))
_ENOUGH_EVIDENCE = 2000  # letter bytes that decide CP437 vs Latin-1 without reading on
_UTF8_PAIR = re.compile(rb"[\xc2-\xdf][\x80-\xbf]")


@dataclass
class EncodingGuess:
    encoding: str  # a Python codec name
    label: str  # for messages: "UTF-8", "CP437 (PC8)", "Latin-1"
    errors: str = "strict"
    binary: bool = False  # NUL bytes: not a text file
    first_bad_line: int = 0  # mixed encodings: first line that is not valid UTF-8
    replacement_chars: bool = False


def detect_encoding(fh: BinaryIO) -> EncodingGuess:
    """Sniff the encoding of an SIE file from its bytes (reads `fh` to the end).

    1. NUL bytes: not a text file.
    2. The whole file is valid UTF-8 and not pure ASCII: UTF-8 (a BOM is skipped).
    3. Otherwise count the bytes that are Swedish letters in CP437 and in Latin-1: Latin-1
       if it has more, else CP437 (the SIE standard "PC8", also for pure ASCII).
    4. Invalid UTF-8 in a file whose non-ASCII bytes are mostly valid UTF-8 letters means
       mixed encodings: read as UTF-8 with replacement and report the first bad line.
    """
    utf8_ok = True
    ascii_only = True
    first_bad = 0
    utf8_pairs = cp437 = latin1 = 0
    lines_before = 0
    bom = False
    rest = b""
    first = True

    def scan(piece: bytes) -> None:
        nonlocal utf8_ok, ascii_only, first_bad, utf8_pairs, cp437, latin1, lines_before
        if not piece:
            return
        if not piece.isascii():
            ascii_only = False
            if utf8_ok:
                try:
                    piece.decode("utf-8")
                except UnicodeDecodeError as exc:
                    utf8_ok = False
                    first_bad = lines_before + piece.count(b"\n", 0, exc.start) + 1
            utf8_pairs += len(_UTF8_PAIR.findall(piece))
            cp437 += sum(piece.count(b) for b in _CP437_LETTERS)
            latin1 += sum(piece.count(b) for b in _LATIN1_LETTERS)
        lines_before += piece.count(b"\n")

    while True:
        chunk = fh.read(1 << 20)
        if not chunk:
            break
        if first:
            first = False
            if chunk.startswith(codecs.BOM_UTF8):
                bom = True
                chunk = chunk[3:]
        if b"\x00" in chunk:
            return EncodingGuess("latin-1", "binär", binary=True)
        data = rest + chunk
        cut = data.rfind(b"\n") + 1
        scan(data[:cut])
        rest = data[cut:]
        if not utf8_ok and cp437 + latin1 + utf8_pairs >= _ENOUGH_EVIDENCE:
            rest = b""
            break  # not UTF-8, and enough letters seen to choose: skip the rest
    scan(rest)

    if utf8_ok:
        if bom:
            return EncodingGuess("utf-8-sig", "UTF-8")
        if not ascii_only:
            return EncodingGuess("utf-8", "UTF-8")
        return EncodingGuess("cp437", "CP437 (PC8)")
    if utf8_pairs and utf8_pairs >= cp437 + latin1:
        return EncodingGuess(
            "utf-8-sig" if bom else "utf-8", "UTF-8", errors="replace", first_bad_line=first_bad
        )
    if latin1 > cp437:
        return EncodingGuess("latin-1", "Latin-1")
    return EncodingGuess("cp437", "CP437 (PC8)")


# ------------------------------------------------------------------------------ tokeniser


class ObjList(tuple):
    """The items of a brace-enclosed object list, as a token."""

    __slots__ = ()


def _read_quoted(s: str, i: int) -> tuple[str, int, bool]:
    """Read a quoted field whose opening quote is at s[i-1]. Returns (value, next, closed)."""
    n = len(s)
    start = i
    parts: list[str] = []
    while i < n:
        c = s[i]
        if c == '"':
            parts.append(s[start:i])
            return "".join(parts), i + 1, True
        if c == "\\" and i + 1 < n and s[i + 1] in '"\\':
            parts.append(s[start:i])
            parts.append(s[i + 1])
            i += 2
            start = i
            continue
        i += 1
    parts.append(s[start:])
    return "".join(parts), n, False


_WS = " \t"


def _split_quoted(s: str) -> list[str] | None:
    """Fast tokeniser for a line with quotes but no braces or backslashes, using
    str.split('"'): the odd pieces are the quoted fields. None if a quote is unterminated
    or glued to other text (then the character-by-character tokeniser decides)."""
    pieces = s.split('"')
    last = len(pieces) - 1
    if last % 2:
        return None  # an odd number of quotes
    toks: list[str] = []
    for k, piece in enumerate(pieces):
        if k % 2:
            toks.append(piece)
            continue
        if piece:
            if (k > 0 and piece[0] not in _WS) or (k < last and piece[-1] not in _WS):
                return None
            toks.extend(piece.split())
        elif 0 < k < last:
            return None  # two quoted fields with nothing between them
    return toks


def tokenize(s: str) -> tuple[list[str | ObjList], str | None]:
    """Split one SIE line (already stripped) into fields.

    Returns (tokens, problem): a brace list becomes an `ObjList`; `problem` is None or a
    short code: "quote" (unterminated quote), "brace" (unclosed {), "nested" ({ inside an
    object list) or "stray" (a } with no {).
    """
    if "{" not in s and "}" not in s:
        if '"' not in s:
            return s.split(), None  # type: ignore[return-value]
        if "\\" not in s:
            quick = _split_quoted(s)
            if quick is not None:
                return quick, None  # type: ignore[return-value]
    toks: list[str | ObjList] = []
    problem: str | None = None
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c in _WS:
            i += 1
        elif c == '"':
            val, i, ok = _read_quoted(s, i + 1)
            if not ok:
                problem = problem or "quote"
            toks.append(val)
        elif c == "{":
            items: list[str] = []
            i += 1
            closed = False
            while i < n:
                c = s[i]
                if c in _WS:
                    i += 1
                elif c == "}":
                    closed = True
                    i += 1
                    break
                elif c == '"':
                    val, i, ok = _read_quoted(s, i + 1)
                    if not ok:
                        problem = problem or "quote"
                    items.append(val)
                elif c == "{":
                    problem = problem or "nested"
                    i += 1
                else:
                    j = i
                    while j < n and s[j] not in ' \t{}"':
                        j += 1
                    items.append(s[i:j])
                    i = j
            if not closed:
                problem = problem or "brace"
            toks.append(ObjList(items))
        elif c == "}":
            problem = problem or "stray"
            i += 1
        else:
            j = i
            while j < n and s[j] not in _WS:
                j += 1
            toks.append(s[i:j])
            i = j
    return toks, problem


_TOKEN_PROBLEMS = {
    "quote": ("broken_quote", "citattecken saknar avslutande citattecken"),
    "brace": ("unclosed_brace", "objektlistan saknar avslutande }"),
    "nested": ("nested_brace", "{ inuti en objektlista"),
    "stray": ("stray_brace", "} utan föregående {"),
}

# ------------------------------------------------------------------------------ checksum


def ksumma_bytes(tokens: list[str | ObjList], encoding: str) -> bytes:
    """The bytes a line contributes to #KSUMMA: the label and every field without quotes,
    separators or braces (object list items concatenated), in the file's encoding."""
    parts: list[str] = []
    for t in tokens:
        if isinstance(t, ObjList):
            parts.extend(t)
        else:
            parts.append(t)
    return "".join(parts).encode(encoding, errors="replace")


# ------------------------------------------------------------------------------ values

_AMOUNT = re.compile(r"([-+]?)(\d+)(?:\.(\d*))?\Z", re.ASCII)
# The largest amount a ledger row may carry: 10^15 kronor, far above any municipality's
# turnover and well inside the 64-bit integer the database stores öre in.
MAX_ORE = 10**17
_INT = re.compile(r"[-+]?\d+\Z", re.ASCII)


def parse_amount_ore(text: str) -> int | None:
    """An SIE amount ("-1234.5", "100", "0.00") as exact integer öre; None if invalid
    (not a number, thousands separators, decimal comma or non-zero decimals past öre)."""
    m = _AMOUNT.match(text)
    if m is None:
        return None
    sign, whole, frac = m.groups()
    frac = frac or ""
    if len(frac) > 2:
        if frac[2:].strip("0"):
            return None
        frac = frac[:2]
    if len(whole.lstrip("0")) > 16:  # cheaper than int() on a 10 000-digit "amount"
        return None
    ore = int(whole) * 100 + (int(frac.ljust(2, "0")) if frac else 0)
    if ore > MAX_ORE:
        return None
    return -ore if sign == "-" else ore


def amount_problem(text: str) -> str:
    """Why `text` is not a valid SIE amount, in Swedish (for an amount that failed)."""
    if not text:
        return "belopp saknas"
    if _AMOUNT.match(text):
        return (
            f"beloppet {text[:40]}{'…' if len(text) > 40 else ''} är för stort (högst 10^15 kronor)"
        )
    return (
        f"ogiltigt belopp {text[:40]!r} (ska skrivas med punkt som decimaltecken, "
        "högst två decimaler)"
    )


def parse_quantity(text: str) -> Decimal | None:
    if not _AMOUNT.match(text):
        raise ValueError(text)
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex rules it out
        raise ValueError(text) from exc


def parse_date(text: str) -> date | None:
    """YYYYMMDD as a date; None if not a valid date."""
    if len(text) != 8 or not text.isdigit() or not text.isascii():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


_row_date = operator.itemgetter(3)  # Transaction.date
_SLOW: Any = object()  # sentinel: "not in the cache" / "take the slow path"


def _is_period(text: str) -> bool:
    return len(text) == 6 and text.isdigit() and text.isascii() and 1 <= int(text[4:]) <= 12


_OBJ_QUOTED = re.compile(r'"([^"]*)"|([^ \t"]+)')

_HEADER_TAGS = frozenset(
    {
        "FLAGGA",
        "PROGRAM",
        "FORMAT",
        "GEN",
        "SIETYP",
        "FNAMN",
        "FNR",
        "ORGNR",
        "ADRESS",
        "TAXAR",
        "KPTYP",
        "VALUTA",
        "BKOD",
        "FTYP",
        "PROSA",
        "OMFATTN",
    }
)
_ROW_TAGS = frozenset({"TRANS", "RTRANS", "BTRANS"})
_KTYP_VALUES = frozenset({"T", "S", "K", "I"})
_CACHE_LIMIT = 50_000


_OTHER_SPACE = re.compile(r"[^\S \t]")  # whitespace that is not a field separator


@dataclass
class _OpenVoucher:
    series: str
    number: str
    date: date
    text: str
    line: int
    registered: date | None
    signature: str
    brace_line: int = 0
    rows: list[Transaction] = field(default_factory=list)
    removed: list[Transaction] = field(default_factory=list)
    total: int = 0
    pending_rtrans: Transaction | None = None
    broken: bool = False  # a row could not be read: the balance check is meaningless

    def ident(self) -> str:
        return f"{self.series} {self.number}".strip()


# ------------------------------------------------------------------------------ reader


def iter_sie(
    source: Source,
    *,
    filename: str | None = None,
    encoding: str | None = None,
    fast: bool = True,
) -> Iterator[SieRecord]:
    """Stream the records and issues of an SIE file.

    `source` is a path, bytes or a binary stream. `filename` names the file in issues
    (defaults to the path's name). `encoding` overrides the sniffing (a Python codec).
    `fast=False` reads every line with the full tokeniser (the tests compare the two).
    """
    name = source_name(source, filename)
    try:
        with open_seekable_binary(source) as fh:
            yield from _SieReader(name, fh, encoding, fast=fast).run()
    except OSError as exc:
        yield Issue(name, 0, f"filen kan inte läsas: {exc.strerror or exc}", ERROR, "unreadable")


class _SieReader:
    def __init__(self, name: str, fh: BinaryIO, encoding: str | None, *, fast: bool) -> None:
        self.name = name
        self.fast = fast
        self.fh = fh
        self.forced_encoding = encoding
        self.accounts: set[str] = set()
        self.warned_accounts: set[str] = set()
        self.years: dict[int, tuple[date, date]] = {}
        self.sietyp: int | None = None
        self.date_cache: dict[str, date | None] = {}
        self.obj_cache: dict[str, Objects | None] = {"": ()}
        self.crc: int | None = None  # running #KSUMMA checksum once started
        self.crc_line = 0
        self.crc_done = False
        self.encoding = "cp437"
        self.seen_voucher_in_low_type = False
        self.swapped_period_warned: set[str] = set()
        self.voucher: _OpenVoucher | None = None  # the open voucher (after #VER)
        self.in_block = False  # inside the voucher's { }
        self.fffd_reported = False
        self.first_tag_seen = False

    # -- helpers -------------------------------------------------------------------------

    def issue(self, line: int, message: str, code: str, severity: str = ERROR) -> Issue:
        return Issue(self.name, line, message, severity, code)

    def date_of(self, text: str) -> date | None:
        cache = self.date_cache
        if text in cache:
            return cache[text]
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        d = cache[text] = parse_date(text)
        return d

    def objects_of(self, inner: str) -> Objects | None:
        """Parse the inside of a fast-path object list (no escapes); None if malformed."""
        cache = self.obj_cache
        got = cache.get(inner, _SLOW)
        if got is not _SLOW:
            return got  # type: ignore[return-value]
        if inner.count('"') % 2:
            return _SLOW  # broken quoting: let the tokeniser report it
        if '"' in inner:
            # findall gives (quoted, bare); a bare item is never empty, so "a or b" is right
            items = [a or b for a, b in _OBJ_QUOTED.findall(inner)]
        else:
            items = inner.split()
        objs = self.pairs(items)
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
            cache[""] = ()
        cache[inner] = objs
        return objs

    @staticmethod
    def pairs(items: list[str] | tuple[str, ...]) -> Objects | None:
        if len(items) % 2:
            return None
        it = iter(items)
        return tuple(zip(it, it, strict=True))

    # -- main loop -----------------------------------------------------------------------

    def run(self) -> Iterator[SieRecord]:
        fh = self.fh
        start = fh.tell()
        if self.forced_encoding:
            guess = EncodingGuess(self.forced_encoding, self.forced_encoding, errors="replace")
            try:
                codecs.lookup(self.forced_encoding)
            except LookupError:
                yield self.issue(0, f"okänd teckenkodning {self.forced_encoding!r}", "encoding")
                return
        else:
            guess = detect_encoding(fh)
            fh.seek(start)
        if guess.binary:
            yield self.issue(
                0,
                "filen innehåller NUL-tecken och är ingen textfil; "
                "kontrollera att det är en SIE-fil",
                "not_text",
            )
            return
        self.encoding = guess.encoding.replace("-sig", "")
        self.guess = guess
        if guess.first_bad_line:
            yield self.issue(
                guess.first_bad_line,
                "ogiltiga tecken för UTF-8: filen blandar teckenkodningar "
                "(oläsbara tecken har ersatts med \ufffd)",
                "encoding",
            )
        yield FileInfo(self.encoding, guess.label)
        text = io.TextIOWrapper(fh, encoding=guess.encoding, errors=guess.errors, newline=None)
        try:
            yield from self.parse_lines(text)
        finally:
            text.detach()

    def parse_lines(self, text: io.TextIOWrapper) -> Iterator[SieRecord]:
        """Read line by line. An ordinary #TRANS row inside a voucher is taken apart with
        str methods only (the hot path: a regular expression per row is several times
        slower in CPython, and re.findall over runs of rows with the columns made by
        map/zip was measured no faster); anything unusual goes to `line()`, which handles
        every rule. The quick path gives exactly what `line()` gives for the lines it takes
        (tests/ledger/test_sie_fuzz.py compares them with `iter_sie(fast=False)`)."""
        lineno = 0
        line = self.line
        obj_get = self.obj_cache.get
        date_get = self.date_cache.get
        accounts = self.accounts
        warned = self.warned_accounts
        known: set[str] = set()  # accounts already checked on the fast path
        new_tuple = tuple.__new__
        transaction_cls = Transaction
        fast = False  # inside a voucher's { } with no #RTRANS pending and no checksum
        voucher = None
        rows_append = None
        total = 0  # sum of the fast rows not yet added to voucher.total
        for raw in text:
            lineno += 1
            s = raw.strip()
            if (
                fast
                and s[:7] == "#TRANS "
                and "\\" not in s
                and "\ufffd" not in s  # line() warns about it
                # str.split() splits at whitespace that the tokeniser keeps in a field
                and (s.isprintable() or not _OTHER_SPACE.search(s))
            ):
                head, _, tail = s.partition("}")
                parts = head.split(None, 2)
                if (
                    len(parts) == 3
                    and parts[2][0] == "{"
                    and "{" not in tail
                    and "}" not in tail
                    and "{" not in parts[2][1:]  # nested: the tokeniser reports it
                    and "{" not in parts[1]
                    and '"' not in parts[1]  # a quoted account: the tokeniser unquotes
                ):
                    if '"' in tail:
                        pre, _, quoted = tail.partition('"')
                        txt, closed, after = quoted.partition('"')
                        rest = pre.split()
                        qty = None
                        if after:
                            if after[0] not in _WS:
                                closed = ""  # glued to the quote: one field for the tokeniser
                            after = after.split()
                            if len(after) == 1 and '"' not in after[0]:
                                try:
                                    qty = parse_quantity(after[0])
                                except ValueError:
                                    closed = ""
                            elif after:
                                closed = ""
                        # The quoted field is the text only after amount and date, and only
                        # apart from them.
                        ok = closed and len(rest) == 2 and pre[-1] in _WS
                    else:
                        rest = tail.split()
                        txt = ""
                        qty = None
                        ok = 0 < len(rest) < 3
                    if ok:
                        amount = rest[0]
                        try:
                            if not amount.isascii() or "_" in amount:
                                ore = None  # int() would accept other digits and "1_0"
                            elif amount[-3:-2] == "." and amount[-4:-3].isdigit():
                                # a digit before the point: int() would take ".50" as 50
                                ore = int(amount[:-3] + amount[-2:])
                            elif "." not in amount:
                                ore = int(amount) * 100
                            else:
                                ore = parse_amount_ore(amount)
                        except ValueError:
                            ore = None
                        if ore is not None and not -MAX_ORE <= ore <= MAX_ORE:
                            ore = None  # the slow path below reports it with its line
                        inner = parts[2][1:]
                        objs = obj_get(inner, _SLOW)  # "" -> () is always cached
                        if objs is _SLOW:
                            objs = self.objects_of(inner)
                        if ore is not None and objs is not _SLOW and objs is not None:
                            if len(rest) == 2:
                                dt = date_get(rest[1], _SLOW)
                                if dt is _SLOW:
                                    dt = self.date_of(rest[1])
                                if dt is None:
                                    yield self.issue(
                                        lineno, f"ogiltigt datum {rest[1]!r}", "bad_date"
                                    )
                                    voucher.broken = True
                            else:
                                dt = None
                            acc = parts[1]
                            if acc not in known:
                                known.add(acc)
                                if acc not in accounts and acc not in warned:
                                    warned.add(acc)
                                    yield self.undeclared_account(lineno, acc)
                            rows_append(
                                new_tuple(transaction_cls, (acc, objs, ore, dt, txt, qty, lineno))
                            )
                            total += ore
                            continue
            if s:
                if total:
                    voucher.total += total
                    total = 0
                yield from line(s, lineno)
                voucher = self.voucher
                fast = (
                    self.fast
                    and self.in_block
                    and self.crc is None
                    and voucher is not None
                    and voucher.pending_rtrans is None
                )
                if fast:
                    rows_append = voucher.rows.append
        if total:
            voucher.total += total
        yield from self.end_of_file(lineno)

    def line(self, s: str, lineno: int) -> Iterator[SieRecord]:
        """Handle one non-empty, stripped line."""
        voucher = self.voucher
        if not self.fffd_reported and "\ufffd" in s:
            self.fffd_reported = True
            yield self.issue(
                lineno,
                "filen innehåller ersättningstecken (\ufffd): bokstäver har gått förlorade "
                "vid en tidigare konvertering av filen",
                "replacement_chars",
                WARNING,
            )
        if s == "{":
            if voucher is not None and not self.in_block and not voucher.brace_line:
                self.in_block = True
                voucher.brace_line = lineno
            else:
                yield self.issue(lineno, "{ utan föregående #VER", "stray_brace")
            return
        if s == "}":
            if self.in_block and voucher is not None:
                yield from self.close_voucher(voucher, lineno)
                self.voucher = None
                self.in_block = False
            else:
                yield self.issue(lineno, "} utan öppen verifikation", "stray_brace")
            return

        toks, problem = tokenize(s)
        if not toks:
            return
        tag_token = toks[0]
        if isinstance(tag_token, ObjList) or not tag_token.startswith("#"):
            if s.startswith("{") and voucher is not None and not self.in_block:
                yield self.issue(lineno, "text efter { på samma rad ignoreras", "syntax")
                self.in_block = True
                voucher.brace_line = lineno
                return
            yield self.issue(
                lineno, "raden börjar inte med en etikett (#...) och ignoreras", "syntax"
            )
            return
        tag = tag_token[1:].upper()
        if problem:
            code, msg = _TOKEN_PROBLEMS[problem]
            yield self.issue(lineno, f"#{tag}: {msg}", code)
        if not self.first_tag_seen:
            self.first_tag_seen = True
            if tag != "FLAGGA":
                yield self.issue(lineno, "filen börjar inte med #FLAGGA", "no_flagga", WARNING)

        # #KSUMMA: a checksum over every line between the first and the last #KSUMMA.
        if tag == "KSUMMA":
            yield from self.ksumma(toks, lineno)
            return
        if self.crc is not None:
            self.crc = zlib.crc32(ksumma_bytes(toks, self.encoding), self.crc)

        fields = toks[1:]
        if tag in _ROW_TAGS:
            if not self.in_block and voucher is not None and not voucher.brace_line:
                # Some exports (e-conomic) leave out the "{" line: read on, but say so.
                yield self.issue(
                    voucher.line,
                    f"verifikation {voucher.ident()} saknar {{ före raderna",
                    "missing_brace",
                    WARNING,
                )
                self.in_block = True
                voucher.brace_line = lineno
            if not self.in_block or voucher is None:
                yield self.issue(
                    lineno,
                    f"#{tag} utanför en verifikation (saknar #VER och {{)",
                    "orphan_trans",
                )
                return
            if problem:
                voucher.broken = True
            yield from self.row(tag, fields, lineno, voucher)
            return
        if tag == "VER":
            if voucher is not None:
                yield self.issue(
                    voucher.line,
                    f"verifikation {voucher.ident()} avslutas aldrig med }}",
                    "unclosed_voucher",
                )
                if self.in_block:
                    yield from self.close_voucher(voucher, lineno, check=False)
                self.voucher = None
                self.in_block = False
            self.voucher = yield from self.ver(fields, lineno)
            return
        if self.in_block:
            yield self.issue(
                lineno, f"#{tag} inuti en verifikation (saknar }} före raden)", "syntax"
            )
        yield from self.other(tag, fields, lineno)

    def end_of_file(self, lineno: int) -> Iterator[SieRecord]:
        voucher = self.voucher
        if voucher is not None:
            if self.in_block:
                yield from self.close_voucher(voucher, lineno, check=False)
                yield self.issue(
                    voucher.brace_line,
                    f"filen slutar inuti verifikation {voucher.ident()} "
                    "(saknar avslutande }): filen är troligen avkortad",
                    "truncated",
                )
            else:
                yield self.issue(
                    voucher.line,
                    f"verifikation {voucher.ident()} saknar rader inom {{ }}",
                    "truncated",
                )
        if self.crc is not None and not self.crc_done:
            yield self.issue(
                self.crc_line,
                "#KSUMMA påbörjas men avslutande #KSUMMA med kontrollsumma saknas",
                "ksumma_missing",
            )
        if not self.first_tag_seen:
            yield self.issue(0, "filen innehåller inga SIE-poster", "empty")

    # -- records -------------------------------------------------------------------------

    def undeclared_account(self, line: int, acc: str) -> Issue:
        return self.issue(
            line,
            f"konto {acc} används men är inte deklarerat med #KONTO",
            "undeclared_account",
            WARNING,
        )

    def ksumma(self, toks: list[str | ObjList], line: int) -> Iterator[Issue]:
        if self.crc is None:
            if self.crc_done:
                yield self.issue(line, "fler än två #KSUMMA-rader", "ksumma", WARNING)
                return
            if len(toks) > 1:
                yield self.issue(
                    line,
                    "första #KSUMMA ska inte ha något värde; kontrollsumman kontrolleras inte",
                    "ksumma",
                    WARNING,
                )
                self.crc_done = True
                return
            self.crc = 0
            self.crc_line = line
            return
        computed = self.crc
        self.crc = None
        self.crc_done = True
        value = toks[1] if len(toks) > 1 else ""
        if isinstance(value, ObjList) or not value.isdigit():
            yield self.issue(line, f"#KSUMMA har ogiltigt värde {value!r}", "ksumma")
            return
        if int(value) != computed:
            yield self.issue(
                line,
                f"kontrollsumman (#KSUMMA) stämmer inte: filen anger {value}, "
                f"beräknad {computed}; filen kan ha ändrats eller skadats",
                "ksumma_mismatch",
            )

    def ver(self, fields: list[str | ObjList], line: int) -> Iterator[Issue]:
        strs = [f if isinstance(f, str) else "" for f in fields]
        strs += [""] * (6 - len(strs))
        series, number, dtext, vtext, regtext, sign = strs[:6]
        d = self.date_of(dtext) if dtext else None
        if d is None:
            yield self.issue(
                line,
                f"verifikation {series} {number}: ogiltigt eller saknat datum {dtext!r}".replace(
                    "  ", " "
                ),
                "bad_date",
            )
            d = date.min
        else:
            yield from self.check_in_year(d, line, f"verifikation {series} {number}".strip())
        reg = None
        if regtext:
            reg = self.date_of(regtext)
            if reg is None:
                yield self.issue(line, f"ogiltigt registreringsdatum {regtext!r}", "bad_date")
        if self.sietyp is not None and self.sietyp < 4 and not self.seen_voucher_in_low_type:
            self.seen_voucher_in_low_type = True
            yield self.issue(
                line, f"#VER i en SIE-fil av typ {self.sietyp}", "type_mismatch", WARNING
            )
        voucher = _OpenVoucher(series, number, d, vtext, line, reg, sign)
        if d is date.min:
            voucher.broken = True
        return voucher

    def check_in_year(self, d: date, line: int, what: str) -> Iterator[Issue]:
        year = self.years.get(0)
        if year is not None and not (year[0] <= d <= year[1]):
            yield self.issue(
                line,
                f"{what}: datum {d.isoformat()} ligger utanför räkenskapsåret "
                f"{year[0].isoformat()}–{year[1].isoformat()} (#RAR 0)",
                "date_outside_year",
            )

    def row(
        self, tag: str, fields: list[str | ObjList], line: int, voucher: _OpenVoucher
    ) -> Iterator[Issue]:
        # kontonr {objektlista} belopp [transdat] [transtext] [kvantitet] [sign]
        acc = fields[0] if fields else ""
        if not isinstance(acc, str) or not acc:
            yield self.issue(line, f"#{tag} saknar kontonummer", "syntax")
            voucher.broken = True
            return
        rest = fields[1:]
        objs: Objects = ()
        if rest and isinstance(rest[0], ObjList):
            got = self.pairs(rest.pop(0))
            if got is None:
                yield self.issue(line, "objektlistan har udda antal fält", "bad_objects")
                voucher.broken = True
            else:
                objs = got
        else:
            # Older files may omit the object list altogether.
            yield self.issue(line, f"#{tag} saknar objektlista {{}}", "syntax", WARNING)
        strs = [f if isinstance(f, str) else "" for f in rest]
        strs += [""] * (4 - len(strs))
        amount_text, dtext, text, qtext = strs[:4]
        ore = parse_amount_ore(amount_text)
        if ore is None:
            yield self.issue(line, amount_problem(amount_text), "bad_number")
            voucher.broken = True
            return
        dt = None
        if dtext:
            dt = self.date_of(dtext)
            if dt is None:
                yield self.issue(line, f"ogiltigt datum {dtext!r}", "bad_date")
                voucher.broken = True
        qty = None
        if qtext:
            try:
                qty = parse_quantity(qtext)
            except ValueError:
                yield self.issue(line, f"ogiltig kvantitet {qtext!r}", "bad_number")
        if acc not in self.accounts and acc not in self.warned_accounts:
            self.warned_accounts.add(acc)
            yield self.undeclared_account(line, acc)
        t = Transaction(acc, objs, ore, dt, text, qty, line)
        if tag == "BTRANS":
            voucher.removed.append(t)
            return
        if voucher.pending_rtrans is not None:
            yield from self.resolve_rtrans(voucher, t)
        if tag == "RTRANS":
            voucher.pending_rtrans = t
            return
        voucher.rows.append(t)
        voucher.total += ore

    def resolve_rtrans(self, voucher: _OpenVoucher, row: Transaction | None) -> Iterator[Issue]:
        """An #RTRANS must be followed by the identical #TRANS (which is the one counted).
        If it is not, the #RTRANS row itself is counted, with a warning."""
        pending = voucher.pending_rtrans
        assert pending is not None
        voucher.pending_rtrans = None
        if row is not None and (row.account, row.objects, row.amount_ore) == (
            pending.account,
            pending.objects,
            pending.amount_ore,
        ):
            return
        yield self.issue(
            pending.line,
            "#RTRANS följs inte av en identisk #TRANS; raden räknas som tillagd",
            "rtrans_without_trans",
            WARNING,
        )
        voucher.rows.append(pending)
        voucher.total += pending.amount_ore

    def close_voucher(
        self, voucher: _OpenVoucher, line: int, *, check: bool = True
    ) -> Iterator[SieRecord]:
        if voucher.pending_rtrans is not None:
            yield from self.resolve_rtrans(voucher, None)
        if check and not voucher.broken and voucher.total != 0:
            yield self.issue(
                voucher.line,
                f"verifikation {voucher.ident()} (rad {voucher.line}–{line}) balanserar inte: "
                f"radernas summa är {format_ore(voucher.total)} kr, ska vara 0",
                "unbalanced_voucher",
            )
        year = self.years.get(0)
        if year is not None:
            lo, hi = year
            # The distinct row dates first (map/set run in C): a voucher has few.
            outside = {d for d in set(map(_row_date, voucher.rows)) if d and not lo <= d <= hi}
            if outside:
                for t in voucher.rows:
                    if t.date in outside:
                        yield from self.check_in_year(
                            t.date, t.line, f"rad i verifikation {voucher.ident()}"
                        )
        yield Voucher(
            voucher.series,
            voucher.number,
            voucher.date,
            voucher.text,
            voucher.line,
            tuple(voucher.rows),
            tuple(voucher.removed),
            voucher.registered,
            voucher.signature,
        )

    def other(self, tag: str, fields: list[str | ObjList], line: int) -> Iterator[SieRecord]:
        strs = [f if isinstance(f, str) else "" for f in fields]

        def get(k: int) -> str:
            return strs[k] if k < len(strs) else ""

        if tag in _HEADER_TAGS:
            yield from self.header(tag, strs, line)
            return
        if tag == "RAR":
            idx = self.year_index(get(0))
            start, end = self.date_of(get(1)), self.date_of(get(2))
            if idx is None:
                yield self.issue(line, f"#RAR: ogiltigt årsnummer {get(0)!r}", "bad_number")
                return
            if start is None or end is None:
                yield self.issue(
                    line, f"#RAR {idx}: ogiltigt datum {get(1)!r} eller {get(2)!r}", "bad_date"
                )
                return
            if end < start:
                yield self.issue(line, f"#RAR {idx}: slutdatum före startdatum", "bad_date")
                return
            self.years[idx] = (start, end)
            yield FiscalYear(idx, start, end, line)
            return
        if tag == "KONTO":
            if not get(0):
                yield self.issue(line, "#KONTO saknar kontonummer", "syntax")
                return
            self.accounts.add(get(0))
            yield Account(get(0), get(1), line)
            return
        if tag in ("KTYP", "ENHET", "SRU"):
            if not get(0):
                yield self.issue(line, f"#{tag} saknar kontonummer", "syntax")
                return
            if tag == "KTYP" and get(1).upper() not in _KTYP_VALUES:
                yield self.issue(
                    line, f"#KTYP: okänd kontotyp {get(1)!r} (T, S, K eller I)", "syntax", WARNING
                )
            yield AccountAttribute(tag, get(0), get(1), line)
            return
        if tag == "DIM":
            if not get(0):
                yield self.issue(line, "#DIM saknar dimensionsnummer", "syntax")
                return
            yield Dimension(get(0), get(1), None, line)
            return
        if tag == "UNDERDIM":
            if not get(0) or not get(2):
                yield self.issue(line, "#UNDERDIM saknar dimension eller huvuddimension", "syntax")
                return
            yield Dimension(get(0), get(1), get(2), line)
            return
        if tag == "OBJEKT":
            if not get(0) or len(strs) < 2:
                yield self.issue(line, "#OBJEKT saknar dimension eller objektkod", "syntax")
                return
            yield Object(get(0), get(1), get(2), line)
            return
        if tag in ("IB", "UB", "RES", "OIB", "OUB"):
            yield from self.balance(tag, fields, line)
            return
        if tag in ("PSALDO", "PBUDGET"):
            yield from self.period_balance(tag, fields, line)
            return
        yield self.issue(line, f"okänd post #{tag} ignoreras", "unknown_tag", WARNING)

    def header(self, tag: str, strs: list[str], line: int) -> Iterator[SieRecord]:
        if tag == "SIETYP":
            value = strs[0] if strs else ""
            if value not in ("1", "2", "3", "4"):
                yield self.issue(line, f"okänd SIE-typ {value!r} (ska vara 1–4)", "bad_sietyp")
            else:
                self.sietyp = int(value)
        elif tag == "FORMAT":
            value = strs[0].upper() if strs else ""
            if value == "PC8" and self.guess.label not in ("CP437 (PC8)",):
                yield self.issue(
                    line,
                    f"filen anger #FORMAT PC8 men är kodad som {self.guess.label}; "
                    f"den läses som {self.guess.label}",
                    "encoding_mismatch",
                    WARNING,
                )
        elif tag in ("GEN", "OMFATTN"):
            value = strs[0] if strs else ""
            if self.date_of(value) is None:
                yield self.issue(
                    line,
                    f"#{tag}: ogiltigt datum {value!r}",
                    "bad_date",
                    WARNING if tag == "GEN" else ERROR,
                )
        yield HeaderField(tag, tuple(strs), line)

    @staticmethod
    def year_index(text: str) -> int | None:
        if not _INT.match(text):
            return None
        return int(text)

    def amount_and_quantity(
        self, tag: str, rest: list[str | ObjList], line: int
    ) -> Iterator[Issue]:
        """Parse `amount [quantity]`; returns (ore, quantity) or None."""
        strs = [f if isinstance(f, str) else "" for f in rest]
        amount_text = strs[0] if strs else ""
        ore = parse_amount_ore(amount_text)
        if ore is None:
            yield self.issue(line, f"#{tag}: {amount_problem(amount_text)}", "bad_number")
            return None
        qty = None
        if len(strs) > 1 and strs[1]:
            try:
                qty = parse_quantity(strs[1])
            except ValueError:
                yield self.issue(line, f"#{tag}: ogiltig kvantitet {strs[1]!r}", "bad_number")
        return ore, qty

    def balance(self, tag: str, fields: list[str | ObjList], line: int) -> Iterator[SieRecord]:
        # #IB årsnr konto saldo [kvantitet]; #OIB årsnr konto {objekt} saldo [kvantitet]
        strs = [f if isinstance(f, str) else "" for f in fields[:2]]
        if len(strs) < 2:
            yield self.issue(line, f"#{tag}: för få fält", "syntax")
            return
        idx = self.year_index(strs[0])
        if idx is None:
            yield self.issue(line, f"#{tag}: ogiltigt årsnummer {strs[0]!r}", "bad_number")
            return
        acc = strs[1]
        rest = list(fields[2:])
        objs: Objects = ()
        if rest and isinstance(rest[0], ObjList):
            got = self.pairs(rest.pop(0))
            if got is None:
                yield self.issue(line, "objektlistan har udda antal fält", "bad_objects")
                return
            objs = got
        elif tag in ("OIB", "OUB"):
            yield self.issue(line, f"#{tag} saknar objektlista", "syntax")
            return
        parsed = yield from self.amount_and_quantity(tag, rest, line)
        if parsed is None:
            return
        yield Balance(tag, idx, acc, objs, parsed[0], parsed[1], line)

    def period_balance(
        self, tag: str, fields: list[str | ObjList], line: int
    ) -> Iterator[SieRecord]:
        # #PSALDO årsnr period konto {objekt} saldo [kvantitet]
        strs = [f if isinstance(f, str) else "" for f in fields[:3]]
        if len(strs) < 3:
            yield self.issue(line, f"#{tag}: för få fält", "syntax")
            return
        idx = self.year_index(strs[0])
        if idx is None:
            yield self.issue(line, f"#{tag}: ogiltigt årsnummer {strs[0]!r}", "bad_number")
            return
        period, acc = strs[1], strs[2]
        has_objects = len(fields) > 3 and isinstance(fields[3], ObjList)
        if not _is_period(period) and _is_period(acc) and not has_objects:
            # BL Administration writes "#PBUDGET 0 1119 201701 -1666.00": account before
            # period and no object list. Unambiguous, so read it, with one warning per file.
            period, acc = acc, period
            if tag not in self.swapped_period_warned:
                self.swapped_period_warned.add(tag)
                yield self.issue(
                    line,
                    f"#{tag} har konto före period (avviker från SIE-standarden); "
                    "raderna tolkas som konto och period",
                    "field_order",
                    WARNING,
                )
        if not _is_period(period):
            yield self.issue(line, f"#{tag}: ogiltig period {period!r} (ÅÅÅÅMM)", "bad_date")
            return
        rest = list(fields[3:])
        objs: Objects = ()
        if rest and isinstance(rest[0], ObjList):
            got = self.pairs(rest.pop(0))
            if got is None:
                yield self.issue(line, "objektlistan har udda antal fält", "bad_objects")
                return
            objs = got
        parsed = yield from self.amount_and_quantity(tag, rest, line)
        if parsed is None:
            return
        yield PeriodBalance(tag, idx, period, acc, objs, parsed[0], parsed[1], line)


# ------------------------------------------------------------------------------ summary


@dataclass
class SieSummary:
    """Counts and totals of an SIE file, computed while streaming (no rows are kept)."""

    file: str
    encoding: str = ""
    sietyp: int | None = None
    company: str = ""
    fiscal_years: dict[int, tuple[date, date]] = field(default_factory=dict)
    accounts: int = 0
    dimensions: int = 0
    objects: int = 0
    vouchers: int = 0
    transactions: int = 0  # rows that count (an #RTRANS/#TRANS pair once)
    transactions_with_objects: int = 0
    removed_rows: int = 0  # #BTRANS
    debit_ore: int = 0  # sum of positive rows = turnover of the file
    credit_ore: int = 0  # sum of negative rows (negative)
    balances: dict[str, int] = field(default_factory=dict)  # kind -> count
    balance_totals: dict[str, int] = field(default_factory=dict)  # kind -> sum öre
    period_balances: dict[str, int] = field(default_factory=dict)
    period_balance_totals: dict[str, int] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)  # the first MAX_ISSUES
    error_count: int = 0
    warning_count: int = 0

    MAX_ISSUES = 1000

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]


def read_sie(
    source: Source, *, filename: str | None = None, encoding: str | None = None
) -> SieSummary:
    """Read a whole SIE file and return its counts, totals and issues."""
    summary = SieSummary(source_name(source, filename))
    reader_records = iter_sie(source, filename=filename, encoding=encoding)
    for rec in reader_records:
        kind = type(rec)
        if kind is Voucher:
            summary.vouchers += 1
            summary.removed_rows += len(rec.removed)
            for t in rec.transactions:
                summary.transactions += 1
                if t.objects:
                    summary.transactions_with_objects += 1
                if t.amount_ore > 0:
                    summary.debit_ore += t.amount_ore
                else:
                    summary.credit_ore += t.amount_ore
        elif kind is Issue:
            if rec.severity == ERROR:
                summary.error_count += 1
            else:
                summary.warning_count += 1
            if len(summary.issues) < SieSummary.MAX_ISSUES:
                summary.issues.append(rec)
        elif kind is Balance:
            summary.balances[rec.kind] = summary.balances.get(rec.kind, 0) + 1
            summary.balance_totals[rec.kind] = (
                summary.balance_totals.get(rec.kind, 0) + rec.amount_ore
            )
        elif kind is PeriodBalance:
            summary.period_balances[rec.kind] = summary.period_balances.get(rec.kind, 0) + 1
            summary.period_balance_totals[rec.kind] = (
                summary.period_balance_totals.get(rec.kind, 0) + rec.amount_ore
            )
        elif kind is Account:
            summary.accounts += 1
        elif kind is Dimension:
            summary.dimensions += 1
        elif kind is Object:
            summary.objects += 1
        elif kind is FiscalYear:
            summary.fiscal_years[rec.year_index] = (rec.start, rec.end)
        elif kind is FileInfo:
            summary.encoding = rec.label
        elif kind is HeaderField:
            if rec.tag == "SIETYP" and rec.values and rec.values[0] in "1234":
                summary.sietyp = int(rec.values[0])
            elif rec.tag == "FNAMN" and rec.values:
                summary.company = rec.values[0]
    return summary
