"""The codebook as the harmoniser needs it, read from the database (latest version), with the
decisions made in review."""

from __future__ import annotations

from nuso.core.codebook import Code, Codebook, Variable
from nuso.core.delivery import Learned, LearnedMappings
from nuso.studies.models import CodebookEntry, CodebookVersion, ValueMapping


def latest_version() -> CodebookVersion:
    version = CodebookVersion.objects.order_by("-number").first()
    if version is None:
        raise LookupError("Ingen kodbok finns; kör `nuso init`.")
    return version


def codebook_of(version: CodebookVersion) -> Codebook:
    variables: dict[str, list[Code]] = {}
    for entry in CodebookEntry.objects.filter(version=version).order_by("variable", "position"):
        variables.setdefault(entry.variable, []).append(
            Code(code=entry.code, label=entry.label, attributes=entry.attributes)
        )
    return Codebook(
        version=version.number,
        title=version.title,
        variables={
            name: Variable(name, name, tuple(codes))  # which are multi-valued: the dictionary says
            for name, codes in variables.items()
        },
    )


def learned_in_force() -> LearnedMappings:
    """Review decisions in force: national ones, and those for single units."""
    national: Learned = {}
    local: dict[str, Learned] = {}
    mappings = ValueMapping.objects.filter(valid_to__isnull=True).select_related("unit")
    for mapping in mappings:
        if mapping.unit is not None:
            learned = local.setdefault(mapping.unit.code, {})
        elif not mapping.case_system:
            learned = national
        else:
            continue
        learned.setdefault(mapping.variable, {})[mapping.raw_example] = mapping.code
    return LearnedMappings(national, local)


def learned_mappings(unit_code: str | None) -> Learned:
    """Review decisions in force: national ones, overridden by those for this unit."""
    return learned_in_force().for_unit(unit_code or "")
