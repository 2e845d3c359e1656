"""One row per background job: who started it, on what, how far it has come, and what came
out of it. The queue itself (which worker runs what) is django-tasks-db's table; this is what
people see."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from styra.org.models import OrgNode


class TaskStatus(models.TextChoices):
    QUEUED = "queued", "Väntar"
    RUNNING = "running", "Pågår"
    DONE = "done", "Klar"
    FAILED = "failed", "Misslyckades"


UNFINISHED = (TaskStatus.QUEUED, TaskStatus.RUNNING)


class TaskRun(models.Model):
    kind = models.CharField("slag", max_length=60)
    title = models.CharField("rubrik", max_length=200)
    # None: started by the system (a command, the demo); only superusers see such runs.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="startad av",
    )
    # The object the run is authorised on, with `capability` (styra.org.access). A run
    # without a node is a system run. Nodes are closed, not deleted; if one is deleted its
    # runs mean nothing any more (CASCADE).
    node = models.ForeignKey(
        OrgNode, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    capability = models.CharField("behörighet", max_length=20)
    params = models.JSONField("parametrar", default=dict, blank=True)
    # kind + node + params: a second start of the same unfinished job returns the first.
    dedupe_key = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        "status", max_length=10, choices=TaskStatus.choices, default=TaskStatus.QUEUED
    )
    progress = models.FloatField("förlopp (0–1)", default=0.0)  # a share of work, not money
    message = models.CharField("meddelande", max_length=300, blank=True)
    result = models.JSONField("resultat", null=True, blank=True)
    error = models.TextField("fel", blank=True)
    # Where the page that started it lives (built by the server, never taken from a request).
    return_url = models.CharField(max_length=500, blank=True)
    return_label = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField("startad", auto_now_add=True)
    started_at = models.DateTimeField("påbörjad", null=True, blank=True)
    finished_at = models.DateTimeField("avslutad", null=True, blank=True)
    heartbeat_at = models.DateTimeField("senast hört av sig", null=True, blank=True)
    # Names the run's progress file (SQLite) and files; unique across databases and hosts.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_result_id = models.CharField("köns id", max_length=64, blank=True)

    class Meta:
        verbose_name = "bakgrundsarbete"
        verbose_name_plural = "bakgrundsarbeten"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="taskrun_owner_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=1),
                name="taskrun_progress_fraction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("task_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED


def _file_path(instance: TaskFile, filename: str) -> str:
    return f"arbeten/{instance.run.token}/{filename}"


class TaskFile(models.Model):
    """A file a run produced (report files, an error report), served to those who may see
    the run."""

    run = models.ForeignKey(TaskRun, on_delete=models.CASCADE, related_name="files")
    name = models.CharField("filnamn", max_length=200)
    label = models.CharField("beskrivning", max_length=120, blank=True)
    file = models.FileField("fil", upload_to=_file_path, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField("storlek (byte)")
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "fil från bakgrundsarbete"
        verbose_name_plural = "filer från bakgrundsarbeten"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
