"""Computing a study's tables, cached per process until the data changes (an import, a
replaced batch or a review decision), so that the portal can serve one unit's comparisons in
milliseconds."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Sum

from nuso.analysis.data import study_input
from nuso.core.indicators.engine import Results, compute
from nuso.intake.models import ImportBatch
from nuso.studies.models import CodebookVersion, Study

_cache: dict[tuple[Any, ...], Results] = {}
_lock = threading.Lock()


def data_version(study: Study) -> tuple[Any, ...]:
    """Changes whenever the study's current records or the codebook change."""
    batches = ImportBatch.objects.filter(study=study).aggregate(
        last=Max("id"), count=Count("id"), rows=Sum("rows_imported"),
        replaced=Count("replaced_by"),
    )  # fmt: skip
    codebook = CodebookVersion.objects.aggregate(last=Max("number"))["last"]
    return (*batches.values(), codebook)


def study_tables(study: Study, period: str | None = None, unsuppressed: bool = False) -> Results:
    """All tables of the study; disclosure-controlled unless `unsuppressed` (analysts)."""
    threshold = None if unsuppressed else int(settings.NUSO_MIN_CELL_COUNT)
    key = (study.slug, period, threshold, data_version(study))
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    results = compute(study_input(study, period), threshold)
    with _lock:
        for old in [k for k in _cache if k[:3] == key[:3]]:
            del _cache[old]
        _cache[key] = results
    return results


def warm_up() -> list[str]:
    """Computes every study's municipal tables ahead of the first request (the web server
    calls it in the background at start): the first visitor then waits no longer than the
    others. Returns the studies computed."""
    from nuso.intake.models import ImportBatch

    studies = Study.objects.filter(batches__status=ImportBatch.Status.IMPORTED).distinct()
    done = []
    for study in studies.order_by("number"):
        study_tables(study)
        done.append(study.slug)
    return done
