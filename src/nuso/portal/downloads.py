"""Row-level downloads, of one unit or (analysts) of every unit. CSV is sent as it is read, a
unit at a time; Excel and SPSS are written within the request when small and prepared in the
background when large (`NUSO_ROWS_AT_ONCE`, nuso.portal.prepared), with a page that offers
the file when it is ready. Each download is written to the audit log as its rows leave: a
streamed or small file when asked for, a prepared one when fetched."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from nuso.audit.services import Actor, log
from nuso.core.outputs.registry import EVERY_UNIT, ROWS, file_name, write_rows, writer
from nuso.core.outputs.rows import csv_chunks
from nuso.portal import prepared
from nuso.portal.access import Scope
from nuso.portal.templatetags.portal import antal
from nuso.portal.verification import login_required, verified
from nuso.portal.views import file_response, temporary_path
from nuso.studies.models import Study
from nuso.units.models import Unit


@require_GET
@login_required
@verified
def download_rows(request: HttpRequest, code: str, study: str, format_: str) -> HttpResponseBase:
    """Row-level data of one unit in the scope (SPSS for analysts)."""
    scope = Scope.of(request.user)
    unit, the_study = scope.unit(code), scope.study(study)
    return _rows(request, scope, the_study, unit, format_)


@require_GET
@login_required
@verified
def download_all_rows(request: HttpRequest, study: str, format_: str) -> HttpResponseBase:
    """Every unit's rows: analysts only."""
    scope = Scope.of(request.user)
    return _rows(request, scope, scope.study(study), None, format_)


@require_GET
@login_required
@verified
def download_all_decks(request: HttpRequest, study: str) -> HttpResponseBase:
    """Every unit's, county's and the nation's results deck, zipped and prepared in the
    background: analysts only."""
    scope = Scope.of(request.user)
    asked = prepared.request_decks(scope, scope.study(study))
    return redirect("portal:prepared", key=asked.key)


def _rows(
    request: HttpRequest, scope: Scope, study: Study, unit: Unit | None, format_: str
) -> HttpResponseBase:
    rows = scope.row_count(study, unit, format_)
    name = file_name(study.slug, unit.code if unit else EVERY_UNIT, ROWS, format_)
    if format_ == "csv":  # sent as it is read
        _audit(request, study, unit, format_, rows)
        response = StreamingHttpResponse(csv_chunks(scope.row_parts(study, unit, format_)),
                                         content_type=writer(format_).media_type)  # fmt: skip
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if rows > int(settings.NUSO_ROWS_AT_ONCE):
        asked = prepared.request(scope, study, unit, format_, rows)
        return redirect("portal:prepared", key=asked.key)
    path = temporary_path(format_)
    rows = write_rows(format_, scope.row_download(study, unit, format_), path)
    _audit(request, study, unit, format_, rows)
    return file_response(path, name, format_)


def _audit(
    request: HttpRequest, study: Study, unit: Unit | None, format_: str, rows: int, **more: object
) -> None:
    details: dict[str, Any] = {"study": study.slug, "format": format_, "rows": rows}
    if unit is None:
        details["units"] = "alla"
    log(Actor.of_user(request.user), "portal.download_rows", unit=unit, **details, **more)  # type: ignore[arg-type]


@require_GET
@login_required
@verified
def prepared_page(request: HttpRequest, key: str) -> HttpResponse:
    """A download being prepared: says so, and offers the file once it is ready (its script
    asks `prepared_status` and reloads the page)."""
    scope = Scope.of(request.user)
    asked = prepared.owned(scope, key)
    the_study = scope.study(asked.study)
    if asked.kind == prepared.DECKS:
        again = reverse("portal:download_all_decks", args=[asked.study])
    elif asked.unit is None:
        again = reverse("portal:download_all_rows", args=[asked.study, asked.format])
    else:
        again = reverse("portal:download_rows", args=[asked.unit, asked.study, asked.format])
    context = {
        "scope": scope, "asked": asked, "study": the_study, "again": again,
        "unit": scope.unit(asked.unit) if asked.unit else None,
        "ready": asked.state == prepared.READY, "failed": asked.failed,
        "decks": asked.kind == prepared.DECKS,
        "keep_minutes": int(settings.NUSO_PREPARED_DOWNLOADS_KEEP) // 60,
    }  # fmt: skip
    return render(request, "portal/prepared.html", context)


@require_GET
@login_required
@verified
def prepared_status(request: HttpRequest, key: str) -> JsonResponse:
    """For the page's script: how far the download got."""
    asked = prepared.owned(Scope.of(request.user), key)
    state = prepared.FAILED if asked.failed else asked.state
    counts = {"written": antal(asked.written), "rows": antal(asked.rows)}
    if asked.kind == prepared.DECKS:
        text = _("%(written)s av %(rows)s rapporter skrivna.") % counts
    else:
        text = _("%(written)s av %(rows)s rader skrivna.") % counts
    answer = {"state": state, "written": asked.written, "rows": asked.rows, "text": text}
    return JsonResponse(answer, headers={"Cache-Control": "no-store"})


@require_GET
@login_required
@verified
def prepared_file(request: HttpRequest, key: str) -> FileResponse:
    """The prepared file, to the user who asked for it while their scope allows its rows."""
    scope = Scope.of(request.user)
    asked = prepared.owned(scope, key)
    path = prepared.file_of(asked)
    if asked.kind == prepared.DECKS:
        log(Actor.of_user(request.user), "portal.download_decks", study=asked.study,  # type: ignore[arg-type]
            decks=asked.rows)  # fmt: skip
        return FileResponse(path.open("rb"), as_attachment=True, filename=asked.name,
                            content_type="application/zip")  # fmt: skip
    unit = scope.unit(asked.unit) if asked.unit else None
    _audit(request, scope.study(asked.study), unit, asked.format, asked.rows, forberedd=True)
    return FileResponse(path.open("rb"), as_attachment=True, filename=asked.name,
                        content_type=writer(asked.format).media_type)  # fmt: skip
