"""Small inline reports for each rule, with and without the inconsistency, covering the same
rules as the reference documents (tab text, space-separated PDF text, headings, prose)."""

from __future__ import annotations

import pytest

from styra.checker.api import check_file


def rules_of(result):
    return sorted(f.rule for f in result.findings)


UNIT_TABLE = """## Drift

Netto (tkr)\tBudget 2024\tPrognos helår 2024\tAvvikelse 2024
Enhet A\t-1 000\t-900\t100
Enhet B\t-2 000\t-2 100\t-100
Enhet C\t-3 000\t-2 950\t50
Total\t-6 000\t-5 950\t50
"""


def test_a_consistent_unit_table_gives_no_findings(write):
    assert check_file(write(UNIT_TABLE)).findings == []


def test_a_total_more_than_rounding_off_its_parts_is_an_error_with_expected_and_found(write):
    r = check_file(write(UNIT_TABLE.replace("Total\t-6 000", "Total\t-6 081")))
    [f] = [f for f in r.findings if f.rule == "summa"]
    # the Total row's own deviation (−5 950 − −6 081 = 131, shown 50) breaks as well
    assert [g.rule for g in r.findings if g is not f] == ["avvikelse"]
    assert f.rule == "summa" and f.severity == "fel"
    assert f.expected == "-6 000" and f.found == "-6 081"
    assert f.location.line == 7 and f.location.column == "Budget 2024"


def test_a_difference_rounding_explains_is_not_reported_but_counted(write):
    r = check_file(write(UNIT_TABLE.replace("Total\t-6 000", "Total\t-6 001")))
    assert r.findings == [] and r.rounding >= 1


def test_a_deviation_breaking_the_tables_convention_is_reported_with_the_right_value(write):
    r = check_file(
        write(UNIT_TABLE.replace("Enhet A\t-1 000\t-900\t100", "Enhet A\t-1 000\t-900\t90"))
    )
    devs = [f for f in r.findings if f.rule == "avvikelse"]
    assert len(devs) == 1 and devs[0].expected == "100" and devs[0].found == "90"


def test_budget_minus_forecast_convention_is_detected_not_flagged(write):
    text = UNIT_TABLE.replace("\t100\n", "\t-100\n").replace("\t-100\n", "\t100\n", 1)
    text = """Kostnad (tkr)\tPrognos\tBudget\tAvvik
Löner\t9 100\t10 750\t1 650
Övrigt\t2 410\t1 600\t-810
Netto\t11 510\t12 350\t840
"""
    assert check_file(write(text)).findings == []


def test_a_header_formula_opposite_to_the_numbers_is_a_warning(write):
    text = UNIT_TABLE.replace("Avvikelse 2024", "Avvikelse Budget - Prognos")
    r = check_file(write(text))
    assert rules_of(r) == ["avvikelse_rubrik"]
    assert r.findings[0].severity == "varning" and r.exit_code == 0


def test_netto_must_equal_revenue_plus_costs_sign_aware(write):
    ok = """Belopp i tkr\tUtfall 2023\tBudget 2024
Intäkter\t500\t600
Kostnader\t-1 500\t-1 700
Netto\t-1 000\t-1 100
"""
    assert check_file(write(ok)).findings == []
    positive = (
        ok.replace("-1 500", "1 500")
        .replace("-1 700", "1 700")
        .replace("Netto\t-1 000\t-1 100", "Netto\t1 000\t1 100")
    )
    assert check_file(write(positive, "p.txt")).findings == []
    bad = ok.replace("Netto\t-1 000", "Netto\t-1 200")
    assert rules_of(check_file(write(bad, "b.txt"))) == ["netto"]


def test_a_totalt_block_is_checked_against_the_other_blocks(write):
    text = """Text (tkr)\tUtfall 2024\tBudget 2024\tPrognos 2024
ENHET A\t\t\t
Intäkter\t10\t20\t30
Kostnader\t-110\t-120\t-130
Netto\t-100\t-100\t-100
ENHET B\t\t\t
Intäkter\t1\t2\t3
Kostnader\t-11\t-12\t-13
Netto\t-10\t-10\t-10
TOTALT\t\t\t
Intäkter\t11\t22\t33
Kostnader\t-121\t-132\t-143
Netto\t-110\t-110\t-110
"""
    assert check_file(write(text)).findings == []
    bad = text.replace("Intäkter\t11\t22", "Intäkter\t51\t22").replace(
        "Netto\t-110\t-110\t-110", "Netto\t-70\t-110\t-110"
    )
    r = check_file(write(bad, "b.txt"))
    assert rules_of(r) == ["blocksumma"]


