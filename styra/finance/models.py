"""Finance: reporting events, budget, periodisation, forecasts, investments, volumes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from styra.lib.periods import ReportingEventCode
from styra.org.models import OrgNode


class EventStatus(models.TextChoices):
    OPEN = "open", "Öppen"
    SUBMITTED = "submitted", "Inlämnad"
    APPROVED = "approved", "Godkänd av nämnden"
    SENT = "sent", "Skickad till KS"


class LockedError(ValidationError):
    """A change to figures of an approved (locked) reporting event."""


class ReportingEvent(models.Model):
    """One reporting occasion of a committee: 2020-D2, 2021-T1, 2019-06, 2020-VB, 2020-P3."""

    committee = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="reporting_events", verbose_name="nämnd"
    )
    year = models.PositiveIntegerField("år")
    code = models.CharField("kod", max_length=10, help_text="t.ex. 2020-D2, 2019-06, 2020-VB")
    name = models.CharField("namn", max_length=100)
    cutoff_period = models.PositiveSmallIntegerField("t.o.m. period")
    deadline = models.DateField("sista dag för underlag", null=True, blank=True)
    status = models.CharField(
        "status", max_length=20, choices=EventStatus.choices, default=EventStatus.OPEN
    )
    approved_at = models.DateTimeField("godkänd", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rapporttillfälle"
        verbose_name_plural = "rapporttillfällen"
        ordering = ["year", "cutoff_period", "code"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "code"], name="event_code_unique"),
            models.CheckConstraint(
                condition=models.Q(cutoff_period__gte=1, cutoff_period__lte=13),
                name="event_cutoff_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.committee.short_name or self.committee.name})"

    @property
    def parsed_code(self) -> ReportingEventCode:
        return ReportingEventCode.parse(self.code)

    @property
    def is_locked(self) -> bool:
        return self.status in (EventStatus.APPROVED, EventStatus.SENT)

    def ensure_open(self) -> None:
        """Raise LockedError, saying why, if the event's figures may no longer change."""
        if self.is_locked:
            when = self.approved_at.date().isoformat() if self.approved_at else "tidigare"
            raise LockedError(
                f"{self.name} är godkänd av nämnden ({when}) och är låst. Rättelser förs in "
                "i nästa rapporttillfälle."
            )
