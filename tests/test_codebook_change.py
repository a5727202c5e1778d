"""`nuso codebook FIL.yaml` on an installation with records: the difference first, then a new
version with the crosswalk, every record re-harmonised, the review decisions of removed codes
carried or sent back to review, an audit entry; `nuso init` does the same for a newer shipped
codebook; the admin shows the codebook read only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from nuso.audit.models import AuditEntry
from nuso.core.harmonise.codebook import shipped_text
from nuso.intake.models import ReviewItem
from nuso.studies.models import CodebookEntry, CodebookVersion, Study, ValueMapping

from .conftest import log_in_with_code
from .records import stored_records

IMPORT = ("--study", "aktualiseringar", "--period", "2024")
# A new installation's first codebook version is numbered as the shipped file; the fixture's
# two review decisions make two more, and a change the next.
SHIPPED = yaml.safe_load(shipped_text())["version"]
IN_FORCE = SHIPPED + 2
NEW = IN_FORCE + 1
ROWS = {  # raw reason -> what it is before the change
    "Zorblax": "pending",  # a spelling nobody knows
    "Ensamkommande": "ensamkommande",  # a rule of a code the change removes
    "Övrigt": "ovrigt",  # a rule of a code the change renames
    "Qwertyuiop": "ovrigt",  # a review decision for the renamed code
    "Xyzzyplugh": "ensamkommande",  # a review decision for the removed code
}


def revised(text: str, crosswalk: dict[str, Any] | None = None) -> dict[str, Any]:
    """The shipped codebook revised: `ovrigt` renamed `annat`, `ensamkommande` removed without
    a successor, `skolproblem` relabelled and given the synonym 'zorblax'."""
    data = yaml.safe_load(text)
    data["version"] += 1
    reasons = data["variables"]["orsak"]
    for code in reasons["codes"]:
        if code["code"] == "ovrigt":
            code["code"], code["label"] = "annat", "Annat"
        if code["code"] == "skolproblem":
            code["label"] = "Skolproblem"
            code["synonyms"] = [*code.get("synonyms", []), "zorblax"]
    reasons["codes"] = [code for code in reasons["codes"] if code["code"] != "ensamkommande"]
    data["crosswalk"] = crosswalk or {"orsak": {"ovrigt": "annat"}}
    return data


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture
def decided(nuso, tmp_path):
    """One file's records and two review decisions (the codebook version IN_FORCE)."""
    nuso("init")
    path = tmp_path / "Karlstad 2024.csv"
    lines = [f"F;9;{reason};Ny utredning" for reason in ROWS] + [";12;;"]  # nothing to decide
    path.write_text("Kön;Ålder;Orsak;Åtgärd\n" + "\n".join(lines) + "\n", "utf-8")
    assert nuso("import", str(path), *IMPORT).exit_code == 0
    assert reasons()["Zorblax"] == []  # waits for review
    decisions = tmp_path / "beslut.csv"
    decisions.write_text(
        "rått värde,variabel,kod\nQwertyuiop,orsaker,ovrigt\nXyzzyplugh,orsaker,ensamkommande\n"
    )
    assert nuso("review", "--decisions", str(decisions)).exit_code == 0
    return nuso, write(tmp_path / "kodbok.yaml", revised(shipped_text()))


def reasons() -> dict[str, list[str]]:
    return {r.raw["Orsak"]: r.values["orsaker"] for r in stored_records() if r.raw["Orsak"]}


def test_the_difference_is_shown_first_and_a_dry_run_changes_nothing(decided) -> None:
    nuso, revision = decided
    result = nuso("codebook", str(revision), "--dry-run")
    assert result.exit_code == 0, result.err
    assert result.out.splitlines() == [
        f"Kodboken i bruk är version {IN_FORCE}. Ändringar i kodbok.yaml "
        f"(filens version {SHIPPED + 1}):",
        "  orsak: ny kod annat ('Annat')",
        "  orsak: borttagen kod ensamkommande ('Ensamkommande barn')",
        "  orsak: borttagen kod ovrigt ('Övrigt/annat')",
        "  orsak: ny etikett skolproblem: 'Skolrelaterad problematik' → 'Skolproblem'",
        "  orsak: synonymer ändrade skolproblem: + 'zorblax'",
        "Omkodning:",
        "  orsak: ensamkommande → granskning (värdena granskas igen)",
        "  orsak: ovrigt → annat",
        "Inget sparat (--dry-run).",
    ]
    assert CodebookVersion.objects.count() == 3
    assert reasons()["Övrigt"] == ["ovrigt"]


