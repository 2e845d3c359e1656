"""Rules for layouts the reference documents do not use, each with a small table written
here: deviations signed by favourability, Netto deviations under positive costs, ratio
columns in percent, totals named "Nämnden totalt", prose about a row of a unit table, and
space-aligned tables whose header fields are separated by runs of spaces."""

from __future__ import annotations

import pytest

from styra.checker.api import check_file


def rules_of(result):
    return sorted(f.rule for f in result.findings)


# Costs shown positive, deviation positive = better than budget: revenue and Netto rows are
# Utfall − Budget, cost rows Budget − Utfall.
FAVOURABLE = """Resultaträkning (tkr)\tBudget\tUtfall\tAvvikelse
Intäkter\t1 000\t1 200\t200
Kostnader\t5 000\t4 700\t300
varav personal\t3 000\t2 900\t100
varav lokaler\t2 000\t1 800\t200
Netto\t-4 000\t-3 500\t{netto}
"""


def test_deviations_signed_by_favourability_are_a_convention(write):
    assert check_file(write(FAVOURABLE.format(netto="500"))).findings == []


def test_a_netto_deviation_that_is_not_the_sum_of_the_deviations_is_still_found(write):
    r = check_file(write(FAVOURABLE.format(netto="600")))
    assert "netto" in rules_of(r) or "avvikelse" in rules_of(r)
    assert all(f.location.line == 6 for f in r.findings)


def test_a_cost_row_with_the_other_sign_than_the_other_cost_rows_is_reported(write):
    text = FAVOURABLE.format(netto="500").replace(
        "varav lokaler\t2 000\t1 800\t200", "varav lokaler\t2 000\t1 800\t-200"
    )
    r = check_file(write(text))
    devs = [f for f in r.findings if f.rule == "avvikelse"]
    assert [(f.location.line, f.expected, f.found) for f in devs] == [(5, "200", "-200")]


RATIO = """Belopp i tkr\tBudget\tUtfall\tAvvikelse\tUtfall i % av budget
Bibliotek\t1 000\t950\t50\t95 %
Simhallen\t2 000\t2 100\t-100\t105 %
Museet\t500\t490\t10\t98 %
Summa\t3 500\t3 540\t-40\t101 %
"""


def test_a_ratio_column_in_percent_is_not_summed(write):
    assert check_file(write(RATIO)).findings == []


def test_shares_in_percent_are_still_summed(write):
    text = (
        "Andel av kostnaderna\tUtfall 2024\tUtfall 2025\n"
        "Löner\t60 %\t61 %\n"
        "Lokaler\t25 %\t{x}\n"
        "Övrigt\t15 %\t14 %\n"
        "Summa\t100 %\t100 %\n"
    )
    assert check_file(write(text.format(x="25 %"))).findings == []
    r = check_file(write(text.format(x="29 %"), "b.txt"))
    assert [(f.rule, f.location.line) for f in r.findings] == [("summa", 5)]


UNITS = """## Ekonomi

Belopp i tkr\tBudget\tPrognos\tAvvikelse
Bygglov\t-4 000\t-3 600\t400
Miljötillsyn\t-6 000\t-6 500\t-500
Kart och mät\t-2 000\t-1 900\t100
Nämnden totalt\t-12 000\t-12 000\t{total}

## Bygglov

Bygglov redovisar ett överskott på {bygglov} tkr.

## Sammanfattning

Nämnden redovisar ett resultat i nivå med budget, ett överskott på {whole} tkr.
"""


def test_a_total_named_after_the_committee_is_checked_against_its_rows(write):
    r = check_file(write(UNITS.format(total="0", bygglov="400", whole="0")))
    assert r.findings == []
    r = check_file(
        write(
            UNITS.replace("-12 000\t-12 000", "-12 000\t-12 100").format(
                total="0", bygglov="400", whole="0"
            ),
            "b.txt",
        )
    )
    assert ("summa", 7) in [(f.rule, f.location.line) for f in r.findings]


