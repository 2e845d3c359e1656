"""Goal follow-up rules (DOMAIN §8), pure: no Django, Decimal values, frozen dataclasses.

- parse_target: "6", "85 %", "2,1", "Ökar", "Minskar", "Ja", "Nej", "5–15 %".
- judge_measure: is a measure's target for a year reached by its outcome?
- suggest_assessment: the suggested assessment of a nämndmål from its measures.
- gender_warnings / claim_warnings: consistency warnings for values and analysis texts.
- count_levels / assessment_sentence: summary counts and the generated Swedish sentence.

The rule for the suggestion (documented in docs/goals.md): only measures that can be judged
count. All of them reached -> god måluppfyllnad; some -> godtagbar; none -> ej godtagbar;
no measure can be judged -> kan inte bedömas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from styra.lib.numbers import NumberFormatError, format_number, parse_quantity

HUNDRED = Decimal(100)
ONE = Decimal(1)
ZERO = Decimal(0)


class TargetKind(StrEnum):
    NUMBER = "number"  # "6", "85 %": reach the value (direction from the polarity)
    INCREASE = "increase"  # "Ökar": better than the previous year's outcome
    DECREASE = "decrease"  # "Minskar"
    YES_NO = "yes_no"  # "Ja" / "Nej"
    RANGE = "range"  # "5–15 %": within the range, both ends included


class Polarity(StrEnum):
    HIGHER_BETTER = "higher"
    LOWER_BETTER = "lower"


class Achievement(StrEnum):
    REACHED = "reached"
    NOT_REACHED = "not_reached"
    NOT_JUDGEABLE = "not_judgeable"

    @property
    def label(self) -> str:
        return {
            "reached": "målet nås",
            "not_reached": "målet nås inte",
            "not_judgeable": "kan inte bedömas ännu",
        }[self.value]


class Level(StrEnum):
    """The assessment of a nämndmål (bedömning)."""

    GOOD = "god"
    ACCEPTABLE = "godtagbar"
    NOT_ACCEPTABLE = "ej_godtagbar"
    NOT_ASSESSABLE = "kan_inte_bedomas"

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    Level.GOOD: "God måluppfyllnad",
    Level.ACCEPTABLE: "Godtagbar måluppfyllnad",
    Level.NOT_ACCEPTABLE: "Ej godtagbar måluppfyllnad",
    Level.NOT_ASSESSABLE: "Kan inte bedömas",
}
LEVEL_ORDER = [Level.GOOD, Level.ACCEPTABLE, Level.NOT_ACCEPTABLE, Level.NOT_ASSESSABLE]


class TargetError(ValueError):
    """A target text that is none of the accepted forms (Swedish message)."""


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    value: Decimal | None = None  # NUMBER; YES_NO: 1 = Ja, 0 = Nej
    low: Decimal | None = None  # RANGE
    high: Decimal | None = None  # RANGE

    def label(self, unit: str = "") -> str:
        """The target as printed in a measure table: "85 %", "Ökar", "Ja", "5–15 %"."""
        suffix = f"\u00a0{unit}" if unit in ("%",) else ""
        if self.kind is TargetKind.INCREASE:
            return "Ökar"
        if self.kind is TargetKind.DECREASE:
            return "Minskar"
        if self.kind is TargetKind.YES_NO:
            return "Ja" if self.value == ONE else "Nej"
        if self.kind is TargetKind.RANGE:
            return f"{_plain(self.low)}–{_plain(self.high)}{suffix}"
        return f"{_plain(self.value)}{suffix}"


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    decimals = max(0, -value.normalize().as_tuple().exponent)
    return format_number(value, decimals)


_RANGE = re.compile(r"^([+-]?\d[\d\s,.]*?\s*%?)\s*(?:[–—]|-{1,2}|till)\s*(\d.*)$")
_WORDS = {
    "ökar": Target(TargetKind.INCREASE),
    "öka": Target(TargetKind.INCREASE),
    "minskar": Target(TargetKind.DECREASE),
    "minska": Target(TargetKind.DECREASE),
    "ja": Target(TargetKind.YES_NO, ONE),
    "nej": Target(TargetKind.YES_NO, ZERO),
}


def parse_target(text: str | int | Decimal | None) -> Target | None:
    """Parse a target as written in a plan or report; None for an empty cell.

    Raises TargetError with a Swedish message for anything else.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        return Target(TargetKind.YES_NO, ONE if text else ZERO)
    if isinstance(text, int | Decimal):
        return Target(TargetKind.NUMBER, Decimal(text))
    s = str(text).strip()
    if not s:
        return None
    word = _WORDS.get(s.lower())
    if word is not None:
        return word
    match = _RANGE.match(s)
    if match:
        low_text, high_text = match.groups()
        try:
            low = parse_quantity(low_text).value
            high = parse_quantity(high_text).value
        except NumberFormatError as exc:
            raise TargetError(f"målet {s!r} är inget intervall: {exc}") from exc
        if low is None or high is None or low > high:
            raise TargetError(f"målet {s!r}: intervallets nedre gräns är större än den övre")
        return Target(TargetKind.RANGE, low=low, high=high)
    try:
        value = parse_quantity(s).value
    except NumberFormatError as exc:
        raise TargetError(
            f'målet {s!r} förstås inte: skriv ett tal ("85 %"), Ökar, Minskar, Ja, Nej '
            'eller ett intervall ("5–15 %")'
        ) from exc
    return Target(TargetKind.NUMBER, value)


