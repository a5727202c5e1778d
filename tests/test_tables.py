"""`nuso tables` as analysts and municipal managers meet it: the files, their levels and
columns, figures that agree with the exported records, and disclosure control."""

from __future__ import annotations

import json
import zipfile

import fastexcel
import polars as pl
import pytest

from nuso.audit.models import AuditEntry
from nuso.core import whole_files

from .conftest import import_synthetic_referrals

SPEC_COLUMNS = ["tabell", "niva", "enhet", "period"]
RESULT = ["antal", "total", "andel", "ki_lag", "ki_hog", "jamforelse", "p_varde", "signifikant",
          "undertryckt"]  # fmt: skip


@pytest.fixture
def imported(nuso, tmp_path):
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=5, units=10, rows=4000)
    nuso("export", "--study", "aktualiseringar", "--output", str(tmp_path / "rader.csv"))
    return nuso, pl.read_csv(tmp_path / "rader.csv", infer_schema_length=0)


def tables(nuso, tmp_path, *args: str, name: str = "ut.csv") -> pl.DataFrame:
    result = nuso("tables", "--study", "aktualiseringar", "--output", str(tmp_path / name), *args)
    assert result.exit_code == 0, result.err
    codes = dict.fromkeys(("enhet", "jamforelse", "period", "alder"), pl.String)
    return pl.read_csv(tmp_path / name, infer_schema_length=None, schema_overrides=codes)


def test_national_tables_have_every_level_and_agree_with_the_records(imported, tmp_path) -> None:
    nuso, records = imported
    frame = tables(nuso, tmp_path)
    assert frame.columns[:4] == SPEC_COLUMNS
    assert set(RESULT) <= set(frame.columns)
    per_reason = frame.filter(pl.col("tabell") == "utredning_per_orsak")
    assert set(per_reason["niva"]) == {"kommungrupp", "storleksgrupp", "lan", "riket"}
    # the national figures, counted independently from the exported rows, in the analysts'
    # tables (which of them disclosure control hides is tested in tests/core)
    frame = tables(nuso, tmp_path, "--unsuppressed", name="analytiker.csv")
    per_reason = frame.filter(pl.col("tabell") == "utredning_per_orsak")
    known = records.filter(pl.col("atgardsgrupp").is_not_null())
    nation = frame.filter(
        pl.col("tabell") == "utredning", pl.col("niva") == "riket", pl.col("jamforelse").is_null()
    ).row(0, named=True)
    assert nation["total"] == known.height
    assert nation["antal"] == known.filter(pl.col("atgardsgrupp") == "utredning").height
    violence = known.filter(pl.col("orsaker").str.split("|").list.contains("vald_mot_barn"))
    row = per_reason.filter(pl.col("niva") == "riket", pl.col("orsaker") == "vald_mot_barn",
                            pl.col("jamforelse").is_null())  # fmt: skip
    assert row["total"].item() == violence.height


def test_a_municipality_gets_its_comparisons_with_guidance(imported, tmp_path) -> None:
    nuso, records = imported
    code = records["kommunkod"].value_counts(sort=True)["kommunkod"][0]
    frame = tables(nuso, tmp_path, "--kommun", code)
    mine = frame.filter(pl.col("tabell") == "utredning_per_orsak")
    assert set(mine.filter(pl.col("jamforelse").is_null())["niva"]) == {"kommun", "lan", "riket"}
    assert set(mine.filter(pl.col("jamforelse").is_not_null())["niva"]) <= {
        "kommungrupp",
        "storleksgrupp",
        "riket",
    }
    assert set(frame.filter(pl.col("niva") == "kommun")["enhet"]) == {code}
    sentences = frame.filter(pl.col("tabell") == "utredning", pl.col("niva") == "riket",
                             pl.col("jamforelse") == code)["vagledning"]  # fmt: skip
    assert sentences[0].startswith("I ")
    assert "av aktualiseringarna till utredning, jämfört med" in sentences[0]


def test_nothing_between_one_and_four_reaches_municipal_users(imported, tmp_path) -> None:
    nuso, records = imported
    for args in ([], ["--kommun", records["kommunkod"][0]]):
        frame = tables(nuso, tmp_path, *args)
        for column in ("antal", "total"):
            assert not frame[column].drop_nulls().is_between(1, 4).any()
        assert frame.filter(pl.col("undertryckt"))["andel"].is_null().all()


