"""`nuso import` and `nuso export` as a user meets them: bad files reported and others kept,
nothing lost, nothing twice, re-deliveries replacing, identity numbers never stored."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polars as pl
import pytest

from nuso.audit.models import AuditEntry
from nuso.audit.services import Actor
from nuso.core.harmonise.cascade import Harmoniser
from nuso.core.intake import blocks
from nuso.core.intake.report import FileStatus, ImportReport
from nuso.core.outputs.registry import ROWS, formats, writers
from nuso.core.synth.referral_exports import write_referral_exports
from nuso.intake.models import ImportBatch, RecordBlock, ReviewItem
from nuso.intake.review import refresh_review_queue
from nuso.intake.services import FileOutcome, import_paths
from nuso.studies.codebooks import codebook_of, latest_version, learned_mappings
from nuso.studies.models import CodebookVersion, Study

from .conftest import log_in_with_code
from .records import stored_records

CORPUS = Path(__file__).resolve().parent / "corpus"
IMPORT = ("--study", "aktualiseringar", "--period", "2023")
ACTOR = Actor.command_line()


@pytest.fixture
def initialised(nuso):
    nuso("init")
    return nuso


def test_one_bad_file_never_stops_the_others(initialised, tmp_path) -> None:
    for name in ("title-rows-and-total-row.xlsx", "corrupt-not-a-zip.xlsx", "empty.csv"):
        shutil.copy(CORPUS / name, tmp_path / name)
    result = initialised("import", str(tmp_path), *IMPORT, "--kommun", "1780")
    assert result.exit_code == 1
    assert "corrupt-not-a-zip.xlsx: Filen är skadad" in result.out
    assert "empty.csv: Filen är tom" in result.out
    assert "2 av 3 filer kunde inte läsas in" in result.err
    assert len(stored_records()) == 3
    assert ImportBatch.objects.filter(status="failed").count() == 2


def test_a_files_outcome_is_one_of_four_and_a_refusal_keeps_its_problem(
    initialised, tmp_path
) -> None:
    shutil.copy(CORPUS / "bom-utf8-comma.csv", tmp_path / "1780-a.csv")
    shutil.copy(CORPUS / "corrupt-not-a-zip.xlsx", tmp_path / "1780-b.xlsx")

    def run(dry_run: bool = False) -> list[FileOutcome]:
        return import_paths(
            [tmp_path], study_slug="aktualiseringar", period="2023", actor=ACTOR, dry_run=dry_run
        )

    read, refused = run()
    assert (read.status, refused.status) == (FileStatus.IMPORTED, FileStatus.FAILED)
    assert read.report is not None
    assert read.report.rows is not None
    assert read.report.rows.imported == 3
    (problem,) = refused.problems
    assert (problem.code, problem.file) == ("not-a-spreadsheet", "1780-b.xlsx")
    assert refused.message == problem.message  # the file is named beside it
    assert refused.report is None
    stored = ImportBatch.objects.get(status="failed").report
    assert ImportReport.from_json(stored).problems == (problem,)
    assert [o.status for o in run()] == [FileStatus.ALREADY_IMPORTED, FileStatus.FAILED]
    shutil.copy(CORPUS / "windows-1252-semicolon.csv", tmp_path / "1780-a.csv")
    assert run(dry_run=True)[0].status == FileStatus.DRY_RUN
    assert FileStatus.DRY_RUN == "provläst"  # what the user reads


def test_every_row_becomes_one_record_with_its_place(initialised) -> None:
    initialised(
        "import", str(CORPUS / "title-rows-and-total-row.xlsx"), *IMPORT, "--kommun", "Karlstad"
    )
    rows = [(r.sheet, r.row_number, r.values) for r in stored_records()]
    assert [(s, n) for s, n, _ in rows] == [
        ("Aktualiseringar", 5),
        ("Aktualiseringar", 6),
        ("Aktualiseringar", 7),
    ]
    assert rows[1][2]["orsaker"] == ["foralder_missbruk"]  # "Missbruk, förälder" is one reason
    batch = ImportBatch.objects.get()
    assert batch.report["rader"]["överhoppade"] == {"summeringsrad": 1}
    assert batch.unit.code == "1780"


def test_a_report_whose_headers_no_dictionary_knows_is_read_by_its_content(initialised) -> None:
    name = "headers-the-dictionary-does-not-know.xlsx"
    result = initialised("import", str(CORPUS / name), *IMPORT, "--kommun", "1780", "--rapport")
    assert result.exit_code == 0
    first = stored_records()[0]
    assert first.values["aktualiseringsdatum"] == "2023-01-09"  # from "Reg.dag"
    assert first.values["aktualiseringstyp"] == "anmalan"  # "Anmälan enl 14 kap 1 § SoL"
    assert first.values["atgard"] == "utredning_inleds"  # "Utredning inleds (11:1 SoL)"
    # born 2006-03-01 ("Uppgift"), 16 on the referral date: derived, not estimated
    assert (first.values["alder"], first.decisions["alder"]["method"]) == (16, "derived")
    columns = ImportBatch.objects.get().report["kolumner"]
    assert {c["kolumn"]: c["hur"] for c in columns}["Väg in"].startswith("innehåll")
    assert "Väg in" in result.out
    assert "innehåll" in result.out


def test_the_same_file_twice_adds_nothing(initialised) -> None:
    path = str(CORPUS / "bom-utf8-comma.csv")
    initialised("import", path, *IMPORT, "--kommun", "1780")
    again = initialised("import", path, *IMPORT, "--kommun", "1780")
    assert again.exit_code == 0
    assert "redan inläst" in again.out
    assert len(stored_records()) == 3
    assert ImportBatch.objects.count() == 1


def test_a_redelivery_replaces_the_earlier_batch_which_stays(initialised) -> None:
    initialised("import", str(CORPUS / "bom-utf8-comma.csv"), *IMPORT, "--kommun", "1780")
    initialised("import", str(CORPUS / "windows-1252-semicolon.csv"), *IMPORT, "--kommun", "1780")
    old, new = ImportBatch.objects.order_by("started_at")
    assert (old.status, old.replaced_by_id) == ("replaced", new.pk)
    assert new.status == "imported"
    assert len(stored_records(old)) == 3  # history kept


def test_identity_numbers_are_never_stored_in_clear(initialised, tmp_path) -> None:
    initialised("import", str(CORPUS / "identity-numbers-only.xlsx"), *IMPORT, "--kommun", "1780")
    stored = [(r.raw, r.values, r.decisions, r.pseudonym) for r in stored_records()]
    text = repr(stored) + repr(list(ImportBatch.objects.values_list("report", flat=True)))
    assert not re.search(r"\d{6}[-+ ]?\d{4}", text)
    (first, second) = stored
    assert first[1]["kon"] == "flicka"  # 20100304-2387: the ninth digit, 8, is even
    assert first[1]["alder"] == 13  # born 2010-03-04, referred 2023-05-01
    assert first[3]
    assert first[3] != second[3]


def test_an_identity_number_in_any_column_is_masked_before_its_value_is_decided(
    initialised, tmp_path
) -> None:
    """A number written into a reason or a referral type reaches no decision, report,
    review item or export in clear: values are decided from the masked cells."""
    (tmp_path / "1780-kommentarer.csv").write_text(
        "Kön;Aktualiseringstyp;Orsak;Åtgärd\n"
        "F;Anmälan;Våld mot barnet 20100304-2387;Utredning inleds\n"
        "F;Anmälan 100304-2387;Skolproblem;Utredning inleds\n"
        "P;Ansökan;Xyzzy 1003042387;Utredning inleds ej\n",
        "utf-8",
    )
    result = initialised("import", str(tmp_path), *IMPORT, "--rapport")
    export = tmp_path / "export.csv"
    initialised("export", "--study", "aktualiseringar", "--output", str(export))
    stored = [(r.raw, r.values, r.decisions) for r in stored_records()]
    reports = list(ImportBatch.objects.values_list("report", flat=True))
    review = list(ReviewItem.objects.values_list("raw_key", "raw_example"))
    text = repr(stored) + repr(reports) + repr(review) + result.out + export.read_text("utf-8")
    assert not re.search(r"\d{6}[-+ ]?\d{4}", text)
    assert stored[0][1]["orsaker"] == ["vald_mot_barn"]  # still decided
    assert stored[2][2]["orsaker"]["method"] == "pending"  # and the unknown one queued
    assert review


def test_the_same_child_gets_the_same_pseudonym_across_files_and_formats(
    initialised, tmp_path
) -> None:
    deliveries = (("a.csv", "20100304-2387", "0114"), ("b.csv", "1003042387", "1780"))
    for name, number, unit in deliveries:
        (tmp_path / name).write_text(
            f"Personnummer;Typ;Åtgärd\n{number};Anmälan;Ny utredning\n", "utf-8"
        )
        initialised("import", str(tmp_path / name), *IMPORT, "--kommun", unit)
    assert len({r.pseudonym for r in stored_records()}) == 1


def test_dry_run_stores_nothing(initialised) -> None:
    result = initialised(
        "import", str(CORPUS / "latin1-tab.txt"), *IMPORT, "--kommun", "1780", "--dry-run"
    )
    assert "provläst" in result.out
    assert not RecordBlock.objects.exists()
    assert not ImportBatch.objects.exists()


def test_an_unknown_unit_is_a_clear_error(initialised, tmp_path) -> None:
    path = tmp_path / "export_2023.csv"
    shutil.copy(CORPUS / "bom-utf8-comma.csv", path)
    result = initialised("import", str(path), *IMPORT)
    assert "Ingen kommun eller stadsdel känns igen i filnamnet ('export_2023')" in result.out


TITLED = (
    "{title};;;\nAktualiseringar barn och unga 2023-01-01 - 2023-12-31, uttag 2024-02-05;;;\n;;;\n"
    "Kön;Ålder;Aktualiseringstyp;Åtgärd\nF;4;Anmälan;Inleds ej utredning\n"
    "M;15;Ansökan;Utredning inleds\n"
)


def test_a_file_whose_name_names_no_unit_is_of_the_unit_its_title_names(
    initialised, tmp_path
) -> None:
    path = tmp_path / "BoU_aktualiseringar_helar2023.csv"
    path.write_text(TITLED.format(title="Lekebergs kommun - Socialförvaltningen, IFO"), "utf-8")
    result = initialised("import", str(path), *IMPORT)
    assert result.exit_code == 0, result.out
    batch = ImportBatch.objects.get()
    assert (batch.unit.code, batch.rows_imported) == ("1814", 2)


def test_a_title_naming_two_units_names_none(initialised, tmp_path) -> None:
    path = tmp_path / "export_2023.csv"
    path.write_text(TITLED.format(title="Samverkan Lekeberg och Örebro"), "utf-8")
    result = initialised("import", str(path), *IMPORT)
    assert "Ingen kommun eller stadsdel känns igen i filnamnet ('export_2023')" in result.out
    assert not ImportBatch.objects.filter(rows_imported__gt=0).exists()


def test_the_report_lists_each_raw_value_with_what_it_became(initialised, tmp_path) -> None:
    """Including values that are falsy in Python: age 0 is the code "0", not nothing."""
    path = tmp_path / "Karlstad 2023.csv"
    path.write_text("Kön;Ålder;Åtgärd\nF;0 år;Ny utredning\nP;0 år;Ny utredning\n", "utf-8")
    shown = initialised("import", str(path), *IMPORT, "--rapport")
    values = ImportBatch.objects.get().report["värden"]
    assert values["alder"] == [{"rått": "0 år", "kod": "0", "metod": "exact", "antal": 2}]
    assert "Metod: exact = stavningen finns i kodboken" in shown.out
    assert {v["rått"]: v["kod"] for v in values["kon"]} == {"F": "flicka", "P": "pojke"}


def test_undecided_values_wait_in_the_review_queue(initialised, tmp_path) -> None:
    path = tmp_path / "Karlstad 2023.csv"
    path.write_text(
        "Kön;Orsak;Åtgärd\nF;Nätkontakt;Ny utredning\nP;Nätkontakt;Ny utredning\n", "utf-8"
    )
    initialised("import", str(path), *IMPORT)
    item = ReviewItem.objects.get()
    assert (item.variable, item.raw_example, item.occurrences, item.units) == (
        "orsaker",
        "Nätkontakt",
        2,
        ["1780"],
    )
    assert sum(r.pending_review for r in stored_records()) == 2


@pytest.mark.parametrize("format_", [w.format for w in writers(ROWS) if w.neutralises])
def test_export_neutralises_formulas(initialised, tmp_path, format_) -> None:
    """Every text a spreadsheet would run (= + - @ and a tab first) gets an apostrophe."""
    path = tmp_path / "Karlstad 2023.csv"
    starts = ['=HYPERLINK("http://x")', "+46 Anmälan", "-1 Skolk", "@Skolk", "\tSkolk"]
    lines = [f"F;{reason};Ny utredning" for reason in starts]
    path.write_text("Kön;Orsak;Åtgärd\n" + "\n".join(lines) + "\n", "utf-8")
    initialised("import", str(path), *IMPORT)
    output = tmp_path / f"ut.{format_}"
    arguments = ("--study", "aktualiseringar", "--format", format_, "--output", str(output))
    assert initialised("export", *arguments).exit_code == 0
    if format_ == "csv":
        exported = pl.read_csv(output, infer_schema_length=0)
    else:
        exported = pl.read_excel(output, engine="calamine", infer_schema_length=0)
    assert exported["orsaker_original"].to_list() == ["'" + start for start in starts]


@pytest.mark.slow
def test_export_of_a_synthetic_set_matches_its_facit(initialised, tmp_path) -> None:
    result = write_referral_exports(tmp_path / "filer", seed=21, unit_count=12, rows=1500)
    facit_path = result.facit.rename(tmp_path / "facit.csv")
    outcome = initialised("import", str(tmp_path / "filer"), *IMPORT)
    assert outcome.exit_code == 0, outcome.out
    for format_ in formats(ROWS):
        initialised(
            "export",
            "--study",
            "aktualiseringar",
            "--format",
            format_,
            "--output",
            str(tmp_path / f"ut.{format_}"),
        )
    export = pl.read_csv(tmp_path / "ut.csv", infer_schema_length=0).with_columns(
        pl.col("flik").fill_null("")
    )
    facit = pl.read_csv(facit_path, infer_schema_length=0).fill_null("")
    joined = facit.join(export, on=["fil", "flik", "rad"], how="inner", suffix="_ut")
    assert joined.height == facit.height == export.height
    for column in ("kommunkod", "aktualiseringstyp", "atgard", "atgardsgrupp"):
        assert (joined[column] == joined[f"{column}_ut"]).all(), column
    sex = joined.filter(pl.col("kon_ut").is_not_null())
    assert (sex["kon"] == sex["kon_ut"]).all()
    assert sex.height == joined.height
    reasons = joined.filter((pl.col("orsaker") != "") & pl.col("granskning").is_null())
    assert (reasons["orsaker"] == reasons["orsaker_ut"]).all()
    assert pl.read_parquet(tmp_path / "ut.parquet").height == facit.height


def test_a_review_decision_makes_a_version_and_reharmonises(initialised, tmp_path) -> None:
    path = tmp_path / "Karlstad 2023.csv"
    path.write_text(
        "Kön;Orsak;Åtgärd\nF;Nätkontakt;Ny utredning\nP;Nätkontakt, Skolk;Ny utredning\n", "utf-8"
    )
    initialised("import", str(path), *IMPORT)
    assert initialised("review").out.count("Nätkontakt") == 1
    decisions = tmp_path / "beslut.csv"
    decisions.write_text(
        "rått värde;variabel;kod;omfattning\nNätkontakt;orsaker;sexuellt_vald;nationell\n", "utf-8"
    )
    first = CodebookVersion.objects.get().number  # the shipped file's
    result = initialised("review", "--decisions", str(decisions))
    assert f"kodbok v{first + 1}, 2 poster omharmoniserade" in result.out
    values = sorted(tuple(r.values["orsaker"]) for r in stored_records())
    assert values == [("sexuellt_vald",), ("sexuellt_vald", "skolproblem")]
    assert not any(r.pending_review for r in stored_records())
    assert ReviewItem.objects.get().status == "decided"
    assert AuditEntry.objects.filter(action="review.decide").count() == 1


def test_a_decision_passes_over_records_stored_before_the_variable_was_defined(
    initialised, tmp_path
) -> None:
    """A block stored before a variable joined the study's dictionary has no columns for it:
    a decision on that variable leaves it as it is."""
    path = tmp_path / "Karlstad 2023.csv"
    path.write_text("Kön;Orsak;Åtgärd\nF;Nätkontakt;Ny utredning\n", "utf-8")
    initialised("import", str(path), *IMPORT)
    block = RecordBlock.objects.get()
    older = blocks.decode(bytes(block.data)).drop(
        "value:orsaker", "method:orsaker", "confidence:orsaker", "source:orsaker"
    )
    block.data = blocks.encode(older)
    block.save()
    decisions = tmp_path / "beslut.csv"
    decisions.write_text("rått värde,variabel,kod\nNätkontakt,orsaker,sexuellt_vald\n", "utf-8")
    result = initialised("review", "--decisions", str(decisions))
    assert result.exit_code == 0, result.err
    assert "0 poster omharmoniserade" in result.out
    block.refresh_from_db()
    assert blocks.decode(bytes(block.data)).equals(older)


def test_a_decision_for_one_unit_leaves_the_others(initialised, tmp_path) -> None:
    for name, sex in (("Karlstad 2023.csv", "F"), ("Arvika 2023.csv", "P")):
        (tmp_path / name).write_text(f"Kön;Orsak;Åtgärd\n{sex};Kategori 7;Ny utredning\n", "utf-8")
        initialised("import", str(tmp_path / name), *IMPORT)
    decisions = tmp_path / "beslut.csv"
    decisions.write_text(
        "raw value,variable,code,scope\nKategori 7,orsaker,skolproblem,1780\n", "utf-8"
    )
    initialised("review", "--decisions", str(decisions))
    by_unit = {r.unit: r.values for r in stored_records()}
    assert by_unit["1780"]["orsaker"] == ["skolproblem"]
    assert by_unit["1784"]["orsaker"] == []


def test_a_decision_with_an_unknown_code_is_refused(initialised, tmp_path) -> None:
    decisions = tmp_path / "beslut.csv"
    decisions.write_text("rått värde,variabel,kod\nX,orsaker,finns_inte\n", "utf-8")
    result = initialised("review", "--decisions", str(decisions))
    assert result.exit_code == 1
    assert "beslut.csv, rad 2: Koden 'finns_inte' finns inte för orsaker" in result.err


def test_analysts_decide_in_the_web_admin_too(
    initialised, tmp_path, client, django_user_model
) -> None:
    path = tmp_path / "Karlstad 2023.csv"
    path.write_text("Kön;Orsak;Åtgärd\nF;Nätkontakt;Ny utredning\n", "utf-8")
    initialised("import", str(path), *IMPORT)
    item = ReviewItem.objects.get()
    analyst = django_user_model.objects.create_superuser(
        "analytiker", "a@example.se", "lösenord-som-är-långt"
    )
    client.force_login(analyst)  # a password session alone does not open the workspace
    assert client.get("/admin/intake/reviewitem/").status_code == 302
    client.logout()
    log_in_with_code(client, analyst, "lösenord-som-är-långt")
    response = client.post(
        "/admin/intake/reviewitem/",
        {"action": "accept_first_suggestion", "_selected_action": [item.pk]},
        follow=True,
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.status == "decided"
    (record,) = stored_records()
    assert record.values["orsaker"] == [item.decision.code]
    assert AuditEntry.objects.get(action="review.decide").actor_label == "analytiker"


SURVEY_HEADER = "enkat_id,kommunkod,kon,alder,bakgrund,tidigare_utredd,anledningar,diagnos,insats\n"


def test_a_survey_file_with_many_municipalities_makes_one_batch_each(initialised, tmp_path) -> None:
    path = tmp_path / "enkat.csv"
    path.write_text(
        SURVEY_HEADER
        + "1,1780,flicka,14,svensk,1,familjekonflikt|skolproblem,adhd|autism,1\n"
        + "2,1784,pojke,3,utlandsk,0,vald_mot_barn,ingen,0\n"
        + "3,1780,pojke,9,okand,ja,skolproblem,ingen,nej\n",
        "utf-8",
    )
    result = initialised(
        "import",
        str(path),
        "--study",
        "avslutade_utredningar",
        "--period",
        "2023-10-01--2024-03-31",
    )
    assert result.exit_code == 0, result.out
    assert ImportBatch.objects.filter(status="imported").count() == 2
    by_row = {r.row_number: r for r in stored_records()}
    assert by_row[2].unit == "1780"
    assert by_row[3].unit == "1784"
    assert by_row[2].values["anledningar"] == ["familjekonflikt", "skolproblem"]
    assert by_row[2].values["diagnos"] == ["adhd", "autism"]
    assert (by_row[2].values["tidigare_utredd"], by_row[2].values["insats"]) == (True, True)
    assert by_row[2].values["aldersgrupp"] == "12-14"
    assert (by_row[4].values["tidigare_utredd"], by_row[4].values["insats"]) == (True, False)
    assert "bakgrund" not in by_row[4].values  # "okand" is no category of bakgrund
    batch = ImportBatch.objects.get(unit__code="1780")
    assert batch.report["flaggor"] == {"okänt värde i bakgrund: 'okand'": 1}


def test_values_of_any_study_can_be_reviewed(initialised, tmp_path) -> None:
    path = tmp_path / "enkat.csv"
    path.write_text(
        SURVEY_HEADER + "1,1780,flicka,14,svensk,1,Nätkontakt|skolproblem,ingen,1\n", "utf-8"
    )
    initialised(
        "import",
        str(path),
        "--study",
        "avslutade_utredningar",
        "--period",
        "2023-10-01--2024-03-31",
    )
    decisions = tmp_path / "beslut.csv"
    decisions.write_text("rått värde,variabel,kod\nNätkontakt,anledningar,sexuellt_vald\n", "utf-8")
    result = initialised(
        "review", "--study", "avslutade_utredningar", "--decisions", str(decisions)
    )
    assert "1 poster omharmoniserade" in result.out, result.err
    (record,) = stored_records()
    assert record.values["anledningar"] == ["sexuellt_vald", "skolproblem"]
    assert not record.pending_review


def test_only_codebook_variables_are_reviewed(initialised, tmp_path) -> None:
    decisions = tmp_path / "beslut.csv"
    decisions.write_text("rått värde,variabel,kod\nokand,bakgrund,svensk\n", "utf-8")
    result = initialised(
        "review", "--study", "avslutade_utredningar", "--decisions", str(decisions)
    )
    assert result.exit_code == 1
    assert "Variabeln 'bakgrund' granskas inte mot kodboken" in result.err


def stored_state() -> tuple[list[tuple[object, ...]], list[object]]:
    """Every record and batch report, in a stable order, without database ids or times."""
    records = [
        (r.unit, r.file, r.sheet, r.row_number, r.raw, r.values, r.decisions, r.pending_review,
         r.pseudonym)
        for r in stored_records()
    ]  # fmt: skip
    reports = ImportBatch.objects.order_by("file_name", "unit__code").values_list(
        "report", flat=True
    )
    return list(records), list(reports)


def test_files_interpreted_in_worker_processes_are_stored_as_in_one_process(
    initialised, tmp_path
) -> None:
    """The worker processes (`NUSO_IMPORT_WORKERS`) change how fast, never what is stored."""
    result = write_referral_exports(tmp_path / "filer", seed=5, unit_count=6, rows=600)
    folder = result.facit.parent / "exporter"
    shutil.copy(CORPUS / "corrupt-not-a-zip.xlsx", folder / "arvika-1784-skadad.xlsx")
    states = []
    for workers in (1, 2):
        outcomes = import_paths(
            [folder], study_slug="aktualiseringar", period="2023", actor=ACTOR, workers=workers
        )
        assert [o.status for o in outcomes].count("fel") == 1
        assert [o.file for o in outcomes] == sorted(p.name for p in folder.iterdir())
        states.append(stored_state())
        ImportBatch.objects.update(replaced_by=None)
        RecordBlock.objects.all().delete()
        ImportBatch.objects.all().delete()
    in_one_process, in_workers = states
    assert len(in_one_process[0]) == 600
    assert in_workers == in_one_process


def test_in_one_run_with_workers_a_later_file_replaces_and_a_copy_adds_nothing(
    initialised, tmp_path
) -> None:
    """Files are stored in file order whatever worker finishes first: the later delivery for
    a unit replaces the earlier one, and the same content under another name is one file."""
    shutil.copy(CORPUS / "bom-utf8-comma.csv", tmp_path / "1780-a-first.csv")
    shutil.copy(CORPUS / "windows-1252-semicolon.csv", tmp_path / "1780-b-corrected.csv")
    shutil.copy(CORPUS / "windows-1252-semicolon.csv", tmp_path / "1780-c-copy.csv")
    outcomes = import_paths(
        [tmp_path], study_slug="aktualiseringar", period="2023", actor=ACTOR, workers=2
    )
    assert [o.status for o in outcomes] == ["inläst", "inläst", "redan inläst"]
    first, corrected = ImportBatch.objects.order_by("file_name")
    assert (first.status, first.replaced_by_id) == ("replaced", corrected.pk)
    assert corrected.status == "imported"
    assert len(stored_records()) == 6


def test_review_suggestions_are_the_harmonisers_made_at_import_or_anew(
    initialised, tmp_path
) -> None:
    """The queue takes an item's suggestions from the import's report while the code book it
    was made under is in force, and asks the harmoniser again once a decision changed it."""
    path = tmp_path / "Karlstad 2023.csv"
    path.write_text("Kön;Orsak;Åtgärd\nF;Nätkontakt;Ny utredning\nP;Kategori 7;Ny utredning\n")
    initialised("import", str(path), *IMPORT)

    def fresh(raw: str) -> list[list[object]]:
        harmoniser = Harmoniser(codebook_of(latest_version()), learned_mappings(None))
        return [[code, score] for code, score in harmoniser.decide("orsak", raw).suggestions]

    def queued(raw: str) -> list[list[object]]:
        item = ReviewItem.objects.get(raw_example=raw)
        return [[s["code"], s["score"]] for s in item.suggestions]

    made_at_import = ImportBatch.objects.get().report["förslag"]["orsaker"]["Nätkontakt"]
    assert queued("Nätkontakt") == made_at_import == fresh("Nätkontakt") != []
    decisions = tmp_path / "beslut.csv"
    decisions.write_text("raw value,variable,code\nKategori 7,orsaker,skolproblem\n", "utf-8")
    initialised("review", "--decisions", str(decisions))  # code book v2: the model learns
    refresh_review_queue(Study.objects.get(slug="aktualiseringar"))
    assert queued("Nätkontakt") == fresh("Nätkontakt") != []
    assert fresh("Nätkontakt") != made_at_import  # the decision changed them: not the stale ones


def test_a_later_import_applies_a_units_own_decision_to_that_unit_only(
    initialised, tmp_path
) -> None:
    decisions = tmp_path / "beslut.csv"
    decisions.write_text(
        "raw value,variable,code,scope\nKategori 7,orsaker,skolproblem,1780\n", "utf-8"
    )
    initialised("review", "--decisions", str(decisions))
    folder = tmp_path / "filer"
    folder.mkdir()
    for name, sex in (("Karlstad 2023.csv", "F"), ("Arvika 2023.csv", "P")):
        (folder / name).write_text(f"Kön;Orsak;Åtgärd\n{sex};Kategori 7;Ny utredning\n", "utf-8")
    outcomes = import_paths([folder], study_slug="aktualiseringar", period="2023", actor=ACTOR)
    assert [o.status for o in outcomes] == ["inläst", "inläst"]
    by_unit = {r.unit: r.values for r in stored_records()}
    assert by_unit["1780"]["orsaker"] == ["skolproblem"]
    assert by_unit["1784"]["orsaker"] == []
    assert ReviewItem.objects.get(status="pending").units == ["1784"]
