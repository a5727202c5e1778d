"""The API's keys: one per integration, created by an administrator for some units and
studies, shown once, stored only as its SHA-256, and revocable. Every change is audited
(with the key's name and prefix, never the key)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from nuso.audit.services import Actor, log
from nuso.collection.models import ApiToken
from nuso.studies.models import Study
from nuso.units.models import Unit

KEY_START = "nuso_"
PREFIX_LENGTH = 12  # "nuso_" and seven characters: enough to tell keys apart in a list


class TokenError(ValueError):
    """Why a key cannot be created or revoked, in Swedish."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # shown once, to whoever created it; stored nowhere


def hash_of(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_token(
    name: str, units: Iterable[Unit], studies: Iterable[Study], actor: Actor
) -> NewToken:
    """A new key for an integration, for these units and studies."""
    name, units, studies = name.strip(), list(units), list(studies)
    if not name:
        raise TokenError("Ge nyckeln ett namn, till exempel kommunens och systemets.")
    if not units or not studies:
        raise TokenError("En nyckel gäller minst en enhet och minst en delstudie.")
    key = KEY_START + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name[:100], prefix=key[:PREFIX_LENGTH], key_hash=hash_of(key),
            created_by=actor.user,
        )  # fmt: skip
        token.units.set(units)
        token.studies.set(studies)
        log(actor, "api.token_created", target=token, name=token.name, prefix=token.prefix,
            units=[u.code for u in units], studies=[s.slug for s in studies])  # fmt: skip
    return NewToken(token, key)


def revoke_token(token: ApiToken, actor: Actor) -> None:
    """The key answers 401 from now on; its registrations stay."""
    if token.revoked_at is not None:
        raise TokenError(f"Nyckeln {token.prefix}… är redan återkallad.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    log(actor, "api.token_revoked", target=token, name=token.name, prefix=token.prefix)


def token_by_prefix(prefix: str) -> ApiToken:
    """The key whose prefix (as listed) begins with the text given."""
    text = prefix.strip().rstrip("…")
    found = list(ApiToken.objects.filter(prefix__startswith=text)[:2]) if len(text) >= 6 else []
    if len(found) != 1:
        raise TokenError(
            f"Ingen nyckel, eller flera, börjar med {text!r}: ange början som `nuso apinyckel "
            "lista` visar den (minst sex tecken)."
        )
    return found[0]


def tokens() -> QuerySet[ApiToken]:
    return ApiToken.objects.prefetch_related("units", "studies").order_by("-created_at")


def authenticated(key: str) -> ApiToken | None:
    """The key's token, revoked or not (the caller tells them apart), or None for a key that
    is no key of NUSO's."""
    if not key.startswith(KEY_START) or len(key) > 200:
        return None
    return ApiToken.objects.filter(key_hash=hash_of(key)).first()
