"""Portal views: thin. Data only through `Scope`; every row-level view or download, and
every unit dashboard, is written to the audit log. Row downloads: nuso.portal.downloads."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import polars as pl
from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from nuso.analysis.service import DataVersion
from nuso.audit.services import Actor, log
from nuso.core.analysis.charts import ChartWords
from nuso.core.analysis.indicators.engine import Results
from nuso.core.outputs.registry import TABLES, file_name, write_tables, writer
from nuso.core.outputs.tables import TableSet
from nuso.portal import language
from nuso.portal.access import Scope
from nuso.portal.dashboard import (
    SUMMARY_FINDINGS,
    Section,
    Selection,
    as_shown,
    comparisons_for,
    filter_options,
    findings,
    key_figure_trend,
    key_figures_in,
    nation_in_text,
    nation_name,
    sections,
    shown_label,
    trend_chart,
)
from nuso.portal.national import Measure, Ranking, chosen_measure, measures, ranking
from nuso.portal.verification import login_required, verified
from nuso.studies.models import Study
from nuso.units.models import Unit


@require_GET
@login_required
@verified
def start(request: HttpRequest) -> HttpResponse:
    """The user's units: those with data first, each linking to its studies with data; the
    others by name only (an analyst's scope has some 300 units, most without a delivery).
    A social worker registers, and starts there."""
    if getattr(request.user, "is_social_worker", False):
        return redirect("collection:start")
    scope = Scope.of(request.user)
    units = list(scope.units().order_by("code"))
    studies = scope.studies_by_unit()
    if not scope.is_analyst and len(units) == 1 and units[0].pk in studies:
        first = studies[units[0].pk][0]
        return redirect("portal:dashboard", code=units[0].code, study=first.slug)
    context = {
        "scope": scope,
        "with_data": [(unit, studies[unit.pk]) for unit in units if unit.pk in studies],
        "without_data": [unit for unit in units if unit.pk not in studies],
        "national": Study.objects.order_by("number") if scope.is_analyst else [],
    }
    return render(request, "portal/start.html", context)


@dataclass(frozen=True)
class UnitView:
    """What every unit page starts from: the unit in the user's scope, its tables, and the
    period, comparison and selection asked for (unknown values fall back to the defaults)."""

    scope: Scope
    unit: Unit
    study: Study
    results: Results
    rows: dict[str, pl.DataFrame]
    period: str
    comparison: str
    selection: Selection | None
    stale: bool  # earlier data shown while the current tables are computed
    version: DataVersion  # the data shown


def _unit_view(request: HttpRequest, code: str, study: str) -> UnitView:
    scope = Scope.of(request.user)
    the_study = scope.study(study)
    tables = scope.unit_tables(the_study, code)
    results = tables.results
    period = _period(request, results.periods)
    offered = comparisons_for(tables.unit.country, bool(tables.unit.size_band))
    comparison = request.GET.get("jamfor", "")
    if comparison not in offered:
        comparison = next(iter(offered))
    selection = Selection.parse(request.GET.get("urval", ""), filter_options(results))
    return UnitView(scope, tables.unit, the_study, results, tables.rows, period, comparison,
                    selection, tables.stale, tables.version)  # fmt: skip


def _comparisons(unit: Unit) -> dict[str, Any]:
    return comparisons_for(unit.country, bool(unit.size_band))


def _sections(view: UnitView, comparison: str) -> list[Section]:
    """The dashboard's sections compared with `comparison`, in the page's language; kept
    with the tables (the summary asks for the nation's as well)."""
    key = ("sections", view.unit.code, view.period, comparison, view.selection, language.code())
    return view.results.memo(key, lambda: sections(  # type: ignore[no-any-return]
        view.results, view.rows, view.unit.code, view.period, comparison,
        selection=view.selection, wording=language.wording()))  # fmt: skip


def _trend(view: UnitView) -> list[dict[str, Any]]:
    code = view.unit.code
    return view.results.memo(  # type: ignore[no-any-return]
        ("trend", code), lambda: key_figure_trend(view.results, view.rows, code)
    )


def _period(request: HttpRequest, periods: list[str]) -> str:
    """The period asked for, else the latest."""
    asked = request.GET.get("period", "")
    return asked if asked in periods else (periods[-1] if periods else "")


@require_GET
@login_required
@verified
def dashboard(request: HttpRequest, code: str, study: str) -> HttpResponse:
    if without_data := _without_data(request, code, study):
        return without_data
    view = _unit_view(request, code, study)
    unit, results, selection = view.unit, view.results, view.selection
    compared = [_sections(view, view.comparison)]
    if view.comparison != "riket":
        compared.append(_sections(view, "riket"))
    found = findings(*compared)
    chosen = _selection_label(results, selection)
    context = {
        "scope": view.scope, "unit": unit, "study": view.study, "periods": results.periods,
        "period": view.period, "comparison": view.comparison,
        "comparisons": _comparisons(view.unit), "nation_name": nation_name(unit.country),
        "nation": nation_in_text(unit.country),
        "reference_name": _comparisons(view.unit)[view.comparison],
        "filters": [(results.source.titles.get(d, d), d, values)
                    for d, values in filter_options(results).items()],
        "selection": selection, "selection_text": selection.text if selection else "",
        "selection_label": chosen,
        # what the results' download holds: the period, and the filter where one is chosen
        "shown_text": ", ".join(filter(None, (view.period, chosen))),
        "sections": _sections(view, view.comparison),
        "trend": _trend(view),
        "key_figures": key_figures_in(_trend(view), view.period),
        "findings": found[:SUMMARY_FINDINGS], "more_findings": len(found) - SUMMARY_FINDINGS,
        "deliveries": view.scope.deliveries(unit, view.study),
        "trend_periods": len(results.periods),
        "other_studies": [other for other in view.scope.studies_with_data(unit)
                          if other != view.study],
        **_freshness(view.stale, view.version),
    }  # fmt: skip
    log(Actor.of_user(request.user), "portal.dashboard", unit=unit, study=view.study.slug,  # type: ignore[arg-type]
        period=view.period)  # fmt: skip
    template = "portal/_results.html" if request.headers.get("X-Del") else "portal/dashboard.html"
    return render(request, template, context)


def _without_data(request: HttpRequest, code: str, study: str) -> HttpResponse | None:
    """One short page saying that the unit has no data in the study (and where it has),
    instead of a dashboard of empty tables and charts; None when it has data."""
    scope = Scope.of(request.user)
    unit, the_study = scope.unit(code), scope.study(study)
    others = scope.studies_with_data(unit)
    if the_study in others:
        return None
    context = {"unit": unit, "study": the_study, "other_studies": others, "scope": scope}
    return render(request, "portal/no_data.html", context)


@require_GET
@login_required
@verified
def chart(request: HttpRequest, code: str, study: str, table: str) -> HttpResponse:
    view = _unit_view(request, code, study)
    found = sections(view.results, view.rows, view.unit.code, view.period, view.comparison,
                     only=table, selection=view.selection)  # fmt: skip
    if not found:
        raise Http404("Diagrammet finns inte.")
    words = language.chart_words()
    reference = str(_comparisons(view.unit)[view.comparison])
    spec = found[0].chart(view.unit.name, reference, words, nation_name(view.unit.country))
    return _svg(spec, words)


@require_GET
@login_required
@verified
def key_figure_chart(request: HttpRequest, code: str, study: str) -> HttpResponse:
    view = _unit_view(request, code, study)
    words = language.chart_words()
    spec = trend_chart(_trend(view), view.unit.name, _("Nyckeltal över tid"), words,
                       nation_name(view.unit.country))  # fmt: skip
    return _svg(spec, words)


def _svg(spec: dict[str, Any], words: ChartWords) -> HttpResponse:
    svg = svg_of(json.dumps(spec, sort_keys=True), words.locale)
    return HttpResponse(svg, content_type="image/svg+xml")


@lru_cache(maxsize=512)
def svg_of(spec: str, locale: Literal["sv-SE", "en-US"] = "sv-SE") -> str:
    """The chart as SVG, its numbers formatted in `locale` ("45 %" in sv-SE)."""
    import vl_convert

    return str(vl_convert.vegalite_to_svg(json.loads(spec), format_locale=locale))


@require_GET
@login_required
@verified
def download_tables(request: HttpRequest, code: str, study: str, format_: str) -> FileResponse:
    scope = Scope.of(request.user)
    the_study = scope.study(study)
    tables = scope.unit_tables(the_study, code)
    unit, results = tables.unit, tables.results
    # the page's period and filter, where the link carries them (the dashboard's does)
    asked = request.GET.get("period")
    period = asked if asked in results.periods else None
    selection = Selection.parse(request.GET.get("urval", ""), filter_options(results))
    rows = as_shown(results, tables.rows, period, selection)
    path = temporary_path(format_)
    min_count = int(settings.NUSO_MIN_CELL_COUNT) if results.suppression else None
    write_tables(format_, TableSet(rows, results.source, min_count, title=the_study.name,
                                   version=tables.version.described, language=language.code()),
                 path)  # fmt: skip
    log(Actor.of_user(request.user), "portal.download_tables", unit=unit,  # type: ignore[arg-type]
        study=the_study.slug, format=format_)  # fmt: skip
    return file_response(path, file_name(the_study.slug, unit.code, TABLES, format_), format_)


@dataclass(frozen=True)
class NationalView:
    scope: Scope
    study: Study
    periods: list[str]
    period: str
    measure: Measure | None  # None: the study has no share to rank the units by
    ranking: Ranking
    results: Results
    stale: bool
    version: DataVersion


def _national_view(request: HttpRequest, study: str) -> NationalView:
    scope = Scope.of(request.user)
    the_study = scope.study(study)
    shown = scope.national_tables(the_study)
    results = shown.results
    periods = results.periods
    period = _period(request, periods)
    measure = chosen_measure(results, request.GET.get("tabell", ""))
    found = ranking(results, measure, period)
    return NationalView(scope, the_study, periods, period, measure, found, results, shown.stale,
                        shown.version)  # fmt: skip


@require_GET
@login_required
@verified
def national(request: HttpRequest, study: str) -> HttpResponse:
    view = _national_view(request, study)
    key = view.measure.key if view.measure else ""
    context = {"study": view.study, "period": view.period, "periods": view.periods,
               "measure": key, "ranking": view.ranking, "scope": view.scope,
               "measures": measures(view.results), "national_figures": True,
               "nation_name": nation_name(view.study.country),
               **_freshness(view.stale, view.version)}  # fmt: skip
    log(Actor.of_user(request.user), "portal.national", study=view.study.slug, table=key)  # type: ignore[arg-type]
    return render(request, "portal/national.html", context)


@require_GET
@login_required
@verified
def national_chart(request: HttpRequest, study: str) -> HttpResponse:
    view = _national_view(request, study)
    if view.measure is None:
        raise Http404("Delstudien har inget mått att rangordna enheterna efter.")
    words = language.chart_words()
    return _svg(view.ranking.funnel_spec(words), words)


def _freshness(stale: bool, version: DataVersion) -> dict[str, Any]:
    """For the notice of a page showing earlier figures (portal/_stale.html): whether it does,
    when its data is from, and the tag that `tables_version` is compared with."""
    return {"stale": stale, "as_of": version.as_of, "shown_version": version.tag}


@require_GET
@login_required
@verified
def tables_version(request: HttpRequest, study: str) -> JsonResponse:
    """For a page showing earlier figures while the current ones are computed (its script asks
    every few seconds): the tag of the current tables once they are ready, else null. The unit
    dashboards' tables, or with ?riket=1 the analysts' national ones."""
    scope = Scope.of(request.user)
    version = scope.ready_version(scope.study(study), national=request.GET.get("riket") == "1")
    return JsonResponse({"version": version}, headers={"Cache-Control": "no-store"})


def _selection_label(results: Results, selection: Selection | None) -> str:
    if selection is None:
        return ""
    title = results.source.titles.get(selection.dimension, selection.dimension)
    value = results.source.labels.get(selection.dimension, {}).get(selection.value, selection.value)
    return f"{title}: {shown_label(selection.value, value)}"


def temporary_path(format_: str) -> Path:
    suffix = "." + writer(format_).suffix
    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)  # noqa: SIM115
    handle.close()
    return Path(handle.name)


def file_response(path: Path, name: str, format_: str) -> FileResponse:
    """The written file as a download, with its format's media type; the file goes once
    it is open."""
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name,
                            content_type=writer(format_).media_type)  # fmt: skip
    path.unlink()  # the open handle keeps the data until the response is sent
    return response


@require_GET
@login_required
@verified
def registrations(request: HttpRequest, code: str, study: str) -> HttpResponse:
    """The unit's registrations: how many at each occasion, and the follow-ups overdue."""
    scope = Scope.of(request.user)
    the_study = scope.study(study)
    overview = scope.registration_overview(the_study, code)
    unit = scope.unit(code)
    log(Actor.of_user(request.user), "portal.registrations", unit=unit, study=the_study.slug)  # type: ignore[arg-type]
    context = {"unit": unit, "study": the_study, "overview": overview}
    return render(request, "portal/registrations.html", context)
