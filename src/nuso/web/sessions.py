"""Sessions that end an hour after the last request, written at most once a minute.

Django's way to count the hour from the last request (SESSION_SAVE_EVERY_REQUEST) writes the
session row on every request: a dashboard with a dozen charts makes a dozen writes of the same
row at once, each in its own transaction, and under load one write per page. Marking the
session modified once per minute of activity gives the same timeout to within a minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

MARK = "_nuso_senast_aktiv"  # the minute of the last write
RESOLUTION = 60  # seconds


class ActivitySessionMiddleware:
    """Placed after SessionMiddleware, so that it marks the session before that one decides
    whether to save it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            minute = int(time.time() // RESOLUTION)
            if session.get(MARK) != minute:
                session[MARK] = minute  # modified: SessionMiddleware saves and extends it
        return response