def test_prose_about_a_unit_is_compared_with_the_units_row(write):
    r = check_file(write(UNITS.format(total="0", bygglov="900", whole="0")))
    assert [(f.rule, f.found, f.expected) for f in r.findings] == [
        ("text_mot_tabell", "900 tkr", "400,0 tkr")
    ]


SECTIONS = """Belopp i tkr\tBudget\tUtfall\tAvvikelse
Område Norr\t\t\t
Förskola\t-10 000\t-9 000\t1 000
Grundskola\t-20 000\t-20 500\t-500
Summa Norr\t-30 000\t-29 500\t500
Område Söder\t\t\t
Förskola Söder\t-8 000\t-8 200\t-200
Grundskola Söder\t-12 000\t-11 000\t1 000
Summa Söder\t-20 000\t-19 200\t800
Summa nämnden\t-50 000\t-48 700\t1 300

Sammantaget redovisar nämnden ett överskott på {v} mnkr.
"""


def test_the_committee_total_after_sections_is_the_whole(write):
    assert check_file(write(SECTIONS.format(v="1,3"))).findings == []
    r = check_file(write(SECTIONS.format(v="3,1"), "b.txt"))
    assert [(f.rule, f.expected) for f in r.findings] == [("text_mot_tabell", "1,3 mnkr")]


ALIGNED = """Nettokostnad per verksamhet

Verksamhet (tkr)    Utfall jan-aug    Budget 2025    Budgetavvikelse
Hemtjänst                  -2 881         -2 830                -51
Särskilt boende           -27 919        -29 751              1 832
Hemsjukvård                -4 451         -4 685                234
Nämnden totalt            -35 251        -37 266              {dev}

Nyckeltal                                   Utfall 2023   Utfall 2024   Utfall 2025
Andel brukare som är nöjda med stödet              71 %          69 %          91 %
Andel ärenden avgjorda inom tre månader            92 %          80 %          44 %
"""


def test_a_space_aligned_header_names_the_columns(write):
    assert check_file(write(ALIGNED.format(dev="2 015"))).findings == []
    r = check_file(write(ALIGNED.format(dev="2 051"), "b.txt"))
    # the deviation breaks Budget − Utfall and the sum of the deviations above it
    assert [(f.rule, f.location.line, f.expected) for f in r.findings] == [
        ("avvikelse", 7, "2 015"),
        ("summa", 7, "2 015"),
    ]


def test_the_header_of_the_next_aligned_table_ends_the_table(write):
    from styra.checker.api import read_document
    from styra.checker.tables import find_tables

    doc = read_document(write(ALIGNED.format(dev="2 015")))
    tables = find_tables(doc)
    assert [len(t.rows) for t in tables] == [4, 2]
    assert [c.kind for c in tables[0].columns] == ["utfall", "budget", "avvikelse"]


def test_varav_figures_keep_their_decimals_in_the_message(write):
    text = (
        "Mnkr\tBudget\tUtfall\n"
        "Kostnader\t778,1\t779,4\n"
        "varav personal\t743,5\t502,5\n"
        "varav övrigt\t304,6\t276,9\n"
    )
    r = check_file(write(text))
    [f] = [f for f in r.findings if f.rule == "varav"]
    assert (f.found, f.expected) == ("1 048,1", "högst 778,1")
    assert "743,5" in [g.value for g in f.figures]


PARENS = """Belopp i tkr        Budget      Prognos     Avvikelse
Kulturskolan       (12 000)     (11 500)           500
Museet              (8 000)      (8 400)         {dev}
Bibliotek           (6 000)      (5 900)           100
Summa              (26 000)     (25 800)           200
"""


def test_negative_figures_in_parentheses_in_space_aligned_text(write):
    assert check_file(write(PARENS.format(dev="(400)"))).findings == []
    r = check_file(write(PARENS.format(dev="400"), "b.txt"))
    devs = [(f.location.line, f.expected, f.found) for f in r.findings if f.rule == "avvikelse"]
    assert devs == [(3, "-400", "400")]


