"""Results decks (`nuso report`): every number in a unit's deck is one the engine published
for that unit, no suppressed figure is anywhere in the file, the words follow the tests, and
the deck opens and renders in LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import polars as pl
import pytest
from pptx import Presentation

from nuso.accounts.models import User
from nuso.analysis.service import study_tables
from nuso.studies.models import Study
from nuso.units.models import Unit

from .conftest import import_synthetic_referrals, log_in_with_code, make_user

PASSWORD = "ett långt lösenord 42"

NUMBER = re.compile(r"(\d+,\d)\u00a0%")  # as the deck writes percent: a no-break space
COUNT = re.compile(r"(\d+) av (\d+)(?!\))")  # not "(1 av 2)", a part of a chart
C = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}


@pytest.fixture
def deck(nuso, tmp_path):
    """The deck of the unit with the most records in a small synthetic set: its path, code
    and the tables its users see (`for_unit`) and the unsuppressed ones."""
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=5, units=10, rows=4000)
    study = Study.objects.get(slug="aktualiseringar")
    shown = study_tables(study)
    code = shown.source.frame["enhet"].value_counts(sort=True)["enhet"][0]
    result = nuso("report", "--study", "aktualiseringar", "--kommun", code,
                  "--output", str(tmp_path / "ut"))  # fmt: skip
    assert result.exit_code == 0, result.err
    (path,) = (tmp_path / "ut").glob("*.pptx")
    seen = pl.concat(list(shown.for_unit(code).values()), how="diagonal_relaxed")
    hidden = pl.concat(list(study_tables(study, unsuppressed=True).tables.values()),
                       how="diagonal_relaxed")  # fmt: skip
    return path, code, seen, hidden


def chart_values(path: Path, parts: tuple[str, ...] = ("val", "plus", "minus")) -> list[float]:
    """Every value in the deck's charts: bars and points (`val`), and their error bars (not
    the category labels, which may be numbers: ages, periods)."""
    found = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("ppt/charts/chart") and name.endswith(".xml"):
                root = ElementTree.fromstring(archive.read(name))
                for part in parts:
                    found += [float(v.text or "") for v in root.iterfind(f".//c:{part}//c:v", C)]
    return found


def near(values: list[float], known: list[float]) -> list[bool]:
    """Whether each value is one of `known` (to the six decimals a chart keeps)."""
    ordered = np.sort(np.asarray(known, dtype=float))
    at = np.clip(np.searchsorted(ordered, values), 1, len(ordered) - 1)
    gap = np.minimum(abs(ordered[at] - values), abs(ordered[at - 1] - values))
    return list(gap < 2e-6)


def all_text(path: Path) -> list[str]:
    """Every paragraph of the deck: slides, tables and notes."""
    lines = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                lines += [p.text for p in shape.text_frame.paragraphs]
        lines += slide.notes_slide.notes_text_frame.text.split("\n")
    return lines


def test_every_number_in_a_units_deck_is_one_the_engine_published_for_it(deck) -> None:
    path, _, seen, _ = deck
    shares = seen.filter(pl.col("andel").is_not_null())
    published = shares["andel"].to_list()
    intervals = [*(shares["andel"] - shares["ki_lag"]), *(shares["ki_hog"] - shares["andel"])]
    charts = chart_values(path)
    assert len(charts) > 100  # the charts hold the figures
    assert sum(near(charts, published)) > 50
    assert all(near(charts, [*published, *intervals]))
    pairs = set(zip(seen["antal"].to_list(), seen["total"].to_list(), strict=True))
    counts = [(int(a), int(b)) for line in all_text(path) for a, b in COUNT.findall(line)]
    assert len(counts) > 50
    assert all(pair in pairs for pair in counts)
    written = {round(float(n.replace(",", ".")), 1) for line in all_text(path)
               for n in NUMBER.findall(line)}  # fmt: skip
    percents = {round(v * 100, 1) for v in published} | {
        round(v * 100, 1) for v in (*shares["ki_lag"].to_list(), *shares["ki_hog"].to_list())
    }
    assert len(written) > 20
    assert written <= percents


def test_no_suppressed_figure_is_anywhere_in_the_deck(deck) -> None:
    path, _, seen, hidden = deck
    keys = ["tabell", "niva", "enhet", "period", "jamforelse", "steg", "orsaker", "kon",
            "alder", "aldersgrupp", "aktualiseringstyp", "atgard", "atgardsgrupp"]  # fmt: skip
    keys = [k for k in keys if k in seen.columns and k in hidden.columns]
    suppressed = seen.filter(pl.col("undertryckt")).select(keys)
    assert suppressed.height > 0  # the set has small cells, so the test can fail
    truth = hidden.join(suppressed, on=keys, how="semi", nulls_equal=True)
    assert truth.height == suppressed.height
    shown = seen.filter(~pl.col("undertryckt"))
    shown_pairs = set(zip(shown["antal"].to_list(), shown["total"].to_list(), strict=True))
    hidden_pairs = set(zip(truth["antal"].to_list(), truth["total"].to_list(), strict=True))
    counts = {(int(a), int(b)) for line in all_text(path) for a, b in COUNT.findall(line)}
    assert not counts & (hidden_pairs - shown_pairs)
    true_shares = truth["andel"].drop_nulls().to_list()
    also_shown = near(true_shares, shown["andel"].drop_nulls().to_list())
    hidden_shares = [v for v, seen_too in zip(true_shares, also_shown, strict=True) if not seen_too]
    assert hidden_shares
    assert not any(near(chart_values(path, ("val",)), hidden_shares))
    # and no interval drawn around a figure that is not shown
    with zipfile.ZipFile(path) as archive:
        for name in (n for n in archive.namelist() if n.startswith("ppt/charts/chart")):
            for series in ElementTree.fromstring(archive.read(name)).iterfind(".//c:ser", C):
                drawn = {p.get("idx") for p in series.iterfind("c:val//c:pt", C)}
                around = {p.get("idx") for p in series.iterfind("c:errBars//c:pt", C)}
                assert around <= drawn
    assert any("undertryckt" in line for line in all_text(path))  # said, not drawn as zero


def test_higher_or_lower_only_where_the_engine_found_a_significant_difference(deck) -> None:
    path, code, seen, _ = deck
    compared = seen.filter(pl.col("jamforelse") == code)
    lines = all_text(path)
    claims = [line for line in lines if " högre än " in line or " lägre än " in line]
    assert claims  # the set has significant differences, so the rule is exercised
    assert all(line.endswith("skillnaden är statistiskt säkerställd.") for line in claims)
    significant = compared.filter(pl.col("signifikant"))
    said = {round(v * 100, 1) for v in significant["andel"].drop_nulls()}
    for line in claims:  # the reference's share is that of a significant comparison
        reference = re.findall(r"där andelen är (\d+,\d)\u00a0%;", line)[-1]
        assert float(reference.replace(",", ".")) in said, line
    steady = [line for line in lines if "ingen statistiskt säkerställd skillnad" in line]
    assert steady
    assert not any(" högre än " in line or " lägre än " in line for line in steady)


def rendered(path: Path, folder: Path, resolution: int = 20) -> tuple[str, list[Path]]:
    """The deck converted to PDF with LibreOffice and each page to PNG with poppler: the
    PDF's text and the pages, each checked to have something drawn on it."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office, "LibreOffice (soffice) is a test dependency: .ci/run installs it"
    profile = f"-env:UserInstallation=file://{folder / 'lo-profil'}"
    command = [office, profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder)]
    subprocess.run([*command, str(path)], check=True, capture_output=True, timeout=300)
    pdf = folder / f"{path.stem}.pdf"
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(pdf), str(folder / "bild")],
                   check=True)  # fmt: skip
    pages = sorted(folder.glob("bild-*.png"))
    assert len(pages) == len(Presentation(str(path)).slides)
    from PIL import Image

    for page in pages:  # every page has something drawn on it, not a blank slide
        extrema = Image.open(page).convert("L").getextrema()
        assert extrema[0] < 128, page.name
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    return text, pages