def test_varav_rows_larger_than_their_parent_are_reported(write):
    text = """Belopp i tkr\tUtfall 2023\tUtfall 2024
Kostnader\t-1 000\t-1 200
Varav personal\t-700\t-1 300
Intäkter\t200\t300
"""
    assert rules_of(check_file(write(text))) == ["varav"]


def test_a_row_with_fewer_cells_than_the_table_is_a_warning(write):
    text = """Belopp i tkr\tUtfall 2023\tBudget 2024\tPrognos 2024
Intäkter\t10\t20\t30
Personal\t-5\t-6
Övrigt\t-1\t-2\t-3
"""
    r = check_file(write(text))
    assert rules_of(r) == ["kort_rad"] and r.findings[0].severity == "varning"


SPACE_TABLE = """Resultaträkning Nämnd

  Ack utfall
Ack
budget
Avvikelse
Årsbudge
t
Årsprogn
os
Avvikelse
helår

Totalsumma - 1 306 - 1 300 - 6  - 2 600 - 2 650  - 50

01 Dialog

Intäkter  841   153  688  612  841   229

Kostnader - 857  - 316 - 541 - 1 265 - 1 617  - 352

Netto - 16  - 163  147 - 653 - 777  - 124

02 Stöd

Intäkter  -   -   -   -   -   -

Kostnader - 1 290  - 1 137 - 153 - 1 947 - 1 873   74

Netto - 1 290  - 1 137 - 153 - 1 947 - 1 873   74
"""


def test_space_separated_pdf_text_with_split_headers_is_read(write):
    r = check_file(write(SPACE_TABLE))
    assert r.tables == 1
    assert r.findings == []


def test_space_separated_totalsumma_error_is_found(write):
    r = check_file(write(SPACE_TABLE.replace("Totalsumma - 1 306", "Totalsumma - 1 406")))
    # the changed total also breaks its own deviation (−1 406 − −1 300 ≠ −6)
    assert rules_of(r) == ["avvikelse", "summa"]
    assert [f.expected for f in r.findings if f.rule == "summa"] == ["-1 306"]


def test_prose_amount_against_the_unit_row_and_the_total(write):
    text = (
        UNIT_TABLE
        + """
### Enhet A

Resultatavvikelse: +0,1 mkr

### Enhet B

Verksamheten prognostiserar ett underskott på 0,3 mkr.

Nämnden prognostiserar ett överskott på 0,05 mkr.
"""
    )
    r = check_file(write(text))
    assert rules_of(r) == ["text_mot_tabell"]
    assert r.findings[0].found == "0,3 mkr"


def test_percentage_against_count_and_base(write):
    assert check_file(write("Resultatet var 42 % (5 av 12) i år.\n")).findings == []
    r = check_file(write("Resultatet var 48 % (5 av 12) i år.\n", "b.txt"))
    assert rules_of(r) == ["procent_antal"]


GOALS = """Vi prognostiserar god måluppfyllnad för två nämndmål och
godtagbar måluppfyllnad för ett nämndmål.

## Mål

Nämndens mål: Första målet

Bedömningen är god måluppfyllnad.

Nämndens mål: Andra målet

Bedömningen är god måluppfyllnad vid årets slut.

Nämndens mål: Tredje målet

Bedömningen är att målet kommer vara godtagbart.
"""


def test_goal_counts_in_the_summary_match_the_goals(write):
    assert check_file(write(GOALS)).findings == []


def test_goal_counts_in_the_summary_that_disagree_are_reported(write):
    r = check_file(write(GOALS.replace("god måluppfyllnad för två", "god måluppfyllnad för tre")))
    [f] = r.findings
    assert f.rule == "malantal" and f.location.line == 1


