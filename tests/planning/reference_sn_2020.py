"""The tables of Socialnämndens yttrande till Mål och budget 2020 (reference document
sn-2019-manadsrapport-juni-yttrande.txt, Bilaga 1–6), transcribed cell by cell in tkr.
Costs negative, as in the paper. None = an empty cell in the paper.

Bilaga 3 comes from a text extraction that lost the column positions; the transcription
reads each project row as: beslutat år, beslutad totalbudget, ack. utfall t.o.m. 2018,
the yearly plan, ny totalbudget, Ev. TB (the amounts of a row add up that way:
−1 600 − 40 000 − 40 000 = −81 600).
"""

YEARS = [2019, 2020, 2021, 2022, 2023]

FRAMES = {
    "Ingående budget": [-624440, -628240, -649512, -667346, -684823],
    "Volymförändringar": [None, -12256, -8942, -9317, -10104],
    "Löne- och prisuppräkning": [None, -18247, -19451, -19274, -20066],
    "Särskild lönesatsning": [-1300, None, None, None, None],
    "Omfördelning mellan nämnder": [-2500, -800, None, None, None],
    "Effektiviseringsåtgärder": [None, 10031, 10559, 11114, 13700],
    "Summa justeringar": [-3800, -21272, -17834, -17477, -16470],
    "Preliminära budgetramar": [-628240, -649512, -667346, -684823, -701293],
    "Summa föreslagna justeringar": [None, 0, 0, 0, 0],
    "Nämndens förslag till budgetramar": [-628240, -649512, -667346, -684823, -701293],
}

# Bilaga 1, Specifikation utifrån preliminära budgetramar: 2018 (utfall), 2019 (budget),
# 2020–2023. The demo has no ledger or budget for Socialnämnden, so the first two columns
# are not compared (SPEC_NOT_COMPARED).
SPEC_YEARS = [2018, 2019, 2020, 2021, 2022, 2023]
SPECIFICATION = {
    "Kostnader": [-760566, -722996, -709762, -724846, -741323, -758793],
    "Intäkter": [111129, 95790, 60250, 57500, 56500, 57500],
    "Netto": [-649437, -627206, -649512, -667346, -684823, -701293],
}
SPEC_NOT_COMPARED = (2018, 2019)
REVENUES = {
    "Taxor och avgifter": [3500, 3500, 3500, 3500],
    "Bidrag": [25000, 22000, 20000, 20000],
    "Interna intäktsfördelningar": [750, 0, 0, 0],
    "Övriga intäkter": [31000, 32000, 33000, 34000],
}

# Bilaga 2:n → cost type → (delårseffekt, helårseffekt); then the net row.
PROPOSALS = {
    1: {"Personalkostnader": (-2550, -5100), "Summa nettokostnader": (-2550, -5100)},
    2: {"Personalkostnader": (-6300, -12600), "Summa nettokostnader": (-6300, -12600)},
    3: {"Övriga driftkostnader": (-6844, -13687), "Summa nettokostnader": (-6843.5, -13687)},
    4: {"Övriga driftkostnader": (-810, -1620), "Summa nettokostnader": (-810, -1620)},
    5: {"Personalkostnader": (-250, -500), "Summa nettokostnader": (-250, -500)},
    6: {
        "Personalkostnader": (-3250, -6500),
        "Övriga driftkostnader": (-750, -1500),
        "Summa kostnader": (-4000, -8000),
        "Summa nettokostnader": (-4000, -8000),
    },
    7: {"Internhyra lokaler": (-1750, -3500), "Summa nettokostnader": (-1750, -3500)},
}

# The efficiency plan (mkr in the paper): net saving per measure and the plan's sum.
EFFICIENCY_NET_MKR = {
    "Öppna förskolan": 1,
    "Bostadskvoten från Botkyrkabyggen": 1,
    "Gruppinsatser i öppenvården": 2,
    "Personliga ombud på lägre ambitionsnivå": 0.45,
    "Avgift för boendestöd": 3,
    "Samordnad daglig sysselsättning": 0.7,
    "Hyror som täcker kostnaden i egna boenden": 1.5,
    "Lägre ersättning vid vårdnadsöverflyttningar": 0.5,
    "Nettobesparing": 10.15,
}
EFFICIENCY_REQUIRED_MKR = 10.031  # "det årliga effektiviseringskravet på 2 %"