def test_the_deck_opens_and_every_slide_renders_in_libreoffice(deck, tmp_path) -> None:
    path, *_ = deck
    text, pages = rendered(path, tmp_path)
    assert len(pages) > 10
    for words in ("Aktualiseringar", "Det här sticker ut", "Om metoden", "95 %"):
        assert words in text


def test_every_unit_with_data_gets_a_deck_and_they_are_zipped(nuso, tmp_path) -> None:
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=5, units=4, rows=1200)
    output = str(tmp_path / "ut")
    result = nuso("report", "--study", "aktualiseringar", "--alla", "--output", output)
    assert result.exit_code == 0, result.err
    decks = sorted((tmp_path / "ut").glob("*.pptx"))
    units = Unit.objects.filter(batches__blocks__isnull=False).distinct()
    counties = {unit.county.code for unit in units}
    assert len(decks) == 4 + len(counties) + 1  # each unit, each county, the nation
    assert (tmp_path / "ut" / "aktualiseringar_riket.pptx") in decks
    with zipfile.ZipFile(tmp_path / "ut" / "aktualiseringar_alla_rapporter.zip") as archive:
        assert sorted(archive.namelist()) == [d.name for d in decks]


def test_a_unit_without_data_is_told_in_swedish(nuso, tmp_path) -> None:
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=5, units=2, rows=400)
    result = nuso("report", "--study", "aktualiseringar", "--kommun", "2584",
                  "--output", str(tmp_path / "ut"))  # fmt: skip
    assert result.exit_code != 0
    assert "Kiruna har inga uppgifter i Aktualiseringar" in result.err
    assert not list((tmp_path / "ut").glob("*.pptx"))


