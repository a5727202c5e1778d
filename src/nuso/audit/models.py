"""The audit log: who did what to which data, and when. Append-only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    at = models.DateTimeField("tidpunkt", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(
        "utförd av", max_length=150, help_text="Användarnamn, eller cli:KONTO för kommandon."
    )
    action = models.CharField("händelse", max_length=60, db_index=True)
    target_type = models.CharField("objekttyp", max_length=60, blank=True)
    target_id = models.CharField("objekt", max_length=60, blank=True)
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    details = models.JSONField("detaljer", default=dict, blank=True)

    class Meta:
        verbose_name = "logghändelse"
        verbose_name_plural = "händelselogg"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Audit entries are append-only and cannot be changed.")
        super().save(*args, **kwargs)