def test_negative_figures_in_parentheses_in_a_pdf(tmp_path):
    from weasyprint import HTML

    rows = [
        ("Kulturskolan", "(12 000)", "(11 500)", "500"),
        ("Museet", "(8 000)", "(8 400)", "400"),  # should be (400)
        ("Bibliotek", "(6 000)", "(5 900)", "100"),
        ("Simhallen", "(3 000)", "(3 100)", "(100)"),
        ("Summa", "(29 000)", "(28 900)", "100"),
    ]
    html = (
        "<style>td{white-space:nowrap;padding:2px 12px} td+td{text-align:right}</style>"
        "<p>Driftredovisning</p><table><tr><td>Tkr</td><td>Budget</td><td>Prognos</td>"
        "<td>Avvikelse</td></tr>"
        + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        + "</table>"
    )
    pdf = tmp_path / "rapport.pdf"
    HTML(string=html).write_pdf(str(pdf))
    r = check_file(pdf)
    devs = [(f.location.row, f.expected, f.found) for f in r.findings if f.rule == "avvikelse"]
    assert ("Museet", "-400", "400") in devs


def test_a_paragraph_under_a_heading_naming_another_unit_is_not_compared_with_an_earlier_one(
    write,
):
    text = (
        "Belopp i tkr\tBudget\tPrognos\tAvvikelse\n"
        "Bygglov\t-4 000\t-3 600\t400\n"
        "Miljötillsyn\t-6 000\t-6 500\t-500\n"
        "Kart och mät\t-2 000\t-1 900\t100\n"
        "Summa\t-12 000\t-12 000\t0\n\n"
        "Bygglov\n\nFör bygglov blir det ett överskott om 400 tkr.\n\n"
        "Livsmedelskontroll\n\nHär blir det ett underskott om 700 tkr.\n"
    )
    assert check_file(write(text)).findings == []


def test_an_aligned_header_above_a_section_line_names_the_columns(write):
    text = (
        "Belopp i tkr              Utfall    Budget 2025    Budgetavvikelse    Förbrukat %\n"
        "Område Norr\n"
        "Bygglov                   -2 596         -2 571                -25          101 %\n"
        "Miljötillsyn             -32 385        -33 780              1 395           96 %\n"
        "Summa Norr               -34 981        -36 351              1 370           96 %\n"
    )
    from styra.checker.api import read_document
    from styra.checker.tables import find_tables

    [t] = find_tables(read_document(write(text)))
    assert [c.header for c in t.columns] == [
        "Utfall",
        "Budget 2025",
        "Budgetavvikelse",
        "Förbrukat %",
    ]
    assert check_file(write(text, "b.txt")).findings == []


def test_words_of_the_rows_own_label_do_not_hide_a_percentage(write):
    text = (
        "Nyckeltal\tUtfall 2023\tUtfall 2024\tUtfall 2025\n"
        "Andel brukare som är nöjda med stödet\t89 %\t50 %\t{v}\n"
        "Andel ärenden avgjorda inom tre månader\t62 %\t80 %\t46 %\n\n"
        "Andel brukare som är nöjda med stödet var 75 % under året.\n"
    )
    assert check_file(write(text.format(v="75 %"))).findings == []
    r = check_file(write(text.format(v="81 %"), "b.txt"))
    assert [(f.rule, f.location.line) for f in r.findings] == [("procent_mot_tabell", 5)]


def test_a_ratio_column_of_a_space_aligned_table_with_named_columns_is_checked(write):
    text = (
        "Belopp i kr         Utfall jan-aug   Årsbudget   Avvikelse   Förbrukat %\n"
        "Dagverksamhet            1 429 352   1 508 930      79 578          95 %\n"
        "Hemtjänst                4 023 271   3 987 436     -35 835         101 %\n"
        "Bemanningsenheten          677 206     676 846        -360         {p}\n"
        "Totalt                   6 129 829   6 173 212      43 383          99 %\n"
    )
    assert check_file(write(text.format(p="100 %"))).findings == []
    r = check_file(write(text.format(p=" 96 %"), "b.txt"))
    assert [(f.rule, f.location.line) for f in r.findings] == [("kolumnsamband", 4)]


