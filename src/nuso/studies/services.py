"""Use cases for studies and the codebook."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from nuso.audit.services import Actor, log
from nuso.core.errors import InputError, Problem
from nuso.core.harmonise.codebook import Codebook, shipped_codebook, yaml_document
from nuso.core.harmonise.dictionary import StudyDictionary, parse_dictionary, shipped_dictionaries
from nuso.studies.codebooks import codebook_of, latest_version
from nuso.studies.models import CodebookEntry, CodebookVersion, Study


@dataclass
class DefinitionsSummary:
    studies_created: int = 0
    codebook_version: int = 0
    codebook_created: bool = False
    # Dictionaries the package changed since they were last loaded, and that differ from the
    # stored ones: for the caller to apply as `nuso study update` does.
    changed: list[StudyDictionary] = field(default_factory=list)


def dictionary_digest(dictionary: StudyDictionary) -> str:
    text = json.dumps(dictionary.as_data(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def load_shipped_definitions() -> DefinitionsSummary:
    """Register the shipped study dictionaries and, on a new database, codebook version 1.

    Idempotent. A dictionary the package changed since it was last loaded is listed in
    `changed` (a dictionary changed on the installation is left alone until the package
    changes it again); the codebook is only created when there is none, since later versions
    come from review and `nuso codebook`.
    """
    codebook = shipped_codebook()
    summary = DefinitionsSummary()
    for dictionary in shipped_dictionaries(codebook):
        digest = dictionary_digest(dictionary)
        study, created = Study.objects.get_or_create(
            slug=dictionary.slug,
            defaults={
                "number": dictionary.number,
                "name": dictionary.name,
                "description": dictionary.description,
                "dictionary": dictionary.as_data(),
                "shipped_digest": digest,
            },
        )
        if created:
            summary.studies_created += 1
        elif study.shipped_digest != digest and study.dictionary != dictionary.as_data():
            summary.changed.append(dictionary)  # its digest is stored once it is applied
        elif study.shipped_digest != digest:
            remember_shipped(study, digest)
    latest = CodebookVersion.objects.order_by("-number").first()
    if latest is None:
        latest = create_codebook_version(codebook)
        summary.codebook_created = True
    summary.codebook_version = latest.number
    return summary


def create_codebook_version(
    codebook: Codebook, number: int | None = None, **fields: Any
) -> CodebookVersion:
    """A version with the codebook's codes: numbered as the file says on a new installation,
    after the version in force later (`number`)."""
    version = CodebookVersion.objects.create(
        number=number or codebook.version,
        title=codebook.title,
        file_version=codebook.version,
        **fields,
    )
    CodebookEntry.objects.bulk_create(
        CodebookEntry(
            version=version,
            variable=variable.name,
            code=code.code,
            label=code.label,
            attributes=code.attributes,
            position=position,
        )
        for variable in codebook.variables.values()
        for position, code in enumerate(variable.codes)
    )
    return version


def remember_shipped(study: Study, digest: str) -> None:
    """The package's dictionary is now the study's, or was once (not a change of the data:
    the study's time of update stays)."""
    study.shipped_digest = digest
    study.save(update_fields=["shipped_digest"])


def read_dictionary_file(path: Path) -> StudyDictionary:
    """A study dictionary from its file, checked against the codebook in force; InputError
    lists every problem, each naming its key."""
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise InputError([Problem("bad-encoding", "Filen är inte UTF-8.", path.name)]) from None
    return parse_dictionary(yaml_document(text, path.name), codebook_of(latest_version()),
                            path.name)  # fmt: skip


def read_study_file(path: Path) -> StudyDictionary:
    """A new study's dictionary from its file, checked against the codebook in force and the
    studies there are."""
    dictionary = read_dictionary_file(path)
    if Study.objects.filter(slug=dictionary.slug).exists():
        message = "Det finns redan en delstudie med det kortnamnet; välj ett annat."
        raise InputError([Problem("study-exists", message, path.name, column="slug",
                                  value=dictionary.slug)])  # fmt: skip
    return dictionary


@transaction.atomic
def add_study(dictionary: StudyDictionary, actor: Actor, source: str) -> Study:
    """Register a new study: its files can be imported at once (the dictionary says how)."""
    study = Study.objects.create(
        slug=dictionary.slug,
        number=dictionary.number,
        name=dictionary.name,
        description=dictionary.description,
        dictionary=dictionary.as_data(),
    )
    log(actor, "study.add", target=study, file=source, slug=study.slug,
        variables=[v.name for v in dictionary.variables],
        tables=[t.name for t in dictionary.tables])  # fmt: skip
    return study
