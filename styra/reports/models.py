"""Reports: the committees' report templates, the texts people write for a report, and
finalised (immutable) report snapshots with their files."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from styra.calendar.models import ReportingEvent
from styra.org.models import OrgNode


class ReportType(models.TextChoices):
    MONTHLY = "manadsrapport", "Ekonomisk månadsrapport"
    INTERIM = "delarsrapport", "Delårsrapport / tertialrapport"
    ANNUAL = "verksamhetsberattelse", "Verksamhetsberättelse"
    STATEMENT = "yttrande", "Yttrande till Mål och budget"  # styra.planning
    # styra.control: the plan, and the public report of ej verkställda beslut (the IVO
    # version with identifiable data is never stored as a snapshot)
    CONTROL_PLAN = "internkontrollplan", "Internkontrollplan"
    UNEXECUTED = "ej-verkstallda", "Ej verkställda beslut"


class ReportTemplate(models.Model):
    """A committee's adjustments of a report type: headings, parts left out, sign
    convention, title (merged by styra.reports.definitions.apply_overrides). Stored and
    authorised per committee: one committee's controller never changes another's report."""

    committee = models.ForeignKey(
        OrgNode, on_delete=models.CASCADE, related_name="+", verbose_name="nämnd"
    )
    report_type = models.CharField("rapporttyp", max_length=30, choices=ReportType.choices)
    overrides = models.JSONField("anpassningar", default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rapportmall"
        verbose_name_plural = "rapportmallar"
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "report_type"], name="report_template_committee_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_report_type_display()} ({self.committee})"


class NarrativeText(models.Model):
    """A text part of a report written by the people responsible: per report section
    (unit empty) or per unit in a section. Klarmarkering: `ready`."""

    event = models.ForeignKey(ReportingEvent, on_delete=models.PROTECT, related_name="+")
    report_type = models.CharField("rapporttyp", max_length=30, choices=ReportType.choices)
    part = models.CharField("del", max_length=40)  # the section key of the definition
    unit = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField("text", blank=True)
    ready = models.BooleanField("klar", default=False)
    ready_at = models.DateTimeField("klarmarkerad", null=True, blank=True)
    ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("ändrad", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rapporttext"
        verbose_name_plural = "rapporttexter"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "report_type", "part", "unit"], name="narrative_unit_unique"
            ),
            models.UniqueConstraint(
                fields=["event", "report_type", "part"],
                condition=models.Q(unit__isnull=True),
                name="narrative_section_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.code} {self.part} {self.unit or ''}".strip()


class ReportSnapshot(models.Model):
    """A finalised report: its data (JSON) and files, with a content hash. Never changed:
    later changes to the figures or texts make a new version, never alter this one."""

    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(ReportingEvent, on_delete=models.PROTECT, related_name="+")
    report_type = models.CharField("rapporttyp", max_length=30, choices=ReportType.choices)
    version = models.PositiveIntegerField("version")
    title = models.CharField("rubrik", max_length=200)
    data = models.TextField("rapportdata (JSON)")
    summary_text = models.TextField("sammanfattning")
    content_hash = models.CharField("innehållets sha256", max_length=64)
    created_at = models.DateTimeField("fastställd", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "fastställd rapport"
        verbose_name_plural = "fastställda rapporter"
        ordering = ["-created_at", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "report_type", "version"], name="snapshot_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} version {self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError("En fastställd rapport kan inte ändras; gör en ny version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("En fastställd rapport kan inte tas bort.")


def _file_path(instance: ReportFile, filename: str) -> str:
    s = instance.snapshot
    return f"rapporter/{s.committee.code}/{s.event.code}/v{s.version}/{filename}"


class ReportFile(models.Model):
    """One file (html, pdf, docx, json) of a finalised report, with its sha256."""

    snapshot = models.ForeignKey(ReportSnapshot, on_delete=models.PROTECT, related_name="files")
    fmt = models.CharField("format", max_length=10)
    file = models.FileField("fil", upload_to=_file_path)
    sha256 = models.CharField("sha256", max_length=64)
    size = models.PositiveIntegerField("storlek (byte)")

    class Meta:
        verbose_name = "rapportfil"
        verbose_name_plural = "rapportfiler"
        constraints = [models.UniqueConstraint(fields=["snapshot", "fmt"], name="file_fmt_unique")]

    def __str__(self) -> str:
        return f"{self.snapshot} ({self.fmt})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError("En fastställd rapports fil kan inte ändras.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("En fastställd rapports fil kan inte tas bort.")