def test_measure_count_in_prose_against_the_listed_measures(write):
    text = """Nämndens mål: Ett mål

Fem av sju mått har nått målet.

Målsatt mått\t*)\tUtfall 2023\tMål 2024\tUtfall 2024
Mått ett\t\t1\t2\t3
Mått två\t\t1\t2\t3
"""
    r = check_file(write(text))
    assert rules_of(r) == ["mattantal"]


def test_gender_total_outside_range_is_an_error_but_compositions_are_not(write):
    text = """Målsatt mått\t*)\tUtfall 2023\tUtfall 2024
Andel i arbete\t<b>Totalt</b> <b>Män</b> <b>Kvinnor</b>\t26 % 44 % 29 %\t30 % 60 % 40 %
Andel nöjda\t<b>Totalt</b> <b>Män</b> <b>Kvinnor</b>\t85 % 41 % 44 %\t50 % 45 % 55 %
"""
    r = check_file(write(text))
    assert rules_of(r) == ["kon_total"]
    assert r.findings[0].location.column == "Utfall 2023"


def test_same_quantity_in_mnkr_summary_and_tkr_table(write):
    text = """Verksamhet (i miljoner kronor)\tUtfall period 2024\tBudget 2024
Intäkter (+)\t51,57\t94,2
Kostnader (-)\t-216,26\t-363,2
Netto (+/-)\t-164,69\t-269,0

Belopp i tkr\tUtfall period 2024\tBudget 2024
Intäkter (+)\t51 522\t94 151
Kostnader (-)\t-216 211\t-363 197
Netto (+/-)\t-164 689\t-269 046
"""
    r = check_file(write(text))
    assert rules_of(r) == ["samma_belopp", "samma_belopp"]


# ------------------------------------------------ lists run together in prose, text links

INLINE = (
    "Prognosen för året visar ett överskott. Prognos budgetavvikelser, mkr Nämnd "
    "Barnnämnden 1,2 Kulturnämnden -0,4 Tekniska nämnden 2,0 Socialnämnden -3,1 "
    "Finansen 6,3 Summa budgetavvikelse 6,0 Budgeterat resultat 10,0\n\n"
    "Barnnämnden prognostiserar ett överskott på 1,2 mkr. Finansen prognostiserar ett "
    "överskott på {fin} mkr. Kulturnämnden redovisar ett underskott på 0,4 mkr varav "
    "biblioteken har ett underskott på 0,9 mkr.\n"
)


def test_a_list_run_together_in_prose_is_read_as_a_table(write):
    r = check_file(write(INLINE.format(fin="6,3")))
    assert r.tables == 1 and r.findings == []


def test_text_is_compared_with_the_row_of_the_unit_it_names(write):
    r = check_file(write(INLINE.format(fin="6,0")))
    assert [(f.rule, f.found, f.expected) for f in r.findings] == [
        ("text_mot_tabell", "6,0 mkr", "6,3 mkr")
    ]
    # The likely cause: 6,0 is the table's total, not Finansen's row.
    assert "”Summa budgetavvikelse”" in r.findings[0].message


def test_an_inline_list_without_a_total_is_not_a_table(write):
    text = INLINE.replace("Summa budgetavvikelse", "Övrigt").format(fin="6,3")
    assert check_file(write(text)).tables == 0


def test_the_total_of_an_inline_list_is_checked(write):
    text = INLINE.format(fin="6,3").replace("budgetavvikelse 6,0", "budgetavvikelse 7,0")
    r = check_file(write(text))
    assert [(f.rule, f.expected, f.found) for f in r.findings] == [("summa", "6,0", "7,0")]


# ------------------------------------------- layouts: page breaks, one cell per line

UNITS = [("Enhet A", "-100", "-90"), ("Enhet B", "-200", "-150"), ("Enhet C", "-50", "-60")]


def _vertical(rows, total=("Totalt", "-350", "-300")) -> str:
    out = ["Netto per enhet, tkr", "", "Budget 2020", "", "Prognos 2020", ""]
    for label, *vals in [*rows, total]:
        out += [label, ""]
        for v in vals:
            out += [v, ""]
    return "\n".join(out) + "\nTabellen visar prognosen.\n"