@dataclass(frozen=True)
class Judgement:
    achievement: Achievement
    reason: str

    @property
    def judgeable(self) -> bool:
        return self.achievement is not Achievement.NOT_JUDGEABLE


def _better_or_equal(outcome: Decimal, reference: Decimal, polarity: Polarity) -> bool:
    if polarity is Polarity.LOWER_BETTER:
        return outcome <= reference
    return outcome >= reference


def judge_measure(
    *,
    target: Target | None,
    outcome: Decimal | None,
    previous: Decimal | None = None,
    polarity: Polarity = Polarity.HIGHER_BETTER,
    best_possible: Decimal | None = None,
    missing_reason: str = "",
) -> Judgement:
    """Is the target reached by this year's outcome (Totalt)?

    - NUMBER: outcome at or above the target (higher is better) or at or below it.
    - INCREASE / DECREASE: judged against the previous year's outcome. The direction that
      counts is the measure's polarity (a throughput "ökar" measured in weeks improves when
      the weeks go down); `direction_conflict` reports a target that points the other way.
      Unchanged is not reached, except when the previous outcome already was the best
      possible value (100 % of a share kept at 100 %).
    - RANGE: low <= outcome <= high. YES_NO: the outcome (1 = Ja, 0 = Nej) equals it.
    - No target, no outcome, or (for a direction) no previous outcome: cannot be judged yet.
    """
    if target is None:
        return Judgement(Achievement.NOT_JUDGEABLE, "mål saknas")
    if outcome is None:
        why = f"utfall saknas ({missing_reason})" if missing_reason else "utfall saknas"
        return Judgement(Achievement.NOT_JUDGEABLE, why)
    kind = target.kind
    if kind is TargetKind.NUMBER:
        ok = _better_or_equal(outcome, target.value, polarity)
        word = "minst" if polarity is Polarity.HIGHER_BETTER else "högst"
        return _result(ok, f"utfall {_plain(outcome)}, mål {word} {_plain(target.value)}")
    if kind is TargetKind.RANGE:
        ok = target.low <= outcome <= target.high
        return _result(
            ok, f"utfall {_plain(outcome)}, mål {_plain(target.low)}–{_plain(target.high)}"
        )
    if kind is TargetKind.YES_NO:
        ok = outcome == target.value
        said = "Ja" if outcome == ONE else "Nej"
        return _result(ok, f"utfall {said}, mål {target.label()}")
    if previous is None:
        return Judgement(Achievement.NOT_JUDGEABLE, "föregående års utfall saknas")
    if outcome == previous:
        if best_possible is not None and outcome == best_possible:
            return _result(True, f"utfall {_plain(outcome)}, redan bästa möjliga värde")
        return _result(False, f"utfall {_plain(outcome)}, oförändrat mot föregående år")
    improved = outcome < previous if polarity is Polarity.LOWER_BETTER else outcome > previous
    return _result(improved, f"utfall {_plain(outcome)} mot {_plain(previous)} föregående år")


def _result(ok: bool, reason: str) -> Judgement:
    return Judgement(Achievement.REACHED if ok else Achievement.NOT_REACHED, reason)


def direction_conflict(target: Target | None, polarity: Polarity) -> bool:
    """True when a direction target points against the polarity ("Ökar" for weeks)."""
    if target is None:
        return False
    return (target.kind is TargetKind.INCREASE and polarity is Polarity.LOWER_BETTER) or (
        target.kind is TargetKind.DECREASE and polarity is Polarity.HIGHER_BETTER
    )


