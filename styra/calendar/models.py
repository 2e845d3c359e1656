"""Reporting events: one occasion of a committee's year (DOMAIN §3).

An event has a code (2020-D2, 2019-06, 2023-K2, 2020-VB, 2023; styra.lib.eventcodes), a
cut-off period, a deadline for contributions, the date of the committee meeting that
decides it, and a status: open → submitted → approved by the committee (locked) → sent
on to KS. The meetings app links its Meeting to the events it decides
(Meeting.reporting_events); the calendar knows only the planned date, so it stays below
meetings in the layers.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from styra.lib.eventcodes import EventCode, EventKind, parse_event_code
from styra.org.models import OrgNode


class EventStatus(models.TextChoices):
    OPEN = "open", "Öppen"
    SUBMITTED = "submitted", "Inlämnad"
    APPROVED = "approved", "Godkänd av nämnden"
    SENT = "sent", "Skickad till KS"


LOCKED_STATUSES = frozenset({EventStatus.APPROVED, EventStatus.SENT})


class LockedError(ValidationError):
    """A change to what an approved (locked) reporting event shows. The message says
    where the correction goes instead (styra.calendar.locks.event_ensure_open)."""


class ReportingEvent(models.Model):
    """One reporting occasion of a committee: 2020-D2, 2021-T1, 2019-06, 2020-VB, 2023."""

    committee = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="reporting_events", verbose_name="nämnd"
    )
    year = models.PositiveIntegerField("år")
    code = models.CharField(
        "kod", max_length=10, help_text="t.ex. 2020-D2, 2019-06, 2023-K2, 2020-VB, 2023"
    )
    name = models.CharField("namn", max_length=100)
    cutoff_period = models.PositiveSmallIntegerField("t.o.m. period")
    deadline = models.DateField("sista dag för underlag", null=True, blank=True)
    meeting_date = models.DateField(
        "nämndens sammanträde",
        null=True,
        blank=True,
        help_text="dagen då nämnden beslutar om rapporten (sammanträdet länkar själv hit)",
    )
    status = models.CharField(
        "status", max_length=20, choices=EventStatus.choices, default=EventStatus.OPEN
    )
    comment_threshold = models.DecimalField(
        "kommentar krävs över (kr)",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="en prognosrad vars avvikelse mot budget är större än beloppet (åt något "
        "håll) måste ha en kommentar innan enheten klarmarkerar; tomt = ingen gräns",
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
    def parsed_code(self) -> EventCode:
        return parse_event_code(self.code)

    @property
    def kind(self) -> EventKind:
        return self.parsed_code.kind

    @property
    def is_locked(self) -> bool:
        """For templates; code asks styra.calendar.locks.event_is_locked(event)."""
        return self.status in LOCKED_STATUSES


class EventReopening(models.Model):
    """The controller reopened an approved event: why, who and when (kept and shown)."""

    event = models.ForeignKey(ReportingEvent, on_delete=models.CASCADE, related_name="reopenings")
    reason = models.TextField("skäl")
    from_status = models.CharField("status före", max_length=20, choices=EventStatus.choices)
    reopened_at = models.DateTimeField("öppnad", auto_now_add=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "återöppning"
        verbose_name_plural = "återöppningar"
        ordering = ["reopened_at", "pk"]

    def __str__(self) -> str:
        return f"{self.event.code} öppnad: {self.reason[:40]}"