def test_a_table_with_one_cell_per_line_is_read(write):
    r = check_file(write(_vertical(UNITS)))
    assert r.tables == 1 and r.findings == []


def test_one_cell_per_line_with_a_wrong_total(write):
    r = check_file(write(_vertical(UNITS, ("Totalt", "-350", "-330"))))
    assert [(f.rule, f.expected, f.found) for f in r.findings] == [("summa", "-300", "-330")]


def test_a_row_left_out_breaks_every_column_and_is_still_found(write):
    """Every column breaks, so no column confirms the relation; the explicit Totalt over
    the rows above states it."""
    r = check_file(write(_vertical(UNITS[:2])))
    assert sorted(f.found for f in r.findings) == ["-300", "-350"]


def test_a_doubled_row_is_found(write):
    text = "Belopp i tkr\tBudget 2020\tPrognos 2020\n" + "".join(
        f"{a}\t{b}\t{c}\n" for a, b, c in [*UNITS, UNITS[1]]
    )
    r = check_file(write(text + "Totalt\t-350\t-300\n"))
    assert sorted(f.expected for f in r.findings) == ["-450", "-550"]


def test_a_reading_that_holds_everywhere_silences_the_others(write):
    """'Ingående budget' above the parts: the total holds without it, so nothing is said."""
    text = (
        "Belopp i tkr\tBudget 2020\tPrognos 2020\n"
        "Ingående budget\t-999\t-999\n"
        + "".join(f"{a}\t{b}\t{c}\n" for a, b, c in UNITS)
        + "Totalt\t-350\t-300\n"
    )
    assert check_file(write(text)).findings == []


def test_a_table_goes_on_after_a_page_break_with_a_running_title(write):
    head = "Belopp i tkr\tBudget 2020\tPrognos 2020\n"
    rows = [f"{a}\t{b}\t{c}\n" for a, b, c in UNITS]
    text = head + rows[0] + rows[1] + "\fSida 2 av 3\n\n" + head + rows[2] + "Totalt\t-350\t-330\n"
    r = check_file(write(text))
    assert r.tables == 1
    assert [(f.expected, f.found) for f in r.findings] == [("-300", "-330")]


# ------------------------------ section labels inside tab tables, Varav, measures, headers

BLOCKS = (
    "Belopp i tkr\tBudget 2024\tUtfall jan-aug\tPrognos 2024\tAvv Budget-Utfall\n"
    "VUXENUTBILDNING\n"
    "Intäkter\t20 000\t13 500\t21 000\t{avv}\n"
    "Kostnader\t-80 000\t-52 000\t-79 000\t-28 000\n"
    "Netto\t-60 000\t-38 500\t-58 000\t-21 500\n"
    "- varav SFI\t-20 000\t-13 000\t-19 500\t-7 000\n"
    "- varav Komvux\t-40 000\t{komvux}\t-38 500\t{avv2}\n"
)


def test_section_label_lines_without_cells_stay_inside_the_table(write):
    r = check_file(write(BLOCKS.format(avv="6 500", komvux="-25 500", avv2="-14 500")))
    assert r.tables == 1 and r.findings == []


def test_a_header_formula_opposite_to_the_values(write):
    """Avv Budget-Utfall, but every row is Utfall − Budget."""
    text = BLOCKS.replace("\t-28 000", "\t28 000").replace("\t-21 500", "\t21 500")
    text = text.replace("\t-7 000\n", "\t7 000\n")
    r = check_file(write(text.format(avv="-6 500", komvux="-25 500", avv2="14 500")))
    assert [(f.rule, f.expected) for f in r.findings] == [("avvikelse_rubrik", "Utfall − Budget")]


def test_varav_rows_that_add_up_in_most_columns_must_add_up_in_all(write):
    """Komvux's Utfall typed -25 000 instead of -25 500: its parts no longer make Netto in
    that one column (and its deviation no longer fits)."""
    r = check_file(write(BLOCKS.format(avv="6 500", komvux="-25 000", avv2="-14 500")))
    assert sorted((f.rule, f.expected, f.found) for f in r.findings) == [
        ("avvikelse", "-15 000", "-14 500"),
        ("varav", "-38 000", "-38 500"),
    ]