def test_analysts_get_unsuppressed_tables_and_it_is_logged(imported, tmp_path) -> None:
    nuso, _ = imported
    frame = tables(nuso, tmp_path, "--unsuppressed")
    assert "kommun" in set(frame["niva"])
    assert frame["undertryckt"].sum() == 0
    entry = AuditEntry.objects.filter(action="tables.write").latest("id")
    assert entry.details["unsuppressed"] is True


def test_excel_has_a_sheet_per_table_with_swedish_headings(imported, tmp_path) -> None:
    nuso, _ = imported
    result = nuso("tables", "--study", "aktualiseringar", "--output", str(tmp_path / "t.xlsx"))
    assert result.exit_code == 0, result.err
    book = fastexcel.read_excel(tmp_path / "t.xlsx")
    assert "utredning_per_orsak" in book.sheet_names
    sheet = book.load_sheet("utredning_per_orsak", header_row=1).to_polars()
    assert {"Nivå", "Enhet", "Aktualiseringsorsaker", "Andel", "Undertryckt"} <= set(sheet.columns)
    assert "Barnets psykiska hälsa" in set(sheet["Aktualiseringsorsaker"].cast(pl.String))
    with zipfile.ZipFile(tmp_path / "t.xlsx") as archive:
        assert 'ySplit="2"' in archive.read("xl/worksheets/sheet1.xml").decode()


def test_json_lists_the_tables(imported, tmp_path) -> None:
    nuso, _ = imported
    nuso("tables", "--study", "aktualiseringar", "--output", str(tmp_path / "t.json"))
    document = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    names = [table["namn"] for table in document["tabeller"]]
    assert "utredning_per_orsak" in names
    assert document["undertryckning"] == {"minsta_antal": 5}


def test_unknown_study_and_unit_are_clear_errors(imported, tmp_path) -> None:
    nuso, _ = imported
    out = str(tmp_path / "x.csv")
    result = nuso("tables", "--study", "okänd", "--output", out)
    assert result.exit_code == 1
    assert "Okänd delstudie 'okänd'" in result.err
    result = nuso("tables", "--study", "aktualiseringar", "--kommun", "Karlstd", "--output", out)
    assert "Menade du Karlstad" in result.err


def test_warm_up_computes_the_tables_before_the_first_visitor(imported) -> None:
    from nuso.analysis import service
    from nuso.analysis.store import TablesKind

    service._cache.clear()
    assert service.warm_up() == ["aktualiseringar"]
    assert [key.kind for key in service._cache] == [
        TablesKind("aktualiseringar", None, 5),
        TablesKind("aktualiseringar", None, None),  # the analysts' national view, unsuppressed
    ]


def test_tables_are_computed_once_for_every_process(imported, monkeypatch) -> None:
    """A second process (here: this one with its memory cleared) reads the tables the first
    computed from the shared store; new data makes them be computed again, and the old file
    goes."""
    from nuso.analysis import service, store
    from nuso.studies.models import Study

    study = Study.objects.get(slug="aktualiseringar")
    service._cache.clear()
    store.clear()  # what earlier tests in this process stored
    first = service.study_tables(study)
    files = sorted(store.folder().glob("aktualiseringar-*.pickle"))
    assert len(files) == 1

    def must_not_compute(*args, **kwargs):
        raise AssertionError("computed again although the store holds the tables")

    service._cache.clear()
    monkeypatch.setattr(service, "compute", must_not_compute)
    again = service.study_tables(study)
    assert again.tables.keys() == first.tables.keys()
    for name, rows in first.tables.items():
        assert again.tables[name].equals(rows)

    monkeypatch.undo()
    study.save()  # new definitions: another data version
    service._cache.clear()
    service.study_tables(study)
    assert sorted(store.folder().glob("aktualiseringar-*.pickle")) != files
    assert len(list(store.folder().glob("aktualiseringar-*.pickle"))) == 1