@dataclass(frozen=True)
class Suggestion:
    level: Level
    reached: int
    judged: int
    total: int

    @property
    def reason(self) -> str:
        if self.judged == 0:
            return f"inget av {self.total} mått kan bedömas ännu"
        return f"{self.reached} av {self.judged} bedömbara mått når målet ({self.total} mått)"


def suggest_assessment(judgements: Sequence[Judgement]) -> Suggestion:
    """All judgeable measures reached -> god; some -> godtagbar; none -> ej godtagbar;
    none judgeable (or no measures) -> kan inte bedömas."""
    judged = [j for j in judgements if j.judgeable]
    reached = sum(1 for j in judged if j.achievement is Achievement.REACHED)
    if not judged:
        level = Level.NOT_ASSESSABLE
    elif reached == len(judged):
        level = Level.GOOD
    elif reached:
        level = Level.ACCEPTABLE
    else:
        level = Level.NOT_ACCEPTABLE
    return Suggestion(level, reached, len(judged), len(judgements))


# --- consistency warnings -------------------------------------------------------------


class GenderMeaning(StrEnum):
    NONE = "none"  # not split by gender
    RATE = "rate"  # share within each group: Totalt lies between Kvinnor and Män
    COMPOSITION = "composition"  # share of the whole: Kvinnor + Män = 100 %


@dataclass(frozen=True)
class Inconsistency:
    message: str
    year: int | None = None


COMPOSITION_TOLERANCE = ONE  # percentage points of rounding


def gender_warnings(
    *,
    meaning: GenderMeaning,
    total: Decimal | None,
    women: Decimal | None,
    men: Decimal | None,
    year: int | None = None,
    tolerance: Decimal = Decimal("0.05"),
) -> list[Inconsistency]:
    """Warnings for one year's gender rows of a percentage measure.

    RATE: Totalt must lie between Kvinnor and Män (within `tolerance` for rounding).
    COMPOSITION: Kvinnor + Män must be 100 % within ±1 percentage point.
    """
    when = f"{year}: " if year else ""
    if meaning is GenderMeaning.RATE and None not in (total, women, men):
        low, high = min(women, men), max(women, men)
        if total < low - tolerance or total > high + tolerance:
            return [
                Inconsistency(
                    f"{when}Totalt {_plain(total)} % ligger utanför kvinnornas och männens "
                    f"andelar ({_plain(women)} % och {_plain(men)} %); en andel inom grupperna "
                    "kan inte ge det totalt",
                    year,
                )
            ]
    if meaning is GenderMeaning.COMPOSITION and None not in (women, men):
        s = women + men
        if abs(s - HUNDRED) > COMPOSITION_TOLERANCE:
            return [
                Inconsistency(
                    f"{when}Kvinnor {_plain(women)} % och män {_plain(men)} % blir "
                    f"{_plain(s)} %, inte 100 %",
                    year,
                )
            ]
    return []


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+")
_CLAIM = re.compile(
    r"\b(är uppfyllt|är uppfyllda|har uppfyllts|har uppnåtts|har nåtts|målet nås|"
    r"når målet|nått målet|uppnått målet|god måluppfyllnad|god måluppfyllelse|"
    r"vara uppfyllt|uppnår målet)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(inte|ej|icke|aldrig)\b", re.IGNORECASE)


def claims_target_met(text: str) -> list[str]:
    """Sentences of a text that say a target is met (without a negation)."""
    found = []
    for sentence in _SENTENCE_SPLIT.split(text or ""):
        if _CLAIM.search(sentence) and not _NEGATION.search(sentence):
            found.append(sentence.strip())
    return found


def claim_warnings(text: str, judgements: Sequence[Judgement]) -> list[Inconsistency]:
    """The analysis claims the target is met while a judgeable measure says it is not."""
    missed = [j for j in judgements if j.achievement is Achievement.NOT_REACHED]
    if not missed:
        return []
    return [
        Inconsistency(
            f'Texten säger att målet nås ("{_shorten(sentence)}") men {len(missed)} av '
            f"{len(judgements)} mått når inte målet enligt värdena"
        )
        for sentence in claims_target_met(text)
    ]


def _shorten(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --- counts and the sentence ----------------------------------------------------------


@dataclass(frozen=True)
class LevelCounts:
    good: int = 0
    acceptable: int = 0
    not_acceptable: int = 0
    not_assessable: int = 0

    @property
    def total(self) -> int:
        return self.good + self.acceptable + self.not_acceptable + self.not_assessable

    def of(self, level: Level) -> int:
        return {
            Level.GOOD: self.good,
            Level.ACCEPTABLE: self.acceptable,
            Level.NOT_ACCEPTABLE: self.not_acceptable,
            Level.NOT_ASSESSABLE: self.not_assessable,
        }[Level(level)]

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.good, self.acceptable, self.not_acceptable, self.not_assessable)


