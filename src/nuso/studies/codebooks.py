"""The codebook as the harmoniser needs it, read from the database (latest version), with the
decisions made in review."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from nuso.core.harmonise.codebook import Code, Codebook, Variable
from nuso.core.harmonise.dictionary import dictionary_from_stored
from nuso.core.harmonise.suggest import ModelStore
from nuso.core.intake.delivery import Harmonisers, Learned, LearnedMappings
from nuso.studies.models import CodebookEntry, CodebookVersion, Study, ValueMapping

MODELS_FOLDER = "modeller"  # in the data directory, beside the computed tables


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


def model_folder() -> Path:
    """Where the installation keeps its trained suggestion models (every process reads them,
    the first to need one trains it)."""
    return Path(settings.NUSO_DATA_DIR) / MODELS_FOLDER


def model_store() -> ModelStore:
    return ModelStore(model_folder())


def prepare_suggestion_models() -> int:
    """Train the suggestion models of the codebook in force that are not stored yet: for the
    national review decisions and for each unit with decisions of its own. Run whenever the
    codebook or the decisions change (`nuso init`, review: nuso.studies.retraining), so that
    imports only read them. Returns how many were trained."""
    harmonisers = Harmonisers(codebook_of(latest_version()), learned_in_force(), model_store())
    variables = harmonised()
    return sum(
        harmonisers.for_unit(scope).prepare_models(variables) for scope in harmonisers.scopes()
    )


def harmonised() -> list[str]:
    """The codebook variables that the studies' raw values are harmonised into (not those
    only derived, such as age groups)."""
    return sorted(
        {
            str(variable.codebook)
            for study in Study.objects.all()
            for variable in dictionary_from_stored(study.dictionary).variables
            if variable.codebook
        }
    )