def test_two_rows_with_swapped_figures_in_a_small_table_are_found(write):
    """Three units and a total: the swap breaks two rows of four, the total still keeps
    Budget − Prognos, so half the rows are enough to know the convention."""
    text = (
        "Mnkr\tPrognos helår\tBudget\tAvv.\n"
        "Livsmedelskontroll\t229,3\t215,3\t(14,1)\n"
        "Kart och mät\t{a}\t28,8\t0,2\n"
        "Nämndadministration\t{b}\t68,5\t(2,2)\n"
        "Nämnden totalt\t328,5\t312,5\t(16,0)\n"
    )
    assert check_file(write(text.format(a="28,5", b="70,7"))).findings == []
    r = check_file(write(text.format(a="70,7", b="28,5"), "b.txt"))
    assert sorted(f.location.line for f in r.findings if f.rule == "avvikelse") == [3, 4]


def test_a_header_whose_second_line_goes_on_in_some_columns_only(write):
    text = (
        "Resultaträkning (kr)\tUtfall\tBudget\tAvvikelse\n"
        "\tperiod\t\t\n"
        "Intäkter\t3 594 387\t3 337 514\t256 873\n"
        "Kostnader\t12 539 299\t12 314 007\t-225 292\n"
        "Netto\t-8 944 912\t-8 976 493\t31 581\n"
    )
    from styra.checker.api import read_document
    from styra.checker.tables import find_tables

    [t] = find_tables(read_document(write(text)))
    assert [c.header for c in t.columns] == ["Utfall period", "Budget", "Avvikelse"]
    assert [r.label for r in t.rows] == ["Intäkter", "Kostnader", "Netto"]
    assert check_file(write(text, "b.txt")).findings == []


YEARS = (
    "Nyckeltal\tUtfall 2023\tUtfall 2024\tUtfall 2025\n"
    "Andel inköp från avtalade leverantörer\t84 %\t82 %\t78 %\n\n"
    "{sentence}\n"
)


def test_a_percentage_in_prose_is_compared_with_the_year_it_speaks_of(write):
    said = "Andel inköp från avtalade leverantörer var {p} under året."
    assert check_file(write(YEARS.format(sentence=said.format(p="78 %")))).findings == []
    # 82 % is the figure of 2024, not of the report's own year
    r = check_file(write(YEARS.format(sentence=said.format(p="82 %")), "b.txt"))
    assert [(f.rule, f.expected) for f in r.findings] == [("procent_mot_tabell", "78 %")]
    named = "Andel inköp från avtalade leverantörer var 82 % år 2024."
    assert check_file(write(YEARS.format(sentence=named), "c.txt")).findings == []


# ------------------------------------------------------------ a change told in one sentence


def test_a_change_with_both_ends_is_checked_in_amount_percent_and_direction():
    from styra.checker.rules.change import check_sentence

    ok = (
        "Nettokostnaden ökade från 412,5 mnkr till 431,0 mnkr, en ökning med 18,5 mnkr "
        "eller 4,5 procent."
    )
    assert check_sentence(ok) == []
    assert [k for k, *_ in check_sentence(ok.replace("4,5 procent", "5,4 procent"))] == ["procent"]
    assert [k for k, *_ in check_sentence(ok.replace("18,5 mnkr", "15,8 mnkr"))] == ["belopp"]
    assert [
        k
        for k, *_ in check_sentence(
            ok.replace("ökade", "minskade").replace("en ökning", "en minskning")
        )
    ] == ["riktning"]


def test_a_change_statement_that_rounding_explains_or_that_is_unclear_says_nothing():
    from styra.checker.rules.change import check_sentence

    # 4,46 % shown as 4,5 %; 4,4 % is outside every value the figures stand for
    assert (
        check_sentence("Kostnaden ökade från 412,5 mnkr till 430,9 mnkr, eller 4,5 procent.") == []
    )
    assert check_sentence("Kostnaden ökade från 412,5 mnkr till 430,9 mnkr, eller 4,3 procent.")
    # years, two changes in one sentence, two units
    assert check_sentence("Antalet ökade från 2023 till 2024 med 5 procent.") == []
    assert (
        check_sentence(
            "Kostnaderna ökade från 100 mnkr till 110 mnkr medan intäkterna minskade med 3 procent."
        )
        == []
    )
    assert check_sentence("Kostnaden ökade från 1,2 mnkr till 1 250 tkr, med 9 procent.") == []


