"""Columns mapped by hand, remembered: `nuso import … --kolumn "RUBRIK=VARIABEL"` maps (or, with
nothing after =, unmaps) a column for this run, the unit's later deliveries read it so, and
another unit whose file has the same headers is offered the choice in its import report. A
choice is masked as the file's headers are (nuso.core.intake.boundary): a header with an
identity number is named, stored and matched by its pseudonym."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.conf import settings

from nuso.audit.services import Actor, log
from nuso.core.errors import InputError, Problem
from nuso.core.harmonise.dictionary import StudyDictionary
from nuso.core.intake.boundary import Masker
from nuso.core.intake.delivery import ColumnChoices, headers_key_of
from nuso.core.intake.layout import header_key
from nuso.core.intake.report import ImportReport
from nuso.intake.models import ColumnMapping
from nuso.studies.models import Study
from nuso.units.models import Unit


def parse_choices(texts: Iterable[str], dictionary: StudyDictionary) -> dict[str, str]:
    """`RUBRIK=VARIABEL` texts as header: target; every problem named at once."""
    targets = {v.name for v in dictionary.variables} | {s.role for s in dictionary.source_columns}
    choices, problems = {}, []
    masker = Masker(settings.NUSO_PSEUDONYM_KEY)
    for text in map(masker.text, texts):
        header, equals, target = (part.strip() for part in text.rpartition("="))
        if not equals or not header:
            message = f'--kolumn {text!r}: skriv "RUBRIK=VARIABEL" ("RUBRIK=" för ingen variabel).'
            problems.append(Problem("bad-column-choice", message))
        elif target and target not in targets:
            known = ", ".join(sorted(targets))
            message = (
                f"--kolumn {text!r}: okänd variabel {target!r} i delstudien {dictionary.slug}; "
                f"kända: {known}."
            )
            problems.append(Problem("unknown-variable", message))
        else:
            choices[header] = target
    if problems:
        raise InputError(problems)
    return choices


def column_choices(study: Study, given: Mapping[str, str]) -> ColumnChoices:
    """This run's choices, each unit's remembered ones and everyone's by their headers (the
    latest choice per unit and header in force)."""
    by_unit: dict[str, dict[str, str]] = {}
    by_headers: dict[str, dict[str, str]] = {}
    for mapping in ColumnMapping.objects.filter(study=study).select_related("unit"):
        by_unit.setdefault(mapping.unit.code, {})[mapping.header] = mapping.target
        by_headers.setdefault(mapping.headers, {})[mapping.header] = mapping.target
    return ColumnChoices(dict(given), by_unit, by_headers)


def remember_choices(
    study: Study, given: Mapping[str, str], reports: Iterable[ImportReport], actor: Actor
) -> int:
    """The run's choices remembered for each unit that delivered in it; how many."""
    count = 0
    for report in reports:
        if report.unit is None:
            continue
        unit = Unit.objects.filter(code=report.unit.code).first()
        if unit is None:
            continue
        present = {header_key(column.header) for column in report.columns}
        for header, target in given.items():
            if header_key(header) in present:
                remember(study, unit, report, header, target, actor)
                count += 1
    return count


def remember(
    study: Study, unit: Unit, report: ImportReport, header: str, target: str, actor: Actor,
    **audited: object,
) -> ColumnMapping:  # fmt: skip
    """One choice remembered for the unit's later deliveries, offered to files with the same
    headers as this report's, and audited."""
    mapping = ColumnMapping.objects.create(
        study=study, unit=unit, header=header, header_key=header_key(header), target=target,
        headers=headers_key_of(column.header for column in report.columns), actor=actor.label,
    )  # fmt: skip
    log(actor, "import.column", target=mapping, unit=unit, header=header, variable=target,
        **audited)  # fmt: skip
    return mapping
