"""A changed study dictionary on a live installation (`nuso study update FIL.yaml`): compared
with the stored one first, then applied in one transaction as a new codebook version (the
same codes: what changed is how the study reads them) under which the study's records are
decided again, with the review queue rebuilt and an audit entry that keeps the dictionary as
it was (decision 0013)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from nuso.audit.services import Actor, log
from nuso.core.errors import InputError, Problem
from nuso.core.harmonise.dictionary import StudyDictionary, dictionary_from_stored
from nuso.core.harmonise.dictionary_changes import (
    DictionaryChange,
    compare_dictionaries,
    refuse_what_records_cannot_follow,
)
from nuso.intake.codebook_change import CodebookChangeError, locked_version_in_force
from nuso.intake.decisions import new_version
from nuso.intake.record_frames import current_blocks
from nuso.intake.reharmonise import Reharmonised, reharmonise_studies
from nuso.studies.codebooks import latest_version
from nuso.studies.models import Study
from nuso.studies.services import read_dictionary_file


@dataclass(frozen=True)
class StudyChange:
    source: str  # the file's name
    dictionary: StudyDictionary
    in_force: int  # the codebook version it was compared under
    changes: list[DictionaryChange]


@dataclass(frozen=True)
class StudyApplied:
    version: int
    records: Reharmonised


def read_study_change(path: Path) -> StudyChange:
    """A study's changed dictionary compared with the stored one; InputError names the key of
    every problem, and of every change its records cannot follow."""
    return study_change(read_dictionary_file(path), path.name)


def study_change(new: StudyDictionary, source: str) -> StudyChange:
    study = Study.objects.filter(slug=new.slug).first()
    if study is None:
        message = "Delstudien finns inte; lägg till den med nuso study add."
        raise InputError([Problem("unknown-study", message, source, column="slug",
                                  value=new.slug)])  # fmt: skip
    old = dictionary_from_stored(study.dictionary)
    if current_blocks(study).exists():
        refuse_what_records_cannot_follow(old, new, source)
    return StudyChange(source, new, latest_version().number, compare_dictionaries(old, new))


def apply_study_change(change: StudyChange, actor: Actor) -> StudyApplied:
    if not change.changes:
        raise CodebookChangeError(f"{change.source} är samma datadefinition som den sparade.")
    with transaction.atomic():
        latest = locked_version_in_force(change.in_force, change.source)
        study = Study.objects.select_for_update().get(slug=change.dictionary.slug)
        before = study.dictionary
        dictionary = change.dictionary
        study.dictionary = dictionary.as_data()
        study.number, study.name = dictionary.number, dictionary.name
        study.description = dictionary.description
        study.save()
        note = f"Datadefinitionen för {study.slug} ändrad ({change.source})."
        version = new_version(latest, actor, note)
        records = reharmonise_studies([study], version)
        log(actor, "study.update", target=study, file=change.source, version=version.number,
            changes=[c.describe() for c in change.changes], before=before,
            records=records.records, changed=records.changed)  # fmt: skip
    return StudyApplied(version.number, records)