def test_a_wrong_change_in_a_report_is_a_finding_on_its_line(write):
    text = (
        "## Kostnadsutveckling\n\n"
        "Nettokostnaden ökade från 200,0 mnkr till 210,0 mnkr, eller {p} procent.\n"
    )
    assert check_file(write(text.format(p="5,0"))).findings == []
    r = check_file(write(text.format(p="0,5"), "b.txt"))
    assert [(f.rule, f.location.line, f.expected, f.found) for f in r.findings] == [
        ("forandring_i_text", 3, "5,0", "0,5")
    ]


def test_prose_against_a_table_without_a_unit_is_compared_in_every_unit(write):
    text = (
        "Resultat\tBudget\tUtfall\tAvvikelse\n"
        "Intäkter\t2 919 788\t3 228 127\t308 339\n"
        "Kostnader\t-11 232 928\t-11 830 771\t-597 843\n"
        "Netto\t-8 313 140\t-8 602 644\t-289 504\n\n"
        "## Ekonomi\n\nNämnden redovisar ett underskott på {v} tkr.\n"
    )
    # 289 504 kr is 290 tkr: the table's unit is not stated, so kr is a reading that holds
    assert check_file(write(text.format(v="290"))).findings == []
    r = check_file(write(text.format(v="520"), "b.txt"))
    assert [f.rule for f in r.findings] == ["text_mot_tabell"]


def test_a_gender_total_below_its_parts_is_checked(write):
    text = (
        "Sjukfrånvaro (%)\t2023\t2024\t2025\n"
        "Kvinnor\t8,1\t7,5\t6,9\n"
        "Män\t4,2\t5,0\t5,9\n"
        "Totalt\t{t}\t6,8\t6,6\n"
    )
    assert check_file(write(text.format(t="7,0"))).findings == []
    r = check_file(write(text.format(t="9,4"), "b.txt"))
    assert [(f.rule, f.location.line) for f in r.findings] == [("kon_total", 4)]


def test_a_second_header_line_whose_trailing_tabs_were_cut_off(write):
    text = (
        "Belopp i kr\tBokslut\tÅrsbudget\tPrognos\tBudgetavvikelse\n"
        "\t2024\n"
        "Bibliotek\t-2 242 366\t-2 378 878\t-2 481 123\t-102 245\n"
        "Museet\t-1 271 819\t-1 347 978\t-1 269 115\t78 863\n"
        "Fritidsgårdar\t-228 301\t-231 591\t-234 355\t-2 764\n"
        "Totalt\t-3 742 486\t-3 958 447\t-3 984 593\t-26 146\n"
    )
    from styra.checker.api import read_document
    from styra.checker.tables import find_tables

    [t] = find_tables(read_document(write(text)))
    assert t.columns[0].header == "Bokslut 2024" and t.columns[0].year == 2024
    assert t.rows[0].label == "Bibliotek"
    assert check_file(write(text, "b.txt")).findings == []


def test_a_ratio_column_named_after_an_amount_is_no_amount():
    from styra.checker.tables import classify_column

    assert classify_column(0, "Utfall i % av budget").kind == ""
    assert classify_column(0, "Utfall 2025").kind == "utfall"


def test_a_header_formula_warning_shows_a_row_that_uses_the_other_direction(write):
    text = (
        "Tkr\tBudget 2025\tUtfall 2025\tAvv Utfall-Budget\n"
        "Bygglov\t-4 000\t-3 600\t400\n"
        "Miljötillsyn\t-6 000\t-6 500\t-500\n"
        "Summa\t-10 000\t-10 100\t-100\n"
    )
    assert check_file(write(text)).findings == []
    r = check_file(write(text.replace("Avv Utfall-Budget", "Avv Budget-Utfall"), "b.txt"))
    [f] = r.findings
    assert f.rule == "avvikelse_rubrik"
    assert "”Bygglov”: -3 600 − -4 000 = 400" in f.message
    assert [g.value for g in f.figures] == ["-3 600", "-4 000", "400"]


