"""The ledger: chart of accounts, report rows, imports, transactions and balances.

Amounts are integer öre in the ledger's own sign (debit +, credit −). Reports turn them
into the report sign convention (revenue +, cost −) in the selectors, never in storage.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from styra.org.models import Municipality, OrgNode


class Account(models.Model):
    """An account of the municipality's chart (Kommun-Bas style, 4 digits or more)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    number = models.CharField("konto", max_length=12)
    name = models.CharField("benämning", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "konto"
        verbose_name_plural = "konton"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="account_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


class Section(models.TextChoices):
    REVENUE = "revenue", "Verksamhetens intäkter"
    COST = "cost", "Verksamhetens kostnader"
    FINANCIAL = "financial", "Finansiella poster"


class CoarseRow(models.TextChoices):
    REVENUE = "revenue", "Intäkter"
    STAFF = "staff", "Personal"
    OTHER = "other", "Övriga kostnader"
    FINANCIAL = "financial", "Finansiella poster"


class RowScheme(models.Model):
    """A version of the account → report-row mapping, in force from a year on."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    name = models.CharField("namn", max_length=100)
    valid_from_year = models.PositiveIntegerField("gäller från år")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "radindelning"
        verbose_name_plural = "radindelningar"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "valid_from_year"], name="rowscheme_year_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (från {self.valid_from_year})"


class ReportRow(models.Model):
    """A kontoslag row of the reports (e.g. "Personalkostnader") and its coarse row."""

    scheme = models.ForeignKey(RowScheme, on_delete=models.CASCADE, related_name="rows")
    code = models.CharField("kod", max_length=20)
    name = models.CharField("namn", max_length=100)
    section = models.CharField("del", max_length=20, choices=Section.choices)
    coarse = models.CharField("grov rad", max_length=20, choices=CoarseRow.choices)
    order = models.PositiveIntegerField("ordning", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rapportrad"
        verbose_name_plural = "rapportrader"
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="row_code_unique")]

    def __str__(self) -> str:
        return self.name


class AccountRange(models.Model):
    """Accounts first..last (inclusive, compared as numbers on their first 4 digits)."""

    scheme = models.ForeignKey(RowScheme, on_delete=models.CASCADE, related_name="ranges")
    first = models.PositiveIntegerField("från konto")
    last = models.PositiveIntegerField("till konto")
    row = models.ForeignKey(ReportRow, on_delete=models.CASCADE, related_name="ranges")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kontointervall"
        verbose_name_plural = "kontointervall"
        ordering = ["first"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last__gte=models.F("first")), name="range_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first}–{self.last} → {self.row}"


class LedgerImport(models.Model):
    """One imported file: what, by whom, when, and its totals. Never edited.

    An import that a later one replaces keeps its transactions (so that undoing the later
    one brings it back exactly) but no balances, and is marked `replaced_by`; an undone
    import keeps its record (who undid it, when) but no rows. The ledger's figures are the
    rows of the imports that are neither (`LedgerImport.live`)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    source = models.CharField("källa", max_length=100, help_text="t.ex. 'huvudbok'")
    year = models.PositiveIntegerField("år")
    first_period = models.PositiveSmallIntegerField("från period")
    last_period = models.PositiveSmallIntegerField("till period")
    file_format = models.CharField("format", max_length=10)
    file_name = models.CharField("fil", max_length=255)
    file_sha256 = models.CharField("kontrollsumma", max_length=64)
    vouchers = models.PositiveIntegerField("verifikationer", default=0)
    rows = models.PositiveIntegerField("rader", default=0)
    totals = models.JSONField("summa per period (öre)", default=dict)
    warnings = models.JSONField("varningar", default=list)
    imported_at = models.DateTimeField("importerad", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced",
        verbose_name="ersatt av",
    )
    undone_at = models.DateTimeField("ångrad", null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "import"
        verbose_name_plural = "importer"
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.year}, period {self.first_period}–{self.last_period})"

    @property
    def state(self) -> str:
        """'gällande', 'ersatt' or 'ångrad' (Swedish, as lists show it)."""
        if self.undone_at is not None:
            return "ångrad"
        if self.replaced_by_id is not None:
            return "ersatt"
        return "gällande"

    @classmethod
    def live(cls):
        return cls.objects.filter(replaced_by__isnull=True, undone_at__isnull=True)


class LiveTransactions(models.Manager):
    """Transactions of imports that count (not replaced by a later import)."""

    def get_queryset(self):
        return super().get_queryset().filter(ledger_import__replaced_by__isnull=True)


class Transaction(models.Model):
    """One ledger row, kept for drill-down. Written in bulk; never changed.

    Its two foreign keys have no constraint in the database: a million rows are written in
    one COPY, and a per-row constraint check cost a fifth of the import on PostgreSQL. The
    import service is the only writer (the import it just created, units from the year's
    dimension mapping), and Django still cascades and protects on delete."""

    ledger_import = models.ForeignKey(LedgerImport, on_delete=models.CASCADE, db_constraint=False)
    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()
    date = models.DateField(null=True)
    account = models.CharField(max_length=12)
    # No index of its own: the drill-down index below starts with the unit.
    unit = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, null=True, db_index=False, db_constraint=False
    )
    unit_code = models.CharField(max_length=60, blank=True)  # e.g. "ansvar 1100"
    project = models.CharField(max_length=40, blank=True)
    objects_text = models.CharField(max_length=255, blank=True)  # "1=1100 6=P42"
    amount_ore = models.BigIntegerField()
    series = models.CharField(max_length=20, blank=True)
    voucher = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)
    line = models.PositiveIntegerField(default=0)

    objects = LiveTransactions()
    all_objects = models.Manager()  # noqa: DJ012 (also the rows replaced imports keep)

    class Meta:
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["unit", "account", "year", "period"], name="trans_drill")]

    def __str__(self) -> str:
        return f"{self.series} {self.voucher} {self.account} {self.amount_ore} öre"


class Balance(models.Model):
    """Sum of transactions per import × period × unit × account × project (öre)."""

    ledger_import = models.ForeignKey(LedgerImport, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(OrgNode, on_delete=models.PROTECT, null=True)
    unit_code = models.CharField(max_length=60, blank=True)
    account = models.CharField(max_length=12)
    project = models.CharField(max_length=40, blank=True)
    amount_ore = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["year", "unit", "period"], name="balance_unit_period"),
            models.Index(fields=["year", "project"], name="balance_project"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.period:02d} {self.account} {self.amount_ore} öre"


class RowBalance(models.Model):
    """A stored aggregate: the result accounts' (3000–8999) balances of a unit × report row
    (row "?" for an account outside every row) for each period 1..13 of a year, ledger sign,
    öre. Kept equal to the sum of the live Balance rows by styra.ledger.aggregates in the
    transaction of every write; the figures engine reads it instead of the balances."""

    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(OrgNode, on_delete=models.CASCADE, related_name="+")
    row_code = models.CharField(max_length=20)
    periods = models.JSONField(default=list)  # 13 integers (öre), period 1 at index 0

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "unit", "row_code"], name="row_balance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id} {self.row_code}: {sum(self.periods)} öre"
