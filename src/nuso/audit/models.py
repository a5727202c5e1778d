"""The audit log: who did what to which data, and when. Append-only, and a hash chain
(nuso.audit.chain) that `nuso audit verify` checks: neither the ORM nor the admin changes or
deletes an entry, and a change made around them (in the database itself) is found."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nuso.audit.chain import GENESIS, hash_of

APPEND_ONLY = "Audit entries are append-only: they are never changed or deleted."


class AppendOnlyQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ValueError(APPEND_ONLY)

    def delete(self) -> NoReturn:
        raise ValueError(APPEND_ONLY)


class ChainHead(models.Model):
    """The chain's end: how many entries it has and the last one's hash (one row)."""

    entries = models.PositiveBigIntegerField(default=0)
    last = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("loggkedjans huvud")

    def __str__(self) -> str:
        return f"{self.entries} poster, sist {self.last[:12]}"

    @classmethod
    def locked(cls) -> ChainHead:
        """The head, with the right to append held until the transaction ends: an update
        first, which both databases lock (PostgreSQL the row, SQLite the whole database)."""
        cls.objects.get_or_create(pk=1)
        cls.objects.filter(pk=1).update(entries=F("entries"))
        return cls.objects.select_for_update().get(pk=1)


class AuditEntry(models.Model):
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)  # see save
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(
        _("utförd av"), max_length=150, help_text=_("Användarnamn, eller cli:KONTO för kommandon.")
    )
    action = models.CharField(_("händelse"), max_length=60, db_index=True)
    target_type = models.CharField(_("objekttyp"), max_length=60, blank=True)
    target_id = models.CharField(_("objekt"), max_length=60, blank=True)
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    details = models.JSONField(_("detaljer"), default=dict, blank=True)
    previous = models.CharField(_("föregående posts hash"), max_length=64, default=GENESIS)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("logghändelse")
        verbose_name_plural = _("händelselogg")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Appended to the chain: after the last entry, under the head's lock."""
        if self.pk is not None:
            raise ValueError(APPEND_ONLY)
        with transaction.atomic():
            head = ChainHead.locked()
            self.at = timezone.now()
            self.previous = head.last
            self.hash = hash_of(self.previous, self)
            super().save(*args, **kwargs)
            head.entries, head.last = head.entries + 1, self.hash
            head.save(update_fields=["entries", "last"])

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError(APPEND_ONLY)