def _pdf(tmp_path, html: str, name: str = "rapport.pdf"):
    from weasyprint import HTML

    style = "<style>td{white-space:nowrap;padding:2px 12px} td+td{text-align:right}</style>"
    path = tmp_path / name
    HTML(string=style + html).write_pdf(str(path))
    return path


def test_a_section_label_right_under_a_pdf_header_stays_a_section(tmp_path):
    from styra.checker.api import read_document
    from styra.checker.tables import find_tables

    rows = [
        ("", "Utfall 2025", "Budget 2025", "Avvikelse"),
        ("NORR", "", "", ""),
        ("Intäkter", "86,3", "81,1", "5,2"),
        ("Kostnader", "-439,2", "-429,0", "-10,2"),
        ("Netto", "-352,9", "-347,9", "-5,0"),
        ("SÖDER", "", "", ""),
        ("Intäkter", "28,0", "28,3", "-0,3"),
        ("Kostnader", "-358,7", "-382,6", "23,9"),
        ("Netto", "-330,7", "-354,3", "23,6"),
    ]
    html = (
        "<table>"
        + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        + "</table>"
    )
    path = _pdf(tmp_path, html)
    [t] = find_tables(read_document(path))
    assert [c.header for c in t.columns] == ["Utfall 2025", "Budget 2025", "Avvikelse"]
    assert [r.label for r in t.rows if r.kind == "section"] == ["NORR", "SÖDER"]
    assert check_file(path).findings == []


def test_a_table_goes_on_at_the_top_of_the_next_page_without_its_header(write):
    text = (
        "Mnkr\tUtfall 2025\tBudget 2025\tAvvikelse\n"
        "NORR\t\t\t\n"
        "Intäkter\t86,3\t81,1\t5,2\n"
        "Kostnader\t-439,2\t-429,0\t-10,2\n"
        "Netto\t-352,9\t-347,9\t-5,0\n"
        "SÖDER\t\t\t\n"
        "Intäkter\t28,0\t28,3\t-0,3\n"
        "\fSida 2\n"
        "Kostnader\t-358,7\t-382,6\t23,9\n"
        "Netto\t-330,7\t-354,3\t23,6\n"
    )
    from styra.checker.api import read_document
    from styra.checker.tables import find_tables

    [t] = find_tables(read_document(write(text)))
    assert [r.label for r in t.rows][-2:] == ["Kostnader", "Netto"]
    assert check_file(write(text, "b.txt")).findings == []
    r = check_file(write(text.replace("23,6\n", "32,6\n"), "c.txt"))
    assert {f.location.line for f in r.findings} == {10}


def test_a_deviation_in_percent_with_bare_figures_is_not_summed(write):
    text = (
        "Tkr\tUtfall\tBudget\tAvvikelse\tAvvikelse i %\n"
        "Förskola\t-9 500\t-10 000\t-500\t-5,0\n"
        "Grundskola\t-20 400\t-20 000\t400\t2,0\n"
        "Summa\t-29 900\t-30 000\t-100\t-0,3\n"
    )
    assert check_file(write(text)).findings == []


def test_a_change_column_and_a_deviation_in_percent_are_no_amounts():
    from styra.checker.tables import classify_column

    assert classify_column(0, "Förändring mot föregående år").kind == ""
    assert classify_column(0, "Avvikelse %").kind == ""
    assert classify_column(0, "Bokslut föregående år").kind == "utfall"
    assert classify_column(0, "Avvikelse").kind == "avvikelse"


def test_prose_is_compared_with_a_unit_whose_row_has_varav_rows(write):
    text = (
        "Belopp i mnkr\tUtfall 2025\tÅrsbudget\tBudgetavvikelse\n"
        "Detaljplanering\t-245,4\t-256,7\t11,3\n"
        "varav personal\t-117,3\t-122,7\t5,4\n"
        "varav övrigt\t-128,1\t-134,0\t5,9\n"
        "Trafikenheten\t-267,2\t-273,2\t6,0\n"
        "Totalt nämnden\t-512,6\t-529,9\t17,3\n\n"
        "## Trafikenheten\n\nFör trafikenheten blir det ett överskott om {v} mkr.\n"
    )
    assert check_file(write(text.format(v="6,0"))).findings == []
    r = check_file(write(text.format(v="6,5"), "b.txt"))
    assert [(f.rule, f.location.line) for f in r.findings] == [("text_mot_tabell", 10)]


