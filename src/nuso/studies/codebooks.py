"""The codebook as the harmoniser needs it, read from the database (latest version), with the
decisions made in review."""

from __future__ import annotations

from nuso.core.codebook import Code, Codebook, Variable
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


def learned_mappings(unit_code: str | None) -> dict[str, dict[str, str]]:
    """Review decisions in force: national ones, overridden by those for this unit."""
    learned: dict[str, dict[str, str]] = {}
    mappings = ValueMapping.objects.filter(valid_to__isnull=True).select_related("unit")
    national = [m for m in mappings if m.unit is None and not m.case_system]
    local = [m for m in mappings if m.unit is not None and m.unit.code == unit_code]
    for mapping in (*national, *local):
        learned.setdefault(mapping.variable, {})[mapping.raw_example] = mapping.code
    return learned
