"""Small inline reports for each rule, with and without the inconsistency, covering the same
rules as the reference documents (tab text, space-separated PDF text, headings, prose)."""

from __future__ import annotations

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
