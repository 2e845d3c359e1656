"""The organisation: municipality, committees, administrations, operating areas, units.

All of them are nodes of one tree with validity periods (DOMAIN §2): a report for a year
uses the tree valid that year and history stays. Ledger dimension codes map to units per
year as data.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from styra.lib.orgnr import normalise_org_number


def validate_org_number(value: str) -> None:
    try:
        normalise_org_number(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


class Municipality(models.Model):
    name = models.CharField("namn", max_length=200)
    org_number = models.CharField(
        "organisationsnummer", max_length=11, unique=True, validators=[validate_org_number]
    )
    code = models.CharField("kommunkod", max_length=4, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kommun"
        verbose_name_plural = "kommuner"

    def __str__(self) -> str:
        return self.name


class NodeKind(models.TextChoices):
    COMMITTEE = "committee", "Nämnd"
    ADMINISTRATION = "administration", "Förvaltning"
    AREA = "area", "Verksamhetsområde"
    UNIT = "unit", "Enhet"


class OrgNodeQuerySet(models.QuerySet):
    def valid_in_year(self, year: int) -> OrgNodeQuerySet:
        return self.filter(valid_from__lte=dt.date(year, 12, 31)).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=dt.date(year, 1, 1))
        )

    def committees(self) -> OrgNodeQuerySet:
        return self.filter(kind=NodeKind.COMMITTEE)


class OrgNode(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="nodes", verbose_name="kommun"
    )
    # PROTECT: a node with children is closed with valid_to, never deleted.
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    kind = models.CharField("typ", max_length=20, choices=NodeKind.choices)
    code = models.CharField("kod", max_length=40)
    name = models.CharField("namn", max_length=200)
    short_name = models.CharField("kortnamn", max_length=40, blank=True)
    diarium_prefix = models.CharField("diarieprefix", max_length=20, blank=True)
    valid_from = models.DateField("gäller från", default=dt.date(2000, 1, 1))
    valid_to = models.DateField("gäller till", null=True, blank=True)
    is_result_unit = models.BooleanField("resultatenhet", default=False)
    is_intraprenad = models.BooleanField("intraprenad", default=False)
    sort_order = models.PositiveIntegerField("ordning", default=0)
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name="föregångare",
    )
    history = HistoricalRecords()

    objects = OrgNodeQuerySet.as_manager()

    class Meta:
        verbose_name = "organisationsenhet"
        verbose_name_plural = "organisationsenheter"
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="orgnode_code_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="orgnode_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def valid_in_year(self, year: int) -> bool:
        return self.valid_from <= dt.date(year, 12, 31) and (
            self.valid_to is None or self.valid_to >= dt.date(year, 1, 1)
        )

    def ancestors(self) -> list[OrgNode]:
        """Parents from the nearest up to the root (one query per level; trees are shallow)."""
        chain = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def committee(self) -> OrgNode | None:
        for node in [self, *self.ancestors()]:
            if node.kind == NodeKind.COMMITTEE:
                return node
        return None

    def clean(self) -> None:
        if self.kind == NodeKind.COMMITTEE and self.parent_id is not None:
            raise ValidationError("En nämnd ligger överst i trädet och har ingen överordnad.")
        if self.kind != NodeKind.COMMITTEE and self.parent_id is None:
            raise ValidationError(f"{self.name}: bara en nämnd får sakna överordnad enhet.")


class Dimension(models.TextChoices):
    ANSVAR = "ansvar", "Ansvar"
    VERKSAMHET = "verksamhet", "Verksamhet"
    KOSTNADSSTALLE = "kostnadsstalle", "Kostnadsställe"


class DimensionMapping(models.Model):
    """A ledger dimension code (e.g. ansvar 1200) belongs to a unit in a given year."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    year = models.PositiveIntegerField("år")
    dimension = models.CharField("dimension", max_length=20, choices=Dimension.choices)
    code = models.CharField("kod", max_length=40)
    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="dimension_codes")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dimensionskoppling"
        verbose_name_plural = "dimensionskopplingar"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "dimension", "code"], name="dimmap_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()} {self.code} {self.year} → {self.node}"


class Person(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    name = models.CharField("namn", max_length=200)
    email = models.EmailField("e-post", blank=True)
    title = models.CharField("titel", max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "personer"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administratör"
    CONTROLLER = "controller", "Controller"
    EDITOR = "editor", "Redigerare"
    SECRETARY = "secretary", "Nämndsekreterare"
    READER = "reader", "Läsare"


class RoleGrant(models.Model):
    """A role on an org node, inherited by everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    node = models.ForeignKey(OrgNode, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("roll", max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "behörighet"
        verbose_name_plural = "behörigheter"
        constraints = [
            models.UniqueConstraint(fields=["user", "node", "role"], name="rolegrant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} på {self.node}"