def test_the_same_measure_in_two_tables_in_mnkr_and_tkr(write):
    text = (
        "Belopp i mnkr\tBudget 2024\tPrognos 2024\n"
        "Nettoinvesteringar\t-5,0\t-4,2\n\n"
        "Investeringar\n\n"
        "Belopp i tkr\tBudget 2024\tPrognos 2024\n"
        "Nettoinvesteringar\t-5 000\t{p}\n"
    )
    assert check_file(write(text.format(p="-4 230"))).findings == []  # 4,2 mnkr rounded
    r = check_file(write(text.format(p="-4 700")))
    assert [(f.rule, f.found) for f in r.findings] == [("samma_belopp", "-4 700 tkr")]


# ------------------------------------------------------------------ likely causes


@pytest.mark.parametrize(
    ("change", "cause"),
    [
        (("Enhet B\t-200", "Enhet B\t200"), "omvänt tecken på ”Enhet B”"),
        (("Totalt\t-350", "Totalt\t-530"), "två siffror i summan"),
        (("Enhet A\t-100\t-90", "Enhet A\t-100\t-09"), "två siffror i ”Enhet A”"),
    ],
)
def test_a_broken_total_says_its_likely_cause(write, change, cause):
    text = "Belopp i tkr\tBudget 2020\tPrognos 2020\n" + "".join(
        f"{a}\t{b}\t{c}\n" for a, b, c in UNITS
    )
    text = (text + "Totalt\t-350\t-300\n").replace(*change)
    r = check_file(write(text))
    assert len(r.findings) == 1 and cause in r.findings[0].message
    assert "kan förklara högst 2,0" in r.findings[0].message  # four half units of 1 tkr


def test_a_doubled_row_is_named(write):
    r = check_file(write(_vertical([*UNITS, UNITS[2]])))
    assert r.findings and all("”Enhet C” står två gånger" in f.message for f in r.findings)


# ------------------------------------------------- text against the entity it is about

UNIT_DEVIATIONS = (
    "Netto per enhet (tkr)\tBudget 2020\tPrognos 2020\tAvvikelse 2020\n"
    "Vuxenutbildning\t-10 000\t-8 000\t2 000\n"
    "Jobbcenter\t-5 000\t-5 500\t-500\n"
    "Total\t-15 000\t-13 500\t1 500\n\n"
)


def test_a_paragraph_under_a_unit_heading_is_not_compared_with_the_total(write):
    """A heading naming something no row names: the paragraph is about it, and the text is
    compared with nothing, rather than with the nämnd's total."""
    text = UNIT_DEVIATIONS + "## Feriepraktik\n\nFörvaltningen visar ett överskott på 4 mnkr.\n"
    assert check_file(write(text)).findings == []


def test_a_paragraph_under_a_general_heading_speaks_of_the_whole(write):
    text = UNIT_DEVIATIONS + "## Ekonomi\n\nFörvaltningen visar ett överskott på {v} mnkr.\n"
    assert check_file(write(text.format(v="1,5"))).findings == []
    r = check_file(write(text.format(v="4")))
    assert [(f.rule, f.expected) for f in r.findings] == [("text_mot_tabell", "1,5 mnkr")]


def test_a_unit_named_in_the_sentence_is_compared_with_its_own_row(write):
    text = UNIT_DEVIATIONS + "## Ekonomi\n\nJobbcenter har ett underskott på {v} mnkr.\n"
    assert check_file(write(text.format(v="0,5"))).findings == []
    r = check_file(write(text.format(v="1,5")))
    assert [(f.found, f.expected) for f in r.findings] == [("1,5 mnkr", "0,5 mnkr")]
    assert "”Total”" in r.findings[0].message  # 1,5 is the total's figure: likely cause


# ------------------------------------------------------------- relations between columns

DRIFT = (
    "mnkr\tIntäkter 2020\tKostnader 2020\tNettokostnad 2020\tAndel %\n"
    "Ledning\t16,2\t-76,5\t-60,3\t{a}\n"
    "Kultur\t9,4\t-63,0\t{k}\t-14,9\n"
    "Räddningstjänst\t11,6\t-57,4\t-45,8\t-20,2\n"
    "Revision\t0,5\t-2,0\t-1,5\t-25,0\n"
)