def titles(path: Path) -> list[str]:
    return [s.shapes.title.text for s in Presentation(str(path)).slides if s.shapes.title]


def test_nuso_tables_writes_a_units_deck_and_the_national_deck(nuso, tmp_path) -> None:
    """PowerPoint is a format of the output registry: a unit's tables give its deck, the
    national tables the national deck, which names no unit (they have no unit rows)."""
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=5, units=6, rows=2400)
    study = Study.objects.get(slug="aktualiseringar")
    code = study_tables(study).source.frame["enhet"].value_counts(sort=True)["enhet"][0]
    unit = Unit.objects.get(code=code)
    common = ("tables", "--study", "aktualiseringar", "--format", "pptx", "--output")
    assert nuso(*common, str(tmp_path / "enhet.pptx"), "--kommun", code).exit_code == 0
    assert titles(tmp_path / "enhet.pptx")[0] == f"Aktualiseringar: {unit.name}"
    assert nuso(*common, str(tmp_path / "riket.pptx")).exit_code == 0
    national = titles(tmp_path / "riket.pptx")
    assert national[0] == "Aktualiseringar: riket"
    assert "Åldersgrupp" in national
    assert national[-1] == "Om metoden"
    names = set(Unit.objects.filter(batches__study=study).values_list("name", flat=True))
    assert not any(name in line for line in all_text(tmp_path / "riket.pptx") for name in names)
    # analysts' unsuppressed tables: the units' spread, each unit a point with its figures
    assert nuso(*common, str(tmp_path / "alla.pptx"), "--unsuppressed").exit_code == 0
    deck = Presentation(str(tmp_path / "alla.pptx"))
    spread = [s for s in deck.slides if s.shapes.title.text.endswith("spridning mellan enheter")]
    assert spread
    (chart,) = [shape.chart for shape in spread[0].shapes if shape.has_chart]
    assert [s.name for s in chart.plots[0].series][:-1] == [
        "Övre 95 %-gräns",
        "Riket",
        "Nedre 95 %-gräns",
    ]  # the funnel's lines, then the units' points (drawn on top)
    assert all(any(name in line for line in all_text(tmp_path / "alla.pptx")) for name in names)


def test_a_municipal_user_downloads_the_units_deck_from_the_portal(nuso, tmp_path, client) -> None:
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=9, units=3, rows=1500)
    unit, other = Unit.objects.filter(batches__blocks__isnull=False).distinct().order_by("code")[:2]
    user = make_user("kommunen", User.Role.MUNICIPAL, [unit])
    log_in_with_code(client, user, PASSWORD)
    page = client.get(f"/portal/enhet/{unit.code}/aktualiseringar/").content.decode()
    assert "tabeller.pptx" in page
    assert "PowerPoint" in page
    response = client.get(f"/portal/enhet/{unit.code}/aktualiseringar/tabeller.pptx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    path = tmp_path / "nedladdad.pptx"
    path.write_bytes(b"".join(response.streaming_content))
    assert titles(path)[0] == f"Aktualiseringar: {unit.name}"
    assert (
        client.get(f"/portal/enhet/{other.code}/aktualiseringar/tabeller.pptx").status_code == 404
    )


def test_a_countys_deck_shows_its_units_only_where_none_can_be_worked_out(nuso, tmp_path) -> None:
    """The county against the nation, and its units' spread. With one unit's key figure
    suppressed, the county's total less the units shown would give it (differencing): then no
    unit is shown or named; where none is suppressed, every one is."""
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=5, units=40, rows=3000)
    study = Study.objects.get(slug="aktualiseringar")
    shown = study_tables(study)
    key = shown.tables["utredning"].filter(
        pl.col("niva") == "kommun", pl.col("jamforelse").is_null()
    )
    names = shown.source.names
    cases = {}
    for county in sorted(set(shown.counties.values())):
        units = [u for u, c in shown.counties.items() if c == county]
        hidden = key.filter(pl.col("enhet").is_in(units))["andel"].is_null().any()
        cases.setdefault(hidden, (county, units))
    assert set(cases) == {True, False}  # both kinds of county, so the test can fail
    for hidden, (county, units) in cases.items():
        output = tmp_path / county
        assert nuso("report", "--study", "aktualiseringar", "--lan", county,
                    "--output", str(output)).exit_code == 0  # fmt: skip
        said = " ".join(all_text(output / f"aktualiseringar_{county}.pptx"))
        said = said.replace(names[("lan", county)], "")  # Jönköpings län names no unit
        named = [names[("kommun", u)] for u in units if names[("kommun", u)] in said]
        assert named == ([] if hidden else [names[("kommun", u)] for u in units]), county
        assert ("spridning visas inte" in said) == hidden
        others = set(shown.counties) - set(units)
        assert not any(names[("kommun", code)] in said for code in others)


