"""A revised codebook on a live installation (`nuso codebook FIL.yaml`; `nuso init` for a newer
shipped one). The file is compared with the version in force first; applying it then does, in
one transaction: a new version with its codes and the crosswalk from the codes before, the
review decisions of removed codes carried to the code they became or retired (their values
wait for review again), every study's current records re-harmonised under the new version,
the review queues rebuilt, and an audit entry (docs/harmonisation.md, decision 0013)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from nuso.audit.services import Actor, log
from nuso.core.errors import InputError, Problem
from nuso.core.harmonise.codebook import Codebook, parse_codebook, shipped_text, yaml_document
from nuso.core.harmonise.codebook_changes import (
    CodebookDiff,
    Crosswalk,
    compare,
    crosswalk,
    renamed,
)
from nuso.core.harmonise.dictionary import dictionary_from_stored
from nuso.intake.models import ReviewItem
from nuso.intake.reharmonise import Reharmonised, reharmonise_studies
from nuso.studies.codebooks import codebook_of, latest_version
from nuso.studies.models import CodebookVersion, Study, ValueMapping
from nuso.studies.services import create_codebook_version

SHIPPED = "codebook.yaml"


class CodebookChangeError(Exception):
    """A change that cannot be applied; the message says why and what to do."""


@dataclass(frozen=True)
class CodebookChange:
    """A codebook file compared with the version in force."""

    source: str  # the file's name
    codebook: Codebook
    in_force: int  # the number of the version it was compared with
    diff: CodebookDiff
    crosswalk: Crosswalk

    def moved(self) -> dict[str, dict[str, list[str]]]:
        """The codes removed, and what each became (nothing: its values go to review)."""
        found: dict[str, dict[str, list[str]]] = {}
        for change in self.diff.removed_codes():
            targets = self.crosswalk[change.variable][change.code]
            found.setdefault(change.variable, {})[change.code] = targets
        return found

    def lines(self) -> list[str]:
        """The difference for people: each change, then where each removed code goes."""
        moves = [
            f"{variable}: {code} → {', '.join(targets) or 'granskning (värdena granskas igen)'}"
            for variable, codes in self.moved().items()
            for code, targets in codes.items()
        ]
        return [*self.diff.lines(), *(["Omkodning:", *moves] if moves else [])]


@dataclass(frozen=True)
class CodebookApplied:
    version: int
    records: Reharmonised = field(default_factory=Reharmonised)
    carried: int = 0  # review decisions moved to the code their code became
    retired: int = 0  # review decisions whose code is gone: their values are reviewed again
    waiting: int = 0  # distinct raw values in the review queues afterwards


def read_codebook_change(path: Path) -> CodebookChange:
    """A codebook file compared with the version in force; InputError names every problem."""
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise InputError([Problem("bad-encoding", "Filen är inte UTF-8.", path.name)]) from None
    return codebook_change(text, path.name)


def codebook_change(text: str, source: str) -> CodebookChange:
    data = yaml_document(text, source)
    new = parse_codebook(text, source)
    latest = latest_version()
    old = codebook_of(latest)
    refuse_removing_used_variables(old, new, source)
    diff = compare(old, new)
    # The crosswalk is of the change the file makes: a file applied already has none left.
    declared = data.get("crosswalk") if isinstance(data, dict) and not diff.empty else None
    return CodebookChange(source, new, latest.number, diff, crosswalk(old, new, declared, source))


def refuse_removing_used_variables(old: Codebook, new: Codebook, source: str) -> None:
    """A variable a study takes its codes from cannot go: its records would have none."""
    removed = old.variables.keys() - new.variables.keys()
    problems = [
        Problem(
            "variable-in-use",
            f"Variabeln används av delstudien {slug} och kan inte tas bort.",
            source,
            column=f"variables.{name}",
        )
        for slug, names in used_variables().items()
        for name in sorted(names & removed)
    ]
    if problems:
        raise InputError(problems)


def used_variables() -> dict[str, set[str]]:
    """The codebook variables each study takes codes from, its derived variables included."""
    used = {}
    for study in Study.objects.order_by("number", "slug"):
        dictionary = dictionary_from_stored(study.dictionary)
        used[study.slug] = {v.codebook for v in dictionary.variables if v.codebook} | {
            d.codebook for d in dictionary.derived if d.codebook
        }
    return used


def apply_codebook_change(change: CodebookChange, actor: Actor) -> CodebookApplied:
    """The change as a new version, with every record re-harmonised; see the module."""
    if change.diff.empty:
        raise CodebookChangeError(
            f"{change.source} är samma kodbok som version {change.in_force}; ingen ny version."
        )
    with transaction.atomic():
        latest = locked_version_in_force(change.in_force, change.source)
        version = create_codebook_version(
            change.codebook, number=latest.number + 1, based_on=latest, created_by=actor.user,
            note=f"Kodboksfilen {change.source} (filens version {change.codebook.version}).",
            crosswalk=change.crosswalk,
        )  # fmt: skip
        carried, retired = carry_review_decisions(change, version)
        records = reharmonise_studies(Study.objects.order_by("number", "slug"), version)
        applied = CodebookApplied(version.number, records, carried, retired, waiting_values())
        log(actor, "codebook.apply", target=version, file=change.source,
            file_version=change.codebook.version, based_on=latest.number,
            changes=change.diff.as_data(), moved=change.moved(), records=records.records,
            changed=records.changed, carried=carried, retired=retired)  # fmt: skip
    return applied


def locked_version_in_force(compared_with: int, source: str) -> CodebookVersion:
    """The version in force, locked until the transaction ends; a change compared with an
    earlier one (a decision taken meanwhile) must be compared again."""
    latest = CodebookVersion.objects.select_for_update().order_by("-number").first()
    if latest is None or latest.number != compared_with:
        raise CodebookChangeError(
            f"Kodboken har ändrats sedan {source} jämfördes med version {compared_with}; kör "
            "kommandot igen."
        )
    return latest


def carry_review_decisions(change: CodebookChange, version: CodebookVersion) -> tuple[int, int]:
    """The review decisions in force whose code the change removes: carried to the one code
    it became (the decision holds for that code), else retired, and their review items
    reopened. How many were carried and retired."""
    renames = renamed(change.crosswalk)
    carried = retired = 0
    for mapping in ValueMapping.objects.filter(valid_to__isnull=True).exclude(code=""):
        walk = change.crosswalk.get(mapping.variable)
        if walk is not None and walk.get(mapping.code, [mapping.code]) == [mapping.code]:
            continue  # the code stays
        mapping.valid_to = version
        mapping.save(update_fields=["valid_to"])
        target = renames.get(mapping.variable, {}).get(mapping.code)
        items = ReviewItem.objects.filter(decision=mapping)
        if target is None:
            items.update(status=ReviewItem.Status.PENDING, decision=None, updated_at=timezone.now())
            retired += 1
            continue
        successor = ValueMapping.objects.create(
            variable=mapping.variable, raw_key=mapping.raw_key, raw_example=mapping.raw_example,
            code=target, unit=mapping.unit, case_system=mapping.case_system, valid_from=version,
            decided_by=mapping.decided_by,
        )  # fmt: skip
        items.update(decision=successor, updated_at=timezone.now())
        carried += 1
    return carried, retired


def waiting_values() -> int:
    return ReviewItem.objects.filter(status=ReviewItem.Status.PENDING).count()


def shipped_change() -> CodebookChange | None:
    """The codebook this release ships, as a change, when its version number is higher than
    that of every codebook file applied so far (`nuso init` applies it)."""
    text = shipped_text()
    newest = CodebookVersion.objects.aggregate(newest=Max("file_version"))["newest"]
    if newest is not None and parse_codebook(text).version <= newest:
        return None
    return codebook_change(text, SHIPPED)