def test_processes_wanting_the_same_tables_wait_for_one_computation(tmp_path) -> None:
    """The lock is a file lock: threads with their own file handles block each other as
    processes do. Four at once compute once; a damaged file is computed again."""
    import threading
    import time

    from nuso.analysis import store
    from nuso.core.analysis.indicators.engine import Results
    from nuso.core.analysis.indicators.inputs import StudyInput

    calls = []

    def compute() -> Results:
        calls.append(1)
        time.sleep(0.3)
        source = StudyInput((), pl.DataFrame(), {}, {}, {}, frozenset())
        return Results({"t": pl.DataFrame({"a": [1]})}, {}, None, source)

    kind, version = store.TablesKind("lås-test", None, 5), ("v1",)
    threads = [
        threading.Thread(target=store.shared, args=(kind, version, compute)) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    store.path_of(kind, version).write_bytes(b"not a pickle")
    assert store.shared(kind, version, compute).tables["t"]["a"].to_list() == [1]
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)  # the background thread has its own connection
def test_after_new_data_the_portal_shows_the_earlier_tables_until_the_current_are_ready(
    nuso, tmp_path, settings
) -> None:
    import threading

    from nuso.analysis import service
    from nuso.core.synth.referral_exports import write_referral_exports
    from nuso.studies.models import Study

    settings.NUSO_TABLES_IN_BACKGROUND = True
    import_synthetic_referrals(nuso, tmp_path / "2023", seed=5, units=6, rows=2000)
    study = Study.objects.get(slug="aktualiseringar")
    service._cache.clear()
    shown = service.portal_tables(study)
    first, stale = shown.results, shown.stale
    assert (first.periods, stale) == (["2023"], False)  # nothing earlier to show: computed
    later = write_referral_exports(tmp_path / "2024", seed=5, unit_count=6, rows=2000, year=2024)
    outcome = nuso("import", str(later.files[0].parent), "--study", "aktualiseringar",
                   "--period", "2024")  # fmt: skip
    assert outcome.exit_code == 0, outcome.out
    shown = service.portal_tables(study)
    assert shown.stale
    assert shown.results is first  # at once, while the current tables are computed
    for thread in threading.enumerate():
        if thread.name == "nuso-tables":
            thread.join(timeout=120)
    current = service.portal_tables(study)
    assert (current.results.periods, current.stale) == (["2023", "2024"], False)


def test_the_store_keeps_only_the_current_tables_and_those_being_replaced(
    tmp_path, monkeypatch
) -> None:
    """After a successful switch to new data, a study's folder holds only the tables of the
    current data: not those of earlier data of any kind (the disclosure-controlled or the
    analysts' tables, a period's), nor a half-written file of a writer that died. A reader
    that opened an earlier file before the switch still reads it whole. Another study's
    tables stay, and tables of later data written while this computation waited stay."""
    import os
    import pickle
    import threading

    from nuso.analysis import store
    from nuso.core.analysis.indicators.engine import Results
    from nuso.core.analysis.indicators.inputs import StudyInput

    def results(value: int):
        def compute() -> Results:
            source = StudyInput((), pl.DataFrame(), {}, {}, {}, frozenset())
            return Results({"t": pl.DataFrame({"a": [value] * 1000})}, {}, None, source)

        return compute

    store.clear()
    shown, analysts, period = (store.TablesKind("lagring", None, 5),
                               store.TablesKind("lagring", None, None),
                               store.TablesKind("lagring", "2023", 5))  # fmt: skip
    other_study = store.TablesKind("lagring_2", None, 5)
    for kind in (shown, analysts, period, other_study):
        store.shared(kind, ("v1",), results(1))
    assert len(list(store.folder().iterdir())) == 4 + 2  # and the two studies' lock files

    # a writer dies between writing and renaming (killed by the web server's timeout, say)
    with monkeypatch.context() as dying:
        dying.setattr(whole_files.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("död")))
        dying.setattr(whole_files.os, "unlink", lambda *args: None)
        store.shared(shown, ("v2",), results(2))
    assert list(store.folder().glob("*.tmp"))  # what it left

    reader = store.path_of(shown, ("v1",)).open("rb")  # a reader of the earlier tables
    store.shared(shown, ("v3",), results(3))
    assert pickle.load(reader).tables["t"]["a"][0] == 1  # still reads it whole
    reader.close()
    left = {p.name for p in store.folder().iterdir() if not p.name.endswith(".lock")}
    assert left == {store.path_of(shown, ("v3",)).name, store.path_of(other_study, ("v1",)).name}

    # tables of later data written while a computation of earlier data waited for the lock
    waiting = threading.Thread(target=store.shared, args=(shown, ("v4",), results(4)))
    with store.locked(store.folder() / "lagring.lock"):
        waiting.start()
        threading.Event().wait(0.3)  # the thread now waits for the lock
        later = store.path_of(analysts, ("v5",))
        store.write(later, results(5)())
        os.utime(later)
    waiting.join()
    assert later.exists()
    assert store.path_of(shown, ("v4",)).exists()
    assert not store.path_of(shown, ("v3",)).exists()
    store.clear()