# Bilaga 3, project rows: number → (decided, outcome to date, new total, Ev. TB, {year: plan})
INVESTMENTS = {
    "3698": (None, None, None, None, {2019: -4000, **{y: -2000 for y in range(2020, 2031)}}),
    "3696": (None, None, None, None, {y: -2000 for y in range(2019, 2031)}),
    "6103": (-11000, -2000, -5000, 0, {2019: -3000}),
    "6266": (-56500, -1600, -81600, 0, {2019: -40000, 2020: -40000}),
    "6244": (-81600, -1600, -81600, 0, {2019: -40000, 2020: -40000}),
}

# Bilaga 4–6, resultaträkning fastighetsinvestering: number → row → (go-live year, year after)
BASES = {
    "6103": {
        "Avskrivningar": (-50, -149),
        "Räntekostnader": (-29, -85),
        "Fastighetskostnader": (-264, -809),
        "SUMMA": (-343, -1044),
    },
    "6266": {
        "Avskrivningar": (-2449, -4899),
        "Räntekostnader": (-705, -1346),
        "Fastighetskostnader": (-562, -1146),
        "SUMMA": (-3716, -7391),
    },
    "6244": {
        "Avskrivningar": (-1225, -4899),
        "Räntekostnader": (-355, -1367),
        "Fastighetskostnader": (-281, -1146),
        "SUMMA": (-1861, -7412),
    },
}

REASON_PROPOSALS = (
    "The paper types 0 in 'Summa föreslagna justeringar' while its Bilaga 2 proposes "
    "about 45 mkr (issue 18); Styra sums the proposals: part-year effect in the start year, "
    "full-year effect after."
)
REASON_TB = "Ev. TB = Ny totalbudget − Beslutad totalbudget (DOMAIN §7); the paper leaves 0."
REASON_PROPERTY_COSTS = (
    "The paper's first-year fastighetskostnader are about 2 % below the months after go-live "
    "(4/12 of 809 = 269,7 shown −264); Styra counts whole months, as for depreciation."
)
REASON_INTEREST = (
    "The paper does not print its interest method; Styra charges 1,75 % on the average book "
    "value of the depreciation months (finance.calc.capital_costs), which comes within 0,3 %."
)

# (table, row, column) → (paper, Styra, reason). Every entry must occur (no stale list).
ALLOWED = {
    **{
        ("ramar", "Summa föreslagna justeringar", y): (0, v, REASON_PROPOSALS)
        for y, v in {2020: -22503.5, 2021: -45007, 2022: -45007, 2023: -45007}.items()
    },
    **{
        ("ramar", "Nämndens förslag till budgetramar", y): (paper, mine, REASON_PROPOSALS)
        for y, paper, mine in [
            (2020, -649512, -672015.5),
            (2021, -667346, -712353),
            (2022, -684823, -729830),
            (2023, -701293, -746300),
        ]
    },
    ("investeringsplan", "6103", "Ev. TB"): (0, 6000, REASON_TB),
    ("investeringsplan", "6266", "Ev. TB"): (0, -25100, REASON_TB),
    ("underlag", "6103", "Fastighetskostnader 1"): (-264, -270, REASON_PROPERTY_COSTS),
    ("underlag", "6103", "SUMMA 1"): (-343, -348, REASON_PROPERTY_COSTS),
    ("underlag", "6266", "Fastighetskostnader 1"): (-562, -573, REASON_PROPERTY_COSTS),
    ("underlag", "6266", "SUMMA 1"): (-3716, -3726, REASON_PROPERTY_COSTS),
    ("underlag", "6266", "Räntekostnader 1"): (-705, -703, REASON_INTEREST),
    ("underlag", "6266", "Räntekostnader 2"): (-1346, -1342, REASON_INTEREST),
    ("underlag", "6266", "SUMMA 2"): (-7391, -7387, REASON_INTEREST),
    ("underlag", "6244", "Fastighetskostnader 1"): (-281, -287, REASON_PROPERTY_COSTS),
    ("underlag", "6244", "SUMMA 1"): (-1861, -1865, REASON_PROPERTY_COSTS),
    ("underlag", "6244", "Räntekostnader 1"): (-355, -354, REASON_INTEREST),
    ("underlag", "6244", "Räntekostnader 2"): (-1367, -1364, REASON_INTEREST),
    ("underlag", "6244", "SUMMA 2"): (-7412, -7408, REASON_INTEREST),
}
