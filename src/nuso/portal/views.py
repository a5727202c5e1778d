"""Portal views: thin. Data only through `Scope`; every row-level view or download, and
every unit dashboard, is written to the audit log."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl
from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from nuso.analysis.output import write_tables
from nuso.audit.services import Actor, log
from nuso.core.indicators.engine import Results
from nuso.portal.access import Scope
from nuso.portal.dashboard import (
    COMPARISONS,
    Selection,
    filter_options,
    key_figure_trend,
    sections,
)
from nuso.portal.national import Ranking, ranking
from nuso.portal.rows import ROW_FORMATS, write_rows
from nuso.portal.verification import login_required, verified
from nuso.studies.models import Study


@require_GET
@login_required
@verified
def start(request: HttpRequest) -> HttpResponse:
    scope = Scope.of(request.user)
    units = list(scope.units().order_by("code")[:400])
    if not scope.is_analyst and len(units) == 1:
        studies = scope.studies_with_data(units[0])
        if studies:
            return redirect("portal:dashboard", code=units[0].code, study=studies[0].slug)
    return render(request, "portal/start.html", {"units": units, "scope": scope})


def _choices(request: HttpRequest, periods: list[str]) -> tuple[str, str]:
    period = request.GET.get("period") or (periods[-1] if periods else "")
    if period not in periods and periods:
        period = periods[-1]
    comparison = request.GET.get("jamfor", "kommungrupp")
    return period, comparison if comparison in COMPARISONS else "kommungrupp"


@require_GET
@login_required
@verified
def dashboard(request: HttpRequest, code: str, study: str) -> HttpResponse:
    scope = Scope.of(request.user)
    unit, the_study = scope.unit(code), scope.study(study)
    results, rows = scope.unit_tables(the_study, unit, None)
    periods = sorted(results.source.frame["period"].unique().to_list())
    period, comparison = _choices(request, periods)
    options = filter_options(results)
    selection = Selection.parse(request.GET.get("urval", ""), options)
    context = {
        "scope": scope, "unit": unit, "study": the_study, "periods": periods,
        "period": period, "comparison": comparison, "comparisons": COMPARISONS,
        "reference_name": COMPARISONS[comparison],
        "filters": [(results.source.titles.get(d, d), d, values) for d, values in options.items()],
        "selection": selection, "selection_text": selection.text if selection else "",
        "selection_label": _selection_label(results, selection),
        "sections": results.memo(
            ("sections", unit.code, period, comparison, selection),
            lambda: sections(results, rows, unit.code, period, comparison, selection=selection),
        ),
        "trend": results.memo(
            ("trend", unit.code), lambda: key_figure_trend(results, rows, unit.code)
        ),
        "other_studies": scope.studies_with_data(unit),
        "query": request.GET.urlencode(),
    }  # fmt: skip
    log(Actor.of_user(request.user), "portal.dashboard", unit=unit, study=the_study.slug,  # type: ignore[arg-type]
        period=period)  # fmt: skip
    template = "portal/_results.html" if request.headers.get("X-Del") else "portal/dashboard.html"
    return render(request, template, context)


@require_GET
@login_required
@verified
def chart(request: HttpRequest, code: str, study: str, table: str) -> HttpResponse:
    scope = Scope.of(request.user)
    unit, the_study = scope.unit(code), scope.study(study)
    results, rows = scope.unit_tables(the_study, unit, None)
    periods = sorted(results.source.frame["period"].unique().to_list())
    period, comparison = _choices(request, periods)
    selection = Selection.parse(request.GET.get("urval", ""), filter_options(results))
    found = sections(results, rows, unit.code, period, comparison, only=table, selection=selection)
    if not found:
        return HttpResponse(status=404)
    spec = found[0].chart(unit.name, str(COMPARISONS[comparison]))
    return HttpResponse(svg_of(json.dumps(spec, sort_keys=True)), content_type="image/svg+xml")


@lru_cache(maxsize=512)
def svg_of(spec: str) -> str:
    import vl_convert

    return str(vl_convert.vegalite_to_svg(json.loads(spec), format_locale="sv-SE"))


@require_GET
@login_required
@verified
def download_tables(request: HttpRequest, code: str, study: str, format_: str) -> FileResponse:
    scope = Scope.of(request.user)
    unit, the_study = scope.unit(code), scope.study(study)
    results, rows = scope.unit_tables(the_study, unit, None)
    path = _temporary(format_)
    min_count = int(settings.NUSO_MIN_CELL_COUNT) if results.suppression else None
    write_tables(rows, results.source, path, format_, min_count)
    log(Actor.of_user(request.user), "portal.download_tables", unit=unit,  # type: ignore[arg-type]
        study=the_study.slug, format=format_)  # fmt: skip
    return _file(path, f"nuso-{the_study.slug}-{unit.code}-tabeller.{format_}")


@require_GET
@login_required
@verified
def download_rows(request: HttpRequest, code: str, study: str, format_: str) -> FileResponse:
    """Row-level data of one unit in the scope (SPSS for analysts)."""
    scope = Scope.of(request.user)
    unit, the_study = scope.unit(code), scope.study(study)
    if format_ not in ROW_FORMATS or (format_ == "sav" and not scope.is_analyst):
        return _refused()
    path = _temporary(format_)
    count = write_rows(scope.records(the_study, unit), the_study, path, format_)
    log(Actor.of_user(request.user), "portal.download_rows", unit=unit,  # type: ignore[arg-type]
        study=the_study.slug, format=format_, rows=count)  # fmt: skip
    return _file(path, f"nuso-{the_study.slug}-{unit.code}-rader.{format_}")


@dataclass(frozen=True)
class NationalView:
    scope: Scope
    study: Study
    periods: list[str]
    period: str
    table: str
    ranking: Ranking
    results: Results


def _national_view(request: HttpRequest, study: str) -> NationalView:
    scope = Scope.of(request.user)
    the_study = scope.study(study)
    results, rows = scope.national_tables(the_study, None)
    periods = sorted(results.source.frame["period"].unique().to_list())
    period, _ = _choices(request, periods)
    table = request.GET.get("tabell") or _first_share(results)
    found = ranking(results, rows, table, period)
    return NationalView(scope, the_study, periods, period, table, found, results)


@require_GET
@login_required
@verified
def national(request: HttpRequest, study: str) -> HttpResponse:
    view = _national_view(request, study)
    shares = [d for d in view.results.definitions.values() if d.kind == "share"]
    context = {"study": view.study, "period": view.period, "periods": view.periods,
               "table": view.table, "ranking": view.ranking, "scope": view.scope,
               "tables": shares}  # fmt: skip
    log(Actor.of_user(request.user), "portal.national", study=view.study.slug, table=view.table)  # type: ignore[arg-type]
    return render(request, "portal/national.html", context)


@require_GET
@login_required
@verified
def national_chart(request: HttpRequest, study: str) -> HttpResponse:
    spec = _national_view(request, study).ranking.funnel_spec()
    return HttpResponse(svg_of(json.dumps(spec, sort_keys=True)), content_type="image/svg+xml")


@require_GET
@login_required
@verified
def download_all_rows(request: HttpRequest, study: str, format_: str) -> FileResponse:
    scope = Scope.of(request.user)
    the_study = scope.study(study)
    if format_ not in ROW_FORMATS:
        return _refused()
    path = _temporary(format_)
    count = write_rows(scope.records(the_study, None), the_study, path, format_)
    log(Actor.of_user(request.user), "portal.download_rows", study=the_study.slug,  # type: ignore[arg-type]
        format=format_, rows=count, units="alla")  # fmt: skip
    return _file(path, f"nuso-{the_study.slug}-alla-rader.{format_}")


def _selection_label(results: Results, selection: Selection | None) -> str:
    if selection is None:
        return ""
    title = results.source.titles.get(selection.dimension, selection.dimension)
    value = results.source.labels.get(selection.dimension, {}).get(selection.value, selection.value)
    return f"{title}: {value}"


def _first_share(results: Results) -> str:
    definitions = results.definitions.values()
    return next(d.name for d in definitions if d.kind == "share" and not d.dimensions)


def _temporary(format_: str) -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=f".{format_}", delete=False)  # noqa: SIM115
    handle.close()
    return Path(handle.name)


def _file(path: Path, name: str) -> FileResponse:
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    path.unlink()  # the open handle keeps the data until the response is sent
    return response


def _refused() -> FileResponse:
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied("Formatet är inte tillåtet för din roll.")


def reverse_dashboard(code: str, study: str) -> str:
    return reverse("portal:dashboard", kwargs={"code": code, "study": study})


__all__ = ["pl"]