def test_a_changed_codebook_is_a_new_version_with_every_record_reharmonised(decided) -> None:
    nuso, revision = decided
    result = nuso("codebook", str(revision))
    assert result.exit_code == 0, result.err
    assert f"Kodbok version {NEW} skapad. 6 poster omharmoniserade, 5 med ändrade" in result.out
    version = CodebookVersion.objects.get(number=NEW)
    assert (version.file_version, version.based_on.number) == (SHIPPED + 1, IN_FORCE)
    codes = set(CodebookEntry.objects.filter(version=version, variable="orsak")
                .values_list("code", flat=True))  # fmt: skip
    assert "annat" in codes
    assert not codes & {"ovrigt", "ensamkommande"}
    assert version.crosswalk["orsak"]["ovrigt"] == ["annat"]
    assert version.crosswalk["orsak"]["ensamkommande"] == []
    assert version.crosswalk["orsak"]["skolproblem"] == ["skolproblem"]
    assert reasons() == {
        "Zorblax": ["skolproblem"],  # the new synonym decides it
        "Ensamkommande": [],  # its code is gone: waits for review
        "Övrigt": ["annat"],  # the renamed code's rule
        "Qwertyuiop": ["annat"],  # the review decision carried to the new code
        "Xyzzyplugh": [],  # the decision's code is gone: reviewed again
    }
    assert {r.codebook for r in stored_records()} == {NEW}  # the row without a reason too
    assert [r.raw["Orsak"] for r in stored_records() if r.pending_review] == [
        "Ensamkommande", "Xyzzyplugh"
    ]  # fmt: skip


def test_review_decisions_of_removed_codes_are_carried_or_reopened(decided) -> None:
    nuso, revision = decided
    nuso("codebook", str(revision))
    in_force = {m.raw_example: m.code for m in ValueMapping.objects.filter(valid_to__isnull=True)}
    assert in_force == {"Qwertyuiop": "annat"}
    assert ValueMapping.objects.filter(valid_to__number=NEW).count() == 2
    items = {i.raw_example: i for i in ReviewItem.objects.all()}
    assert items["Qwertyuiop"].status == "decided"
    assert items["Qwertyuiop"].decision.code == "annat"
    assert items["Xyzzyplugh"].status == "pending"
    assert items["Ensamkommande"].status == "pending"
    assert "Zorblax" not in items  # decided by the new codebook: no longer in the queue
    queue = nuso("review").out
    assert "Xyzzyplugh" in queue
    assert "Ensamkommande" in queue


def test_the_change_is_audited_with_what_moved(decided) -> None:
    nuso, revision = decided
    nuso("codebook", str(revision))
    entry = AuditEntry.objects.get(action="codebook.apply")
    assert entry.actor_label.startswith("cli:")
    assert entry.target_type == "studies.CodebookVersion"
    assert entry.details["moved"] == {"orsak": {"ensamkommande": [], "ovrigt": ["annat"]}}
    assert (entry.details["carried"], entry.details["retired"]) == (1, 1)
    assert entry.details["records"] == 6
    kinds = {change["ändring"] for change in entry.details["changes"]["ändringar"]}
    assert kinds == {"added", "removed", "label", "synonyms"}


def test_the_same_codebook_again_makes_no_version(decided) -> None:
    nuso, revision = decided
    nuso("codebook", str(revision))
    again = nuso("codebook", str(revision))
    assert again.exit_code == 0
    assert f"kodbok.yaml är samma kodbok som version {NEW}; inget att göra." in again.out
    assert CodebookVersion.objects.count() == 4


