"""The SIE reader on real files exported by accounting programs (../shared/external-data/sie).

The expected figures were established independently of the reader, from the raw bytes
with sed and awk (LC_ALL=C): object lists removed with `sed 's/{[^}]*}//'`, then per file
the number of lines starting with each tag and, with awk, the sums of the amount field
converted to öre (field 3 of #TRANS; field 4 of #IB/#UB/#RES/#OIB/#OUB; field 5 of
#PSALDO/#PBUDGET). "debit"/"credit" are the sums of the positive/negative #TRANS amounts
(#RTRANS and #BTRANS lines are not #TRANS lines). Rows with objects were counted with
`grep -cE '^\\s*#TRANS\\s+\\S+\\s+\\{\\s*[^}[:space:]]'`. SOURCES.md in that folder lists
most of the same counts. The tests skip when the folder is absent; the rules themselves are
covered by test_sie_reader.py with inline files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from styra.ledger.readers.sie import HeaderField, Voucher, iter_sie, read_sie
from styra.lib.errors import ERROR, Issue

SIE_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "external-data" / "sie"


def sie_file(name: str) -> Path:
    path = SIE_DIR / name
    if not path.exists():
        pytest.skip(f"{path} saknas: testet läser SIE-filerna i ../shared/external-data/sie")
    return path


# file: (accounts, dims incl. #UNDERDIM, objects, vouchers, #TRANS rows, rows with objects,
#        debit öre, credit öre, #BTRANS, {balance kind: (count, total öre)}, encoding)
EXPECTED = {
    "alipsa__44_sie4_VismaCompact.se": (
        301,
        2,
        6,
        286,
        949,
        58,
        603239701,
        -603239701,
        0,
        {"IB": (47, 0), "UB": (50, 6520750), "RES": (61, -6520750)},
        "CP437 (PC8)",
    ),
    "alipsa__9_sie-gruppen-e-conomic.se": (
        407,
        2,
        4,
        57,
        160,
        43,
        230641776,
        -230641776,
        0,
        {"IB": (46, 0), "UB": (52, 94884182), "RES": (34, -94884182)},
        "CP437 (PC8)",
    ),
    "barsoom__sie_file_with_unknown_entries.se": (
        4,
        0,
        0,
        2,
        5,
        0,
        38000,
        -42000,
        0,
        {},
        "CP437 (PC8)",
    ),
    "forsslund__SIE4_Exempelfil.SE": (
        530,
        2,
        37,
        295,
        1330,
        292,
        3419790588,
        -3419790588,
        0,
        {"IB": (51, 0), "UB": (53, 107434411), "RES": (119, -107434411)},
        "CP437 (PC8)",
    ),
    "jsisie__BL0001_typ4.SE": (
        117,
        3,
        23,
        84,
        405,
        104,
        101480321,
        -101480321,
        3,
        {
            "IB": (54, 0),
            "UB": (54, 21258347),
            "RES": (26, -21258347),
            "OIB": (6, 3240000),
            "OUB": (21, 508040),
            "PBUDGET": (24, -60000000),
        },
        "CP437 (PC8)",
    ),
    "jsisie__SIE4_Exempelfil_med_underdim.SE": (
        530,
        4,
        39,
        295,
        1330,
        292,
        3419790588,
        -3419790588,
        0,
        {"IB": (51, 0), "UB": (53, 107434411), "RES": (119, -107434411)},
        "UTF-8",
    ),
    "jsisie__Sie4_Fortnox.si": (
        133,
        2,
        3,
        165,
        869,
        1,
        6962651900,
        -6962651900,
        0,
        {"IB": (48, 7666300), "UB": (48, 7666300)},
        "CP437 (PC8)",
    ),
    "jsisie__Test4_Briljant.SE": (
        81,
        0,
        0,
        167,
        1464,
        0,
        1415347046,
        -1415347046,
        0,
        {
            "IB": (10, 0),
            "UB": (24, -71878123),
            "RES": (40, 71878123),
            "PSALDO": (375, -18276152),
            "PBUDGET": (146, -178540000),
        },
        "CP437 (PC8)",
    ),
    "jsisie__XE_SIE_3_SoftOne.SE": (
        373,
        4,
        48,
        0,
        0,
        0,
        0,
        0,
        0,
        {
            "IB": (118, -1793023683),
            "UB": (148, -1926039769),
            "RES": (30, 348300217),
            "PSALDO": (4478, -1032660),
        },
        "CP437 (PC8)",
    ),
    "jsisie__transaktioner_ovnbolag.se": (
        567,
        3,
        14,
        163,
        671,
        323,
        1204311152,
        -1204311152,
        0,
        {
            "IB": (55, 115167815),
            "UB": (62, 258115476),
            "RES": (104, -142947661),
            "PSALDO": (705, 0),
            "PBUDGET": (1248, -160000000),
        },
        "CP437 (PC8)",
    ),
    "jsisie__transaktioner_ovnbolag-bad-balance.se": (
        567,
        3,
        14,
        163,
        671,
        323,
        1204311152,
        -1205588252,
        0,
        {
            "IB": (55, 115167815),
            "UB": (62, 258115476),
            "RES": (104, -142947661),
            "PSALDO": (705, 0),
            "PBUDGET": (1248, -160000000),
        },
        "CP437 (PC8)",
    ),
    "sie4j__Arousells_Visning_AB.SE": (
        258,
        3,
        6,
        10,
        83,
        0,
        17167615,
        -17167615,
        0,
        {
            "IB": (56, 12482738),
            "UB": (75, 97977608),
            "RES": (76, -84385790),
            "OIB": (6, -2824000),
            "OUB": (35, 4547377),
        },
        "UTF-8",
    ),
    "sie4j__BLBLOV_SIE4_ISO_8859_15.SE": (
        202,
        0,
        0,
        20,
        74,
        0,
        9527414,
        -9527414,
        0,
        {"IB": (48, -23318541), "UB": (51, -45410433), "RES": (20, 22091892), "PBUDGET": (276, 0)},
        "Latin-1",
    ),
    "sie4j__SIE_with_missing_program_version.se": (
        0,
        0,
        0,
        3,
        23,
        0,
        11910767,
        -11910767,
        0,
        {},
        "CP437 (PC8)",
    ),
    "sie4j__Transaktioner_per_Z-rapport.se": (
        11,
        1,
        0,
        10,
        83,
        0,
        17167615,
        -17167615,
        0,
        {},
        "CP437 (PC8)",
    ),
}

# Files whose only errors are the ones they were made (or found) to contain.
EXPECTED_ERRORS = {
    "jsisie__transaktioner_ovnbolag-bad-balance.se": [("unbalanced_voucher", 3905)],
    # Voucher A 1 has rows -200 + 180 - 20 = -40 kr: the file really does not balance.
    "barsoom__sie_file_with_unknown_entries.se": [("unbalanced_voucher", 22)],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_file_counts_and_totals(name):
    (
        accounts,
        dims,
        objects,
        n_vouchers,
        rows,
        with_objects,
        debit,
        credit,
        removed,
        balances,
        encoding,
    ) = EXPECTED[name]
    s = read_sie(sie_file(name))
    assert (s.accounts, s.dimensions, s.objects) == (accounts, dims, objects)
    assert (s.vouchers, s.transactions, s.transactions_with_objects) == (
        n_vouchers,
        rows,
        with_objects,
    )
    assert (s.debit_ore, s.credit_ore, s.removed_rows) == (debit, credit, removed)
    got = {k: (s.balances[k], s.balance_totals[k]) for k in s.balances}
    got |= {k: (s.period_balances[k], s.period_balance_totals[k]) for k in s.period_balances}
    assert got == balances
    assert s.encoding == encoding
    assert [(i.code, i.line) for i in s.errors] == EXPECTED_ERRORS.get(name, [])


def test_negative_file_is_rejected_for_its_unbalanced_voucher_at_the_right_line():
    # Line 3907 was changed from -128.00 to -12899.00; its voucher "#VER B 1" starts on
    # line 3905 and closes on 3910 (sed -n 3905,3910p): -12899 + 100 + 28 = -12771 kr.
    s = read_sie(sie_file("jsisie__transaktioner_ovnbolag-bad-balance.se"))
    (err,) = s.errors
    assert err.line == 3905 and err.file == "jsisie__transaktioner_ovnbolag-bad-balance.se"
    assert "B 1" in err.message and "-12\u00a0771,00" in err.message and "3905–3910" in err.message


def test_rtrans_pairs_and_btrans_rows_in_bl_file():
    # BL0001: voucher A 8 (lines 612-621) has three #BTRANS rows (-1000, 200, 800) and
    # two #RTRANS/#TRANS pairs of 0 kr; the rows that count sum to zero.
    recs = list(iter_sie(sie_file("jsisie__BL0001_typ4.SE")))
    v8 = next(r for r in recs if isinstance(r, Voucher) and (r.series, r.number) == ("A", "8"))
    assert [t.amount_ore for t in v8.removed] == [-100000, 20000, 80000]
    assert [t.line for t in v8.transactions] == [616, 619]
    v25 = next(r for r in recs if isinstance(r, Voucher) and r.line == 721)
    assert (v25.series, v25.number) == ("A", "25")
    # lines 725-728: #RTRANS 1930 500 + #TRANS duplicate, #RTRANS 3010 -500 + duplicate
    assert [(t.account, t.amount_ore, t.line) for t in v25.transactions][-2:] == [
        ("1930", 50000, 726),
        ("3010", -50000, 728),
    ]


def test_checksum_of_visma_file_is_verified_and_a_change_is_caught():
    path = sie_file("alipsa__44_sie4_VismaCompact.se")
    assert not [i for i in read_sie(path).issues if i.code.startswith("ksumma")]
    data = path.read_bytes()
    # Move 1 kr between two rows of one voucher: still balanced, but the checksum differs.
    changed = data.replace(b"-10000.00\t20100831", b"-10001.00\t20100831", 1).replace(
        b"\t10000.00\t20100831", b"\t10001.00\t20100831", 1
    )
    assert changed != data
    s = read_sie(changed, filename="andrad.se")
    assert [i.code for i in s.errors] == ["ksumma_mismatch"]


def test_texts_are_decoded_in_each_encoding():
    def company(name: str) -> str:
        recs = iter_sie(sie_file(name))
        return next(r.values[0] for r in recs if isinstance(r, HeaderField) and r.tag == "FNAMN")

    assert company("forsslund__SIE4_Exempelfil.SE") == "Övningsbolaget AB"
    assert company("sie4j__BLBLOV_SIE4_ISO_8859_15.SE") == "Övningsföretaget AB"
    assert company("alipsa__9_sie-gruppen-e-conomic.se") == "Lillakonsultbyrån"


def test_backslashes_in_texts_are_kept():
    recs = list(iter_sie(sie_file("sie4j__BLBLOV_SIE4_ISO_8859_15.SE")))
    texts = {t.text for r in recs if isinstance(r, Voucher) for t in r.transactions}
    assert "1110\\1002 Hus 1:1" in texts


def test_unknown_label_is_a_warning_with_its_line():
    s = read_sie(sie_file("barsoom__sie_file_with_unknown_entries.se"))
    assert ("unknown_tag", 21) in [(i.code, i.line) for i in s.issues]


def test_every_file_gives_records_and_never_an_exception():
    for path in sorted(sie_file(".").glob("*")):
        recs = list(iter_sie(path))
        assert recs and all(not isinstance(r, Issue) or r.file == path.name for r in recs)
        assert not [
            r
            for r in recs
            if isinstance(r, Issue)
            and r.severity == ERROR
            and r.code not in ("unbalanced_voucher",)
        ]