def test_a_column_that_is_the_sum_of_two_others_in_most_rows(write):
    """No header names the relation: Nettokostnad = Intäkter + Kostnader in three rows, so
    the fourth must keep it too; Andel % = Intäkter / Kostnader × 100 (negative) likewise."""
    assert check_file(write(DRIFT.format(k="-53,6", a="-21,2"))).findings == []
    r = check_file(write(DRIFT.format(k="-35,6", a="-21,2")))
    assert [(f.rule, f.expected, f.found) for f in r.findings] == [
        ("kolumnsamband", "-53,6", "-35,6")
    ]
    assert "bytt plats" in r.findings[0].message


def test_rounding_is_an_interval_for_column_relations(write):
    """-53,6 is shown, the exact sum may be -53,55 … -53,65 from parts ±0,05 each."""
    assert check_file(write(DRIFT.format(k="-53,7", a="-21,2"))).findings == []
    assert check_file(write(DRIFT.format(k="-53,8", a="-21,2"))).findings != []


def test_a_ratio_column_is_checked(write):
    r = check_file(write(DRIFT.format(k="-53,6", a="-12,2")))
    assert [(f.rule, f.found) for f in r.findings] == [("kolumnsamband", "-12,2")]


def test_a_relation_kept_by_too_few_rows_says_nothing(write):
    text = "\n".join(DRIFT.format(k="-35,6", a="-21,2").splitlines()[:3]) + "\n"
    assert check_file(write(text)).findings == []


def test_a_gender_total_outside_its_range_in_a_table_of_percent(write):
    """The unit is in the title ("%"), the figures stand one per line without it."""
    text = "Andel som fått arbete, %\n\n2022\n\n2023\n\n"
    for label, a, b in [("Totalt", "55", "{t}"), ("Kvinnor", "50", "52"), ("Män", "60", "58")]:
        text += f"{label}\n\n{a}\n\n{b}\n\n"
    assert check_file(write(text.format(t="55"))).findings == []
    r = check_file(write(text.format(t="48")))
    assert [(f.rule, f.location.column) for f in r.findings] == [("kon_total", "2023")]


def test_a_percentage_in_the_text_against_the_row_it_names(write):
    text = (
        "Mått\tUtfall 2022\tUtfall 2023\n"
        "Andel elever som klarat kursen\t52 %\t58 %\n"
        "Andel nöjda deltagare\t80 %\t82 %\n\n"
        "Andel elever som klarat kursen ökade till {v} procent, jämfört med målet 60 %, "
        "och har ökat med 6 procent sedan förra året.\n"
    )
    # 60 % is a goal and 6 % a change: neither is compared with the row
    assert check_file(write(text.format(v="58"))).findings == []
    r = check_file(write(text.format(v="61")))
    assert [(f.rule, f.found) for f in r.findings] == [("procent_mot_tabell", "61 %")]


def test_a_netto_under_one_side_alone_is_checked(write):
    """Kostnader left out: Netto stands under Intäkter alone and differs in every column."""
    text = "Belopp i tkr\tBudget 2020\tPrognos 2020\nIntäkter\t500\t{i}\nNetto\t-1 500\t-1 400\n"
    assert check_file(write(text.format(i="-1 400").replace("\t500", "\t-1 500"))).findings == []
    r = check_file(write(text.format(i="600")))
    assert len(r.findings) == 2 and "ingen kolumn" in r.findings[0].message


def test_a_header_split_over_two_lines_is_one_header(write):
    """'Budget' over '2024': the years are the header's, not a row of figures."""
    text = (
        "\tBudget\tUtfall\tPrognos\tAvvikelse\n"
        "Belopp i tkr\t2024\tjan-aug 2024\t2024\tprognos\n"
        "Enhet A\t-100\t-60\t-90\t10\n"
        "Enhet B\t-200\t-120\t-150\t50\n"
        "Totalt\t-300\t-180\t-240\t{d}\n"
    )
    assert check_file(write(text.format(d="60"))).findings == []
    r = check_file(write(text.format(d="70")))
    assert {f.location.column for f in r.findings} == {"Avvikelse prognos"}
    assert any(f.rule == "avvikelse" and f.expected == "60" for f in r.findings)
