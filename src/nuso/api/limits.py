"""Calls per key and minute, counted in the database: every web worker and process of a
deployment shares the count (decision 0020). A fixed window of one minute."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from nuso.api.models import CallCount
from nuso.collection.models import ApiToken


@dataclass(frozen=True)
class Counted:
    calls: int  # this minute's, this one included
    limit: int
    retry_after: int  # seconds to the next minute

    @property
    def allowed(self) -> bool:
        return self.calls <= self.limit

    @property
    def first_refused(self) -> bool:
        return self.calls == self.limit + 1


def count_call(token: ApiToken, now: float | None = None) -> Counted:
    """This call counted against the key's limit."""
    now = time.time() if now is None else now
    minute = int(now // 60)
    found = CallCount.objects.filter(token=token, minute=minute)
    with transaction.atomic():
        if not found.update(calls=F("calls") + 1):
            try:
                with transaction.atomic():
                    CallCount.objects.create(token=token, minute=minute, calls=1)
            except IntegrityError:  # another process made the minute's row first
                found.update(calls=F("calls") + 1)
            CallCount.objects.filter(token=token, minute__lt=minute).delete()
        calls = found.values_list("calls", flat=True).get()
    limit = settings.NUSO_API_CALLS_PER_MINUTE
    return Counted(calls, limit, max(1, 60 - int(now % 60)))