TOTAL_FIRST = (
    "Belopp i kr\tBokslut 2024\tÅrsbudget\tPrognos\tBudgetavvikelse\n"
    "Summa nämnden\t{total}\t-4 668 826\t-4 697 736\t-28 910\n"
    "Kulturskolan\t-1 409 250\t-1 407 721\t-1 466 249\t-58 528\n"
    "Föreningsstöd\t-1 033 750\t-1 108 650\t-1 110 071\t-1 421\n"
    "Fritidsgårdar\t-1 083 425\t-1 183 264\t-1 166 536\t16 728\n"
    "Bibliotek\t-945 545\t-969 191\t-954 880\t14 311\n"
)


def test_a_total_above_its_rows_in_a_flat_table(write):
    assert check_file(write(TOTAL_FIRST.format(total="-4 471 970"))).findings == []
    r = check_file(write(TOTAL_FIRST.format(total="-4 741 970"), "b.txt"))
    assert [(f.rule, f.location.line, f.expected) for f in r.findings] == [
        ("summa", 2, "-4 471 970")
    ]


def test_a_balance_sheet_with_a_note_column_adds_up(write):
    text = (
        "Balansräkning (mnkr)\tNot\t2025\t2024\n"
        "Anläggningstillgångar\t\t\t\n"
        "Mark, byggnader och tekniska anläggningar\t5\t1 234,5\t1 180,2\n"
        "Maskiner och inventarier\t6\t120,3\t115,0\n"
        "Summa anläggningstillgångar\t\t1 354,8\t1 295,2\n"
        "Omsättningstillgångar\t\t\t\n"
        "Kortfristiga fordringar\t7\t230,1\t210,5\n"
        "Kassa och bank\t8\t80,4\t95,3\n"
        "Summa omsättningstillgångar\t\t310,5\t305,8\n"
        "SUMMA TILLGÅNGAR\t\t{total}\t1 601,0\n"
    )
    assert check_file(write(text.format(total="1 665,3"))).findings == []
    r = check_file(write(text.format(total="1 656,3"), "b.txt"))
    assert [(f.rule, f.location.line) for f in r.findings] == [("summa", 10)]


BALANCE = (
    "Balansräkning (mnkr)\tNot\t2025\t2024\n"
    "Maskiner och inventarier\t6\t120,3\t115,0\n"
    "Kortfristiga fordringar\t7\t230,1\t210,5\n"
    "Kassa och bank\t8\t80,4\t95,3\n"
    "Summa\t\t430,8\t420,8\n\n"
    "{sentence}\n"
)


def test_a_change_in_percent_of_a_named_row_against_its_two_latest_years(write):
    ok = "Kortfristiga fordringar ökade med 9,3 procent jämfört med föregående år."
    assert check_file(write(BALANCE.format(sentence=ok))).findings == []
    r = check_file(write(BALANCE.format(sentence=ok.replace("9,3", "11,8")), "b.txt"))
    assert [(f.rule, f.location.line, f.expected) for f in r.findings] == [
        ("forandring_mot_tabell", 7, "9,3 %")
    ]
    wrong_way = "Kassa och bank ökade med 15,6 procent under året."
    r = check_file(write(BALANCE.format(sentence=wrong_way), "c.txt"))
    assert [(f.rule, f.expected) for f in r.findings] == [("forandring_mot_tabell", "en minskning")]


def test_a_change_the_table_cannot_tell_says_nothing(write):
    # "cirka" allows 10 %; a sentence naming no row, or two rows, is not compared
    near = "Kortfristiga fordringar ökade med cirka 10 procent."
    assert check_file(write(BALANCE.format(sentence=near))).findings == []
    two = "Kassa och bank och kortfristiga fordringar ökade med 20 procent."
    assert check_file(write(BALANCE.format(sentence=two), "b.txt")).findings == []


