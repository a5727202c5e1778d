"""The audit log as a hash chain: each entry carries the hash of the one before it and a hash of
its own content with that, so that an entry changed, removed or put in afterwards breaks the
chain at that place, and `nuso audit verify` says where. The chain's head (how many entries,
the last hash) tells a log cut short at its end.

What an entry's hash covers: its time, who (as the label written then), the action, what it
was about, the unit and the details. Not the user's key: deleting a user account sets its
entries' user to none (Django's SET_NULL), which is no change to what the log says happened.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nuso.audit.models import AuditEntry

GENESIS = "0" * 64  # what the first entry follows


def content(entry: AuditEntry) -> bytes:
    """The entry's content, written one way only (keys sorted, no spaces)."""
    fields = [
        entry.at.isoformat(), entry.actor_label, entry.action, entry.target_type,
        entry.target_id, entry.unit_id, entry.details,
    ]  # fmt: skip
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def hash_of(previous: str, entry: AuditEntry) -> str:
    return hashlib.sha256(previous.encode() + content(entry)).hexdigest()


@dataclass(frozen=True)
class Break:
    """Where the chain does not hold, in Swedish."""

    entry: int | None
    message: str


def breaks(entries: Iterator[AuditEntry], count: int, last: str) -> Iterator[Break]:
    """Every place the chain of these entries (in the order written) does not hold, and
    whether it ends where its head says."""
    previous, seen = GENESIS, 0
    for entry in entries:
        seen += 1
        where = f"Post {entry.pk} ({entry.at:%Y-%m-%d %H:%M}, {entry.action})"
        if entry.previous != previous:
            yield Break(entry.pk, f"{where}: posten före den saknas eller har bytts ut.")
        if entry.hash != hash_of(entry.previous, entry):
            yield Break(entry.pk, f"{where} har ändrats efter att den skrevs.")
        previous = entry.hash
    if seen != count or previous != last:
        yield Break(
            None,
            f"Loggen har {seen} poster men kedjans huvud säger {count}: poster i slutet "
            "saknas eller har lagts till utan kedjan.",
        )
