"""The API's rate limit: calls per key and minute, counted in the database so that every web
worker and process sees the same count (decision 0020)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallCount(models.Model):
    token = models.ForeignKey("collection.ApiToken", on_delete=models.CASCADE, related_name="+")
    minute = models.BigIntegerField(_("minut (sedan 1970)"))
    calls = models.PositiveIntegerField(_("anrop"), default=0)

    class Meta:
        verbose_name = _("anrop per minut")
        verbose_name_plural = _("anrop per minut")
        constraints = [
            models.UniqueConstraint(fields=["token", "minute"], name="one_count_per_minute")
        ]

    def __str__(self) -> str:
        return f"{self.token_id} {self.minute}: {self.calls}"