def test_the_header_of_another_table_above_a_page_top_is_no_page_furniture(write):
    text = (
        "Tkr\tBudget\tUtfall\tAvvikelse\n"
        "Intäkter\t29 306\t56 954\t27 648\n"
        "Kostnader\t-249 325\t-274 036\t-24 711\n"
        "Netto\t-220 019\t-217 082\t2 937\n\n"
        "Belopp (tkr) Budget 2025 Prognos 2025 Avv Prognos-Budget\n"
        "\f"
        "Intäkter\t9 977\t9 413\t-564\n"
        "Kostnader\t-57 960\t-57 576\t384\n"
        "Netto\t-47 983\t-48 163\t-180\n"
    )
    from styra.checker.api import read_document
    from styra.checker.tables import find_tables

    tables = find_tables(read_document(write(text)))
    assert [len(t.rows) for t in tables] == [3, 3]


def test_a_change_in_percent_of_a_row_of_percentages_is_not_compared(write):
    text = (
        "Mått\tUtfall 2024\tUtfall 2025\n"
        "Andel elever som klarat kursen\t52 %\t58 %\n"
        "Andel nöjda deltagare\t80 %\t82 %\n\n"
        "Andel elever som klarat kursen har ökat med 6 procent sedan förra året.\n"
    )
    assert check_file(write(text)).findings == []


def test_an_amount_better_or_worse_than_budget_is_a_deviation(write):
    text = (
        "Netto per enhet (tkr)\tBudget 2020\tPrognos 2020\tAvvikelse 2020\n"
        "Vuxenutbildning\t-10 000\t-8 000\t2 000\n"
        "Jobbcenter\t-5 000\t-5 500\t-500\n"
        "Total\t-15 000\t-13 500\t1 500\n\n"
        "## Ekonomi\n\nNämndens resultat är 1,5 mnkr bättre än budget.\n\n"
        "## Jobbcenter\n\nJobbcenter visar ett resultat som är {v} mnkr sämre än budgeterat.\n"
        "Kostnaderna blev 3 mnkr högre än budget.\n"
    )
    assert check_file(write(text.format(v="0,5"))).findings == []
    r = check_file(write(text.format(v="0,8"), "b.txt"))
    assert [(f.rule, f.location.line, f.expected) for f in r.findings] == [
        ("text_mot_tabell", 12, "0,5 mnkr")
    ]


@pytest.mark.parametrize(
    "header, rows, wrong",
    [
        (  # a compound deviation header
            "Belopp i tkr\nÅrsbudget\nUtfall 2025\nBudgetavvikelse",
            [
                ("Exploatering", "-36 247", "-33 610", "2 637"),
                ("Mark och skog", "-51 979", "-52 733", "-754"),
                ("Räddningstjänst", "-6 496", "-6 659", "-163"),
                ("Summa", "-94 722", "-93 002", "1 720"),
            ],
            ("-754", "-574"),
        ),
        (  # an abbreviated header
            "Verksamhet (tkr)\nBudget 2025\nUtfall jan-aug\nAvv.",
            [
                ("Elevhälsa", "-1 235", "-1 329", "-94"),
                ("Grundskola", "-577", "-546", "31"),
                ("Skolskjuts", "-970", "-952", "18"),
                ("Totalt", "-2 782", "-2 827", "-45"),
            ],
            ("31", "13"),
        ),
    ],
)
def test_a_table_with_one_cell_per_line(write, header, rows, wrong):
    from styra.checker.api import read_document
    from styra.checker.tables import find_tables

    text = header + "\n\n" + "".join(f"{label}\n{b}\n{u}\n{d}\n\n" for label, b, u, d in rows)
    [t] = find_tables(read_document(write(text)))
    assert [c.kind for c in t.columns] == ["budget", "utfall", "avvikelse"]
    assert check_file(write(text, "b.txt")).findings == []
    right, typed = wrong
    r = check_file(write(text.replace(f"\n{right}\n", f"\n{typed}\n"), "c.txt"))
    assert [(f.rule, f.expected) for f in r.findings if f.rule == "avvikelse"] == [
        ("avvikelse", right)
    ]