def count_levels(levels: Iterable[Level | str]) -> LevelCounts:
    tally = dict.fromkeys(LEVEL_ORDER, 0)
    for level in levels:
        tally[Level(level)] += 1
    return LevelCounts(*(tally[level] for level in LEVEL_ORDER))


def count_levels_by_area(
    pairs: Iterable[tuple[object, Level | str]],
) -> dict[object, LevelCounts]:
    """(area key, level) pairs -> counts per area, in the order areas first appear."""
    grouped: dict[object, list] = {}
    for key, level in pairs:
        grouped.setdefault(key, []).append(level)
    return {key: count_levels(levels) for key, levels in grouped.items()}


_ONES = [
    "noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio",
    "elva", "tolv", "tretton", "fjorton", "femton", "sexton", "sjutton", "arton", "nitton",
]  # fmt: skip
_TENS = {
    2: "tjugo", 3: "trettio", 4: "fyrtio", 5: "femtio",
    6: "sextio", 7: "sjuttio", 8: "åttio", 9: "nittio",
}  # fmt: skip


def number_in_words(n: int, *, neuter: bool = True) -> str:
    """0..99 in Swedish words ("ett" for neuter nouns such as nämndmål, else "en");
    larger numbers as digits with a thin space grouping."""
    if n < 0 or n > 99:
        return format_number(n)
    if n == 1:
        return "ett" if neuter else "en"
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (("ett" if neuter else "en") if ones == 1 else _ONES[ones] if ones else "")


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def assessment_sentence(
    counts: LevelCounts, *, occasion: str = "Vid delår 2", forecast: bool = True
) -> str:
    """The summary sentence, counted, never typed.

    >>> assessment_sentence(LevelCounts(7, 2, 1, 2))  # doctest: +NORMALIZE_WHITESPACE
    'Vid delår 2 prognostiserar vi god måluppfyllnad för sju nämndmål, godtagbar
    måluppfyllnad för två nämndmål, ej godtagbar måluppfyllnad för ett nämndmål och två
    nämndmål kan inte bedömas.'
    """
    noun = "nämndmål"
    parts = [
        f"{phrase} måluppfyllnad för {number_in_words(n)} {noun}"
        for phrase, n in (
            ("god", counts.good),
            ("godtagbar", counts.acceptable),
            ("ej godtagbar", counts.not_acceptable),
        )
        if n
    ]
    if not parts and not counts.not_assessable:
        return f"{occasion} finns inga {noun} att bedöma."
    if not parts:
        return f"{occasion} kan {number_in_words(counts.not_assessable)} {noun} inte bedömas."
    if counts.not_assessable:
        parts.append(f"{number_in_words(counts.not_assessable)} {noun} kan inte bedömas")
    verb = "prognostiserar vi" if forecast else "har vi"
    return f"{occasion} {verb} {_join(parts)}."


# --- measure table helpers ------------------------------------------------------------


GENDERS = ("T", "M", "K")  # table order: Totalt, Män, Kvinnor
GENDER_LABELS = {"T": "Totalt", "K": "Kvinnor", "M": "Män"}


@dataclass(frozen=True)
class YearValues:
    """One year of a measure: outcome per gender ("T", "K", "M"), missing = absent key."""

    year: int
    outcome: Mapping[str, Decimal] = field(default_factory=dict)
    missing_reason: str = ""


def measure_warnings(
    *, meaning: GenderMeaning, unit: str, years: Sequence[YearValues]
) -> list[Inconsistency]:
    """Gender consistency warnings for every year of a percentage measure."""
    if unit != "%" or meaning is GenderMeaning.NONE:
        return []
    out: list[Inconsistency] = []
    for yv in years:
        out.extend(
            gender_warnings(
                meaning=meaning,
                total=yv.outcome.get("T"),
                women=yv.outcome.get("K"),
                men=yv.outcome.get("M"),
                year=yv.year,
            )
        )
    return out


def best_possible_value(unit: str, polarity: Polarity) -> Decimal | None:
    """The best value a measure can take: 100 % for a share where higher is better, 0 for
    a count, share or duration where lower is better."""
    if polarity is Polarity.HIGHER_BETTER:
        return HUNDRED if unit == "%" else None
    return ZERO
