"""gunicorn's settings for NUSO: `gunicorn -c python:nuso.web.gunicorn nuso.wsgi`.

Flags given on the command line (`--workers 4 --bind …`) override these.
"""

from __future__ import annotations

from typing import Any

# The first request after new data may compute a study's tables (about 11 s for the national
# referral set, longer on a busy machine); gunicorn's default of 30 s would kill that worker
# and leave the next one to start over.
timeout = 120
graceful_timeout = 30


def post_worker_init(worker: Any) -> None:
    """Each worker gets the tables ready in the background as it starts: the first computes
    them, the others wait for it and read them from the shared store."""
    from nuso.analysis.service import warm_up_in_background

    warm_up_in_background()
