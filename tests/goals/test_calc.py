"""Achievement, suggestion, warnings, counts and the sentence: pure rules, table-driven.

The rows are real measures from the reference documents (the AVUN delårsrapport 2 2020 and
Socialnämnden's yttrande 2019); the weeks row and the range row follow DOMAIN §8 because
no reference measure is printed with weeks or a range target.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styra.goals import calc
from styra.goals.calc import Achievement as A
from styra.goals.calc import Level as L
from styra.goals.calc import Polarity as P

HIGH, LOW = P.HIGHER_BETTER, P.LOWER_BETTER

# (measure as printed, unit, polarity, target text, outcome Y, outcome Y-1, expected)
MEASURES = [
    # AVUN D2 2020: SFI share 33 % -> 41 %, target Ökar
    ("SFI två kurser inom två år ökar", "%", HIGH, "Ökar", "41 %", "33 %", A.REACHED),
    # synpunkter inom 10 dagar 90 % -> 100 %
    ("Synpunkter besvarade inom 10 dagar ökar", "%", HIGH, "Ökar", "100 %", "90 %", A.REACHED),
    # beviljade ansökningar 100 % -> 100 %: already the best possible share
    ("Beviljade ansökningar gymnasial vux ökar", "%", HIGH, "Ökar", "100 %", "100 %", A.REACHED),
    # feriepraktik meningsfull 85 % -> 85 %: unchanged is not an increase
    ("Feriepraktik meningsfull ökar", "%", HIGH, "Ökar", "85 %", "85 %", A.NOT_REACHED),
    ("Ungdomsgarantin till arbete ökar", "%", HIGH, "Ökar", "31 %", "58 %", A.NOT_REACHED),
    ("Deltagare 25-64 år till arbete ökar", "%", HIGH, "Ökar", "29 %", "26 %", A.REACHED),
    # personalomsättning ska minska 12,6 % -> 2,2 %, lower is better
    ("Personalomsättning nyanställda minskar", "%", LOW, "Minskar", "2,2 %", "12,6 %", A.REACHED),
    ("Frisknärvaro ökar", "%", HIGH, "Ökar", "93,33 %", "94,5 %", A.NOT_REACHED),
    ("Digitala kompetensinsatser ökar", "antal", HIGH, "Ökar", "11", "17", A.NOT_REACHED),
    ("Tobaksförebyggande insatser ökar", "antal", HIGH, "Ökar", "3", "5", A.NOT_REACHED),
    # numeric targets: YH 19 % -> 20 %; ungdomsgarantin studier 43 % -> 43 %
    ("Botkyrkabor på yrkeshögskolan", "%", HIGH, "19 %", "20 %", None, A.REACHED),
    ("Ungdomsgarantin till studier", "%", HIGH, "43 %", "43 %", None, A.REACHED),
    # Ja/Nej: nettoutfall inom budgetram
    ("Nettoutfall inom budgetram (ja/nej)", "ja/nej", HIGH, "Ja", "1", None, A.REACHED),
    ("Nettoutfall inom budgetram (ja/nej)", "ja/nej", HIGH, "Ja", "0", None, A.NOT_REACHED),
    # missing outcomes: mäts i oktober / utgår
    ("Delaktighet daglig verksamhet ökar", "%", HIGH, "Ökar", None, "79 %", A.NOT_JUDGEABLE),
    ("Dialogaktiviteter med politiker", "antal", HIGH, "6", None, None, A.NOT_JUDGEABLE),
    (
        "Helhetsbedömning vuxenutbildning ökar",
        "index",
        HIGH,
        "Ökar",
        "4,5",
        None,
        A.NOT_JUDGEABLE,
    ),
    ("Fossila bränslen minskar (inget mål)", "%", LOW, None, "12 %", "13 %", A.NOT_JUDGEABLE),
    # SN yttrande 2019: Antal vräkta hushåll minskar, target 0 (lower is better)
    ("Antal vräkta hushåll minskar", "antal", LOW, "0", "0", "5", A.REACHED),
    ("Antal vräkta hushåll minskar", "antal", LOW, "0", "1", "5", A.NOT_REACHED),
    # SN: Väntetiden för budget- och skuldrådgivning minskar, 40 -> target 4, in weeks
    ("Väntetid skuldrådgivning, veckor", "veckor", LOW, "4", "3", "40", A.REACHED),
    ("Väntetid skuldrådgivning, veckor", "veckor", LOW, "4", "6", "40", A.NOT_REACHED),
    # DOMAIN §8: "genomströmning ökar" measured in weeks: higher is worse
    ("Genomströmning ökar (veckor)", "veckor", LOW, "Ökar", "10", "12", A.REACHED),
    ("Genomströmning ökar (veckor)", "veckor", LOW, "Ökar", "14", "12", A.NOT_REACHED),
    # a range target
    ("Andel inom intervall 5–15 %", "%", HIGH, "5–15 %", "15 %", None, A.REACHED),
    ("Andel inom intervall 5–15 %", "%", HIGH, "5-15 %", "4,9 %", None, A.NOT_REACHED),
    ("Andel inom intervall 5–15 %", "%", HIGH, "5 – 15 %", "16 %", None, A.NOT_REACHED),
]


def _num(text):
    return None if text is None else calc.parse_target(text).value


@pytest.mark.parametrize(
    ("name", "unit", "polarity", "target", "outcome", "previous", "expected"),
    MEASURES,
    ids=[f"{m[0]}-{m[4]}" for m in MEASURES],
)
def test_measure_achievement_of_real_measures(
    name, unit, polarity, target, outcome, previous, expected
):
    judgement = calc.judge_measure(
        target=calc.parse_target(target),
        outcome=_num(outcome),
        previous=_num(previous),
        polarity=polarity,
        best_possible=calc.best_possible_value(unit, polarity),
    )
    assert judgement.achievement is expected, judgement.reason


@pytest.mark.parametrize(
    ("text", "kind", "value", "low", "high"),
    [
        ("6", calc.TargetKind.NUMBER, D(6), None, None),
        ("85 %", calc.TargetKind.NUMBER, D(85), None, None),
        ("2,1", calc.TargetKind.NUMBER, D("2.1"), None, None),
        ("Ökar", calc.TargetKind.INCREASE, None, None, None),
        ("minskar", calc.TargetKind.DECREASE, None, None, None),
        (" Ja", calc.TargetKind.YES_NO, D(1), None, None),
        ("Nej", calc.TargetKind.YES_NO, D(0), None, None),
        ("5–15 %", calc.TargetKind.RANGE, None, D(5), D(15)),
        ("1,5-2,5", calc.TargetKind.RANGE, None, D("1.5"), D("2.5")),
    ],
)
def test_targets_are_read_as_people_write_them(text, kind, value, low, high):
    target = calc.parse_target(text)
    assert (target.kind, target.value, target.low, target.high) == (kind, value, low, high)


def test_empty_target_is_no_target_and_nonsense_is_refused():
    assert calc.parse_target("") is None
    assert calc.parse_target(None) is None
    with pytest.raises(calc.TargetError, match="förstås inte"):
        calc.parse_target("bättre än i fjol")
    with pytest.raises(calc.TargetError, match="nedre gräns"):
        calc.parse_target("15–5 %")


def test_missing_outcome_names_its_reason():
    judgement = calc.judge_measure(
        target=calc.parse_target("Ökar"), outcome=None, previous=D(79),
        missing_reason="mäts i oktober",
    )  # fmt: skip
    assert judgement.achievement is A.NOT_JUDGEABLE
    assert "mäts i oktober" in judgement.reason


def test_direction_target_against_polarity_is_flagged():
    assert calc.direction_conflict(calc.parse_target("Ökar"), LOW)
    assert not calc.direction_conflict(calc.parse_target("Minskar"), LOW)
    assert not calc.direction_conflict(calc.parse_target("5"), LOW)


def _j(*achievements):
    return [calc.Judgement(a, "") for a in achievements]


# (goal of the reference report, its measures' achievements, suggested level)
GOALS = [
    ("1.2 synpunkter", _j(A.REACHED), L.GOOD),
    ("2.1 SFI + helhetsbedömning saknas", _j(A.REACHED, A.NOT_JUDGEABLE), L.GOOD),
    (
        "3.1 försörjning",
        _j(A.NOT_REACHED, A.NOT_REACHED, A.NOT_REACHED, A.REACHED),
        L.ACCEPTABLE,
    ),
    ("5.2 tobak 5 -> 3", _j(A.NOT_REACHED), L.NOT_ACCEPTABLE),
    ("4.1 mäts i oktober", _j(A.NOT_JUDGEABLE, A.NOT_JUDGEABLE), L.NOT_ASSESSABLE),
    ("7.2 inga mått följs upp", _j(A.NOT_JUDGEABLE), L.NOT_ASSESSABLE),
    ("ett mål utan mått", [], L.NOT_ASSESSABLE),
]


@pytest.mark.parametrize(("goal", "judgements", "level"), GOALS, ids=[g[0] for g in GOALS])
def test_suggested_assessment_from_measures(goal, judgements, level):
    assert calc.suggest_assessment(judgements).level is level


@given(st.lists(st.sampled_from(list(A)), max_size=8))
def test_suggestion_follows_the_documented_rule(achievements):
    suggestion = calc.suggest_assessment(_j(*achievements))
    judged = [a for a in achievements if a is not A.NOT_JUDGEABLE]
    reached = judged.count(A.REACHED)
    assert suggestion.judged == len(judged) and suggestion.reached == reached
    if not judged:
        assert suggestion.level is L.NOT_ASSESSABLE
    elif reached == len(judged):
        assert suggestion.level is L.GOOD
    elif reached == 0:
        assert suggestion.level is L.NOT_ACCEPTABLE
    else:
        assert suggestion.level is L.ACCEPTABLE


# (measure, year, meaning, Totalt, Kvinnor, Män, warns?)
GENDER_ROWS = [
    ("SFI 2020", calc.GenderMeaning.RATE, "41", "50", "32", False),
    ("Ungdomsgarantin arbete 2020", calc.GenderMeaning.RATE, "31", "41", "59", True),
    ("Feriepraktik 2020", calc.GenderMeaning.RATE, "85", "44", "41", True),
    ("Nyanställda 2019", calc.GenderMeaning.RATE, "12.6", "10.3", "4.4", True),
    ("Frisknärvaro 2020", calc.GenderMeaning.RATE, "93.33", "95.44", "92.59", False),
    ("Beläggning YH 2020", calc.GenderMeaning.COMPOSITION, "91", "25", "75", False),
    ("Yrkesvux till arbete 2019", calc.GenderMeaning.COMPOSITION, "71", "86", "14", False),
    ("Rounded composition", calc.GenderMeaning.COMPOSITION, None, "33", "66", False),
    ("Composition off by 2", calc.GenderMeaning.COMPOSITION, None, "40", "58", True),
    ("Not split", calc.GenderMeaning.NONE, "31", "41", "59", False),
]


@pytest.mark.parametrize(
    ("name", "meaning", "total", "women", "men", "warns"),
    GENDER_ROWS,
    ids=[r[0] for r in GENDER_ROWS],
)
def test_gender_consistency_warnings(name, meaning, total, women, men, warns):
    found = calc.gender_warnings(
        meaning=meaning,
        total=None if total is None else D(total),
        women=D(women),
        men=D(men),
        year=2020,
    )
    assert bool(found) is warns


@given(
    st.decimals(0, 100, places=1, allow_nan=False),
    st.decimals(0, 100, places=1, allow_nan=False),
    st.floats(0, 1),
)
def test_a_weighted_average_of_two_rates_never_warns(women, men, share):
    total = women * D(str(round(share, 3))) + men * (1 - D(str(round(share, 3))))
    assert not calc.gender_warnings(
        meaning=calc.GenderMeaning.RATE, total=total, women=women, men=men
    )


def test_text_claiming_target_met_against_data_warns():
    text = "Tre insatser är gjorda. Vi bedömer god måluppfyllnad vid årets slut."
    warnings = calc.claim_warnings(text, _j(A.NOT_REACHED))
    assert len(warnings) == 1 and "god måluppfyllnad" in warnings[0].message
    assert calc.claim_warnings(text, _j(A.REACHED)) == []
    assert calc.claim_warnings("Målet kommer inte uppnås till årets slut.", _j(A.NOT_REACHED)) == []
    assert calc.claims_target_met("Bedömningen är att målet är uppfyllt.") != []
    assert calc.claims_target_met("Målet är inte uppfyllt.") == []


def test_counts_and_the_sentence_of_the_reference_goals():
    levels = [L.GOOD] * 7 + [L.ACCEPTABLE] * 2 + [L.NOT_ACCEPTABLE] + [L.NOT_ASSESSABLE] * 2
    counts = calc.count_levels(levels)
    assert counts.as_tuple() == (7, 2, 1, 2) and counts.total == 12
    assert calc.assessment_sentence(counts) == (
        "Vid delår 2 prognostiserar vi god måluppfyllnad för sju nämndmål, godtagbar "
        "måluppfyllnad för två nämndmål, ej godtagbar måluppfyllnad för ett nämndmål och två "
        "nämndmål kan inte bedömas."
    )


SENTENCES = [
    ((1, 0, 0, 0), "Vid delår 1", True, "Vid delår 1 prognostiserar vi god måluppfyllnad för ett"),
    ((3, 0, 1, 0), "För 2020", False, "För 2020 har vi god måluppfyllnad för tre nämndmål och ej"),
    ((0, 0, 0, 2), "Vid delår 2", True, "Vid delår 2 kan två nämndmål inte bedömas."),
    ((0, 0, 0, 0), "Vid delår 2", True, "Vid delår 2 finns inga nämndmål att bedöma."),
    ((21, 0, 0, 0), "Vid delår 2", True, "Vid delår 2 prognostiserar vi god måluppfyllnad för"),
]
ENDINGS = [
    " nämndmål.",
    " godtagbar måluppfyllnad för ett nämndmål.",
    "",
    "",
    " tjugoett nämndmål.",
]


@pytest.mark.parametrize(
    ("counts", "occasion", "forecast", "start", "end"),
    [(*row, end) for row, end in zip(SENTENCES, ENDINGS, strict=True)],
)
def test_sentence_variants(counts, occasion, forecast, start, end):
    result = calc.assessment_sentence(
        calc.LevelCounts(*counts), occasion=occasion, forecast=forecast
    )
    assert result == start + end


def test_counts_per_area_keep_the_area_order():
    by_area = calc.count_levels_by_area([(1, L.GOOD), (7, L.GOOD), (1, L.NOT_ASSESSABLE)])
    assert list(by_area) == [1, 7]
    assert by_area[1].as_tuple() == (1, 0, 0, 1)


@given(st.lists(st.sampled_from(list(L)), max_size=40))
def test_counts_add_up_to_the_number_of_goals(levels):
    counts = calc.count_levels(levels)
    assert counts.total == len(levels)
    assert all(counts.of(level) == levels.count(level) for level in L)


def test_goal_modules_without_django():
    code = (
        "import sys; import styra.goals.calc, styra.goals.kolada; "
        "print(any(m.partition('.')[0] == 'django' for m in sys.modules))"
    )
    repo = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
