"""Writing the audit log. Every use case that changes or reveals data calls `log`. Identity
numbers in an entry's details (a file's name, a header, a message) are masked as in a delivery
(nuso.core.intake.boundary): the log keeps none in clear, whichever use case wrote it."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from nuso.audit.models import AuditEntry
from nuso.core.intake.boundary import Masker

if TYPE_CHECKING:
    from nuso.accounts.models import User
    from nuso.units.models import Unit


@dataclass(frozen=True)
class Actor:
    """Who acts: a logged-in user, or the account running a `nuso` command."""

    label: str
    user: User | None = None

    @classmethod
    def of_user(cls, user: User) -> Actor:
        return cls(label=user.get_username(), user=user)

    @classmethod
    def command_line(cls) -> Actor:
        return cls(label=f"cli:{getpass.getuser()}")


def log(
    actor: Actor,
    action: str,
    *,
    target: models.Model | None = None,
    unit: Unit | None = None,
    **details: Any,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor.user,
        actor_label=actor.label,
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        unit=unit,
        details=Masker(settings.NUSO_PSEUDONYM_KEY).json(details),
    )
