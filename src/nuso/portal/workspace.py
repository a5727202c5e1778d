"""The analysts' workspace in the portal: upload municipal files (the same engine as `nuso
import`) and see the report; work the review queue with one-click decisions that
re-harmonise at once. Users and units are managed in the (OTP-protected) admin."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from nuso.audit.services import Actor
from nuso.core.errors import InputError
from nuso.core.harmonise.dictionary import dictionary_from_stored
from nuso.core.intake.remap import READ_ONLY_WITH_THE_FILE, ColumnChange
from nuso.core.intake.report import ImportReport, methods_used, refusal_text
from nuso.intake.columns import parse_choices
from nuso.intake.decisions import RawValue, ReviewDecisionError, decide
from nuso.intake.remapping import ColumnChangeError, remap_column, target_choices
from nuso.intake.restore import RestoreError, restore_batch
from nuso.intake.review import review_labels
from nuso.intake.services import FileOutcome, ImportRefusedError, import_paths
from nuso.portal.access import Scope
from nuso.portal.verification import login_required, verified
from nuso.studies.models import Study

if TYPE_CHECKING:
    from nuso.intake.models import ReviewItem

MAX_FILES = 200
RECENT_IMPORTS = 300
REVIEW_QUEUE_SHOWN = 200


def _analyst(request: HttpRequest) -> Scope:
    scope = Scope.of(request.user)
    if not scope.is_analyst:
        raise PermissionDenied("Arbetsytan är för analytiker.")
    return scope


@require_http_methods(["GET", "POST"])
@login_required
@verified
def upload(request: HttpRequest) -> HttpResponse:
    _analyst(request)
    studies = Study.objects.order_by("number")
    context: dict[str, object] = {"studies": studies, "outcomes": None}
    if request.method == "POST":
        files = request.FILES.getlist("filer")[:MAX_FILES]
        study, period = request.POST.get("delstudie", ""), request.POST.get("period", "").strip()
        unit_hint = request.POST.get("kommun", "").strip() or None
        columns = _column_choices(request, study)
        if not files or not period:
            messages.error(request, gettext("Välj minst en fil och ange perioden."))
        elif columns is not None:
            context["outcomes"] = _import(files, study, period, unit_hint, columns, request)
    return render(request, "portal/upload.html", context)


def _column_choices(request: HttpRequest, study: str) -> dict[str, str] | None:
    """The upload's column choices, one "RUBRIK=VARIABEL" a line, as `--kolumn` takes them;
    None (with the reasons shown) when one cannot be read."""
    lines = [line.strip() for line in request.POST.get("kolumner", "").splitlines()]
    found = Study.objects.filter(slug=study).first()
    if not any(lines) or found is None:
        return {}
    try:
        return parse_choices(filter(None, lines), dictionary_from_stored(found.dictionary))
    except InputError as error:
        for problem in error.problems:
            messages.error(request, problem.message.replace("--kolumn ", gettext("Kolumnval ")))
        return None


def _import(
    files: list[UploadedFile], study: str, period: str, unit_hint: str | None,
    columns: dict[str, str], request: HttpRequest,
) -> list[FileOutcome]:  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for upload in files:
            path = Path(folder) / Path(upload.name or "fil").name  # the name can name the unit
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            paths.append(path)
        try:
            # In this web worker: the machine's cores serve every request, not one upload.
            return import_paths(paths, study_slug=study, period=period, unit_hint=unit_hint,
                                actor=Actor.of_user(request.user), workers=1,  # type: ignore[arg-type]
                                columns=columns,
                                confirmed_replace=request.POST.get("ersatt") == "ja")  # fmt: skip
        except ImportRefusedError as error:
            messages.error(request, str(error))
            return []


@require_http_methods(["GET"])
@login_required
@verified
def imports(request: HttpRequest) -> HttpResponse:
    """The imports, newest first, each with its report, RECENT_IMPORTS to a page."""
    pages = Paginator(_analyst(request).batches(), RECENT_IMPORTS)
    page = pages.get_page(request.GET.get("sida"))
    return render(request, "portal/imports.html", {"batches": page, "page": page})


@require_http_methods(["GET"])
@login_required
@verified
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    """One file's import as `nuso import --rapport` shows it: where the table was found, how
    each column was read, what each raw value became, what waits for review."""
    batch = _analyst(request).batch(pk)
    report = ImportReport.from_json(batch.report or {})
    context = {
        "batch": batch,
        "report": report,
        "refusal": refusal_text(report.problems),
        "skipped": sorted(report.rows.skipped.items()) if report.rows else [],
        "values": sorted(report.values.items()),
        "pending": sorted(report.pending.items()),
        "flags": sorted(report.flags.items(), key=lambda item: -item[1]),
        "methods": methods_used(report),
        "choices": target_choices(batch),
        "fixed": READ_ONLY_WITH_THE_FILE,
    }
    return render(request, "portal/import_report.html", context)


@require_http_methods(["POST"])
@login_required
@verified
def map_column(request: HttpRequest, pk: int) -> HttpResponse:
    """A column of a delivery mapped or unmapped by hand: its stored records read again."""
    batch = _analyst(request).batch(pk)
    post = request.POST
    change = ColumnChange(post.get("flik", ""), post.get("kolumn", ""), post.get("variabel", ""))
    try:
        done = remap_column(batch.pk, change, Actor.of_user(request.user))  # type: ignore[arg-type]
    except ColumnChangeError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            gettext(
                "„%(header)s“ tolkas nu som %(target)s: %(changed)s av %(records)s poster "
                "ändrades, %(pending)s väntar på granskning. Valet gäller enhetens senare "
                "leveranser."
            )
            % {"header": change.header, "target": change.target or gettext("ingen variabel"),
               "changed": done.changed, "records": done.records, "pending": done.pending},
        )  # fmt: skip
    return redirect("portal:import_report", pk=batch.pk)


@require_http_methods(["GET", "POST"])
@login_required
@verified
def review(request: HttpRequest) -> HttpResponse:
    scope = Scope.of(request.user)
    if request.method == "POST":
        item = scope.review_item(request.POST.get("post", ""))
        if item is not None:
            code = request.POST.get("kod", "")
            actor = Actor.of_user(request.user)  # type: ignore[arg-type]
            try:
                decide(RawValue.of(item), code, None, actor)
                messages.success(
                    request,
                    gettext("%(raw)s → %(code)s; posterna är omharmoniserade.")
                    % {"raw": repr(item.raw_example), "code": code or gettext("okänt")},
                )
            except ReviewDecisionError as error:
                messages.error(request, str(error))
        return redirect("portal:review")
    items = scope.review_queue()[:REVIEW_QUEUE_SHOWN]
    return render(request, "portal/review.html", {"items": labelled(items)})


@dataclass(frozen=True)
class QueueLine:
    """A value waiting for review as the queue shows it: the variable and the suggested
    codes by their Swedish labels (the codes beside them, for those who know them)."""

    item: ReviewItem  # from Scope.review_queue
    variable_label: str
    choices: list[tuple[str, str]]  # (code, label) of the best suggestions


def labelled(items: Iterable[ReviewItem]) -> list[QueueLine]:
    labels: dict[int, tuple[dict[str, str], dict[str, dict[str, str]]]] = {}
    lines = []
    for item in items:
        if item.study_id not in labels:
            labels[item.study_id] = review_labels(item.study)
        variables, codes = labels[item.study_id]
        known = codes.get(item.variable, {})
        choices = [(s["code"], known.get(s["code"], s["code"])) for s in item.suggestions[:3]]
        lines.append(QueueLine(item, variables.get(item.variable, item.variable), choices))
    return lines


@require_http_methods(["POST"])
@login_required
@verified
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    """A replaced delivery in use again; the one in use is replaced by it."""
    batch = _analyst(request).batch(pk)
    try:
        done = restore_batch(batch.pk, Actor.of_user(request.user))  # type: ignore[arg-type]
    except RestoreError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            gettext("Leveransen är i bruk igen (%(records)s poster); den som var i bruk är ersatt.")
            % {"records": done.records},
        )
    return redirect("portal:import_report", pk=batch.pk)