def test_a_crosswalk_that_does_not_fit_is_refused_naming_the_key(decided) -> None:
    nuso, revision = decided
    crosswalk = {"orsak": {"ovrigt": "annat", "skolproblem": "skola"}, "saknas": {"x": "y"}}
    write(revision, revised(shipped_text(), crosswalk))
    result = nuso("codebook", str(revision))
    assert result.exit_code == 1
    assert "nyckel 'crosswalk.orsak.skolproblem': Koden finns kvar i den nya kodboken" in result.err
    assert "nyckel 'crosswalk.orsak.skolproblem', värde 'skola': Koden den blev finns inte" in (
        result.err
    )
    assert "nyckel 'crosswalk.saknas': Variabeln finns inte" in result.err
    assert CodebookVersion.objects.count() == 3


def test_a_variable_a_study_uses_cannot_be_removed(decided) -> None:
    nuso, revision = decided
    data = revised(shipped_text())
    del data["variables"]["kon"]
    result = nuso("codebook", str(write(revision, data)))
    assert result.exit_code == 1
    assert "nyckel 'variables.kon': Variabeln används av delstudien aktualiseringar" in result.err


def test_a_file_that_is_no_yaml_names_the_line(decided, tmp_path: Path) -> None:
    nuso, _ = decided
    broken = tmp_path / "trasig.yaml"
    broken.write_text("version: 2\nvariables:\n  kon: [\n", "utf-8")
    result = nuso("codebook", str(broken))
    assert result.exit_code == 1
    assert "trasig.yaml, rad 4: Filen går inte att läsa som YAML" in result.err


def test_init_brings_in_a_newer_shipped_codebook(decided, monkeypatch) -> None:
    nuso, revision = decided
    text = revision.read_text("utf-8")
    monkeypatch.setattr("nuso.intake.codebook_change.shipped_text", lambda: text)
    result = nuso("init")
    assert result.exit_code == 0, result.err
    assert f"Ny kodbok från paketet som version {NEW}" in result.out
    assert reasons()["Qwertyuiop"] == ["annat"]
    assert "Ny kodbok" not in nuso("init").out  # once only


def test_the_admin_shows_codebook_and_studies_but_changes_nothing(
    decided, client, django_user_model
) -> None:
    admin = django_user_model.objects.create_superuser("admin", "a@example.se", "långt lösenord 1")
    log_in_with_code(client, admin, "långt lösenord 1")
    entry = CodebookEntry.objects.filter(variable="orsak").first()
    study = Study.objects.get(slug="aktualiseringar")
    mapping = ValueMapping.objects.first()
    for model, obj in (("codebookentry", entry), ("codebookversion", entry.version),
                       ("study", study), ("valuemapping", mapping)):  # fmt: skip
        address = f"/admin/studies/{model}/{obj.pk}/change/"
        assert client.get(address).status_code == 200, address  # shown
        assert client.post(address, {"label": "Ändrad"}).status_code == 403, address
        assert client.get(f"/admin/studies/{model}/add/").status_code == 403, model
        assert (
            client.post(f"/admin/studies/{model}/{obj.pk}/delete/", {"post": "yes"}).status_code
            == 403
        )
    entry.refresh_from_db()
    assert entry.label != "Ändrad"


def test_derived_variables_follow_the_changed_codes(decided) -> None:
    """Age groups (from ages, by the codes' ranges) and action groups (from the action's
    code attribute) are derived anew."""
    nuso, revision = decided
    merged = {"12-14": "12-17", "15-17": "12-17"}
    data = revised(shipped_text(), {"orsak": {"ovrigt": "annat"}, "aldersgrupp": merged})
    groups = data["variables"]["aldersgrupp"]
    groups["codes"] = [c for c in groups["codes"] if c["code"] not in ("12-14", "15-17")]
    groups["codes"].append({"code": "12-17", "label": "12–17 år", "min": 12, "max": 17})
    for code in data["variables"]["atgard"]["codes"]:
        if code["code"] == "utredning_inleds":
            code["group"] = "annan"
    assert nuso("codebook", str(write(revision, data))).exit_code == 0
    groups_now = {(r.values["alder"], r.values["aldersgrupp"]) for r in stored_records()}
    assert groups_now == {(9, "9-11"), (12, "12-17")}
    assert {r.values.get("atgardsgrupp") for r in stored_records()} == {"annan", None}