def test_a_deck_that_cannot_be_made_never_stops_the_others(nuso, tmp_path) -> None:
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=5, units=3, rows=900)
    karlstad = tmp_path / "Karlstad 2024.csv"
    lines = [f"{'FP'[i % 2]};Anmälan;Skolproblem;Utredning inleds" for i in range(40)]
    karlstad.write_text("Kön;Typ;Orsak;Åtgärd\n" + "\n".join(lines) + "\n", "utf-8")
    imported = nuso("import", str(karlstad), "--study", "aktualiseringar", "--period", "2024")
    assert imported.exit_code == 0, imported.out
    output = tmp_path / "ut"
    result = nuso("report", "--study", "aktualiseringar", "--alla", "--period", "2024",
                  "--output", str(output))  # fmt: skip
    assert result.exit_code == 0, result.err
    decks = sorted(p.name for p in output.glob("*.pptx"))
    assert decks == ["aktualiseringar_17.pptx", "aktualiseringar_1780_2024.pptx",
                     "aktualiseringar_riket.pptx"]  # fmt: skip
    assert result.out.count("Ingen rapport:") >= 3  # the other units, and their counties
    assert "inga uppgifter för 2024" in result.out


def test_the_funnels_limits_narrow_with_the_number_of_records() -> None:
    from nuso.reports.tables_deck import funnel_limits

    upper, nation, lower = funnel_limits(0.5, 10_000, "Riket")
    sizes = [cell.total for cell in nation.cells]
    assert sizes == sorted(sizes)
    assert sizes[-1] == 10_000
    assert {cell.share for cell in nation.cells} == {0.5}
    widths = [u.share - lo.share for u, lo in zip(upper.cells, lower.cells, strict=True)]
    assert widths == sorted(widths, reverse=True)  # wider for small units
    assert abs(widths[-1] - 2 * 1.96 * (0.25 / 10_000) ** 0.5) < 1e-12
    assert all(0 <= c.share <= 1 for c in (*upper.cells, *lower.cells))


def test_a_units_deck_in_bokmal_and_the_swedish_one_as_before(nuso, tmp_path) -> None:
    """`--sprak nb` gives the deck's words in bokmål (the nation of a Swedish unit is "hele
    landet", as on the portal); without it the deck is Swedish, with "riket"."""
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=5, units=3, rows=900)
    study = Study.objects.get(slug="aktualiseringar")
    code = study_tables(study).source.frame["enhet"].value_counts(sort=True)["enhet"][0]
    unit = Unit.objects.get(code=code)
    decks = {}
    for language in ("sv", "nb"):
        folder = tmp_path / language
        args = ("--kommun", code, "--sprak", language) if language != "sv" else ("--kommun", code)
        assert nuso("report", "--study", "aktualiseringar", *args,
                    "--output", str(folder)).exit_code == 0  # fmt: skip
        (decks[language],) = folder.glob("*.pptx")
    swedish, bokmal = all_text(decks["sv"]), all_text(decks["nb"])
    assert swedish[1].startswith("Resultat för 2023 jämfört med kommungruppen ")
    assert swedish[1].endswith(f"(utom {unit.name}) och riket")
    assert bokmal[1].startswith("Resultater for 2023 sammenlignet med kommunegruppen ")
    assert bokmal[1].endswith(f"(utenom {unit.name}) og hele landet")
    assert titles(decks["sv"])[-2:] == ["Det här sticker ut", "Om metoden"]
    assert titles(decks["nb"])[-2:] == ["Dette skiller seg ut", "Om metoden"]
    assert any(line.startswith("Andeler vises med 95 % konfidensintervall") for line in bokmal)
    assert any(line.startswith("Andelar visas med 95 % konfidensintervall") for line in swedish)
