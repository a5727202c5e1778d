"""Results over time from stored registrations: a decision and its closing, delivered in
different periods, are paired by the child's keyed pseudonym when the tables of the closing's
period are computed."""

from __future__ import annotations

import html

import fastexcel
import polars as pl
from pptx import Presentation

from nuso.accounts.models import User
from nuso.analysis.data import study_input
from nuso.core.analysis.indicators import guidance
from nuso.core.intake.personal_numbers import luhn_digit
from nuso.studies.models import Study
from nuso.units.models import Unit

from .conftest import log_in_with_code, make_user

HEADER = "kommunkod;personnummer;tillfalle;beslutsdatum;avslutsdatum;insatstyp;riskbedomning"


def identity(serial: int) -> str:
    nine = f"120304{serial:03d}"
    return f"20{nine[:6]}-{nine[6:]}{luhn_digit(nine)}"


def test_a_closing_is_paired_with_its_decision_of_an_earlier_period(nuso, tmp_path) -> None:
    assert nuso("init").exit_code == 0
    children = [identity(n) for n in range(1, 7)]
    decisions = [f"1780;{c};beslut;2023-02-01;;hvb;hog" for c in children]
    closings = [
        f"1780;{c};avslut;2023-02-01;2024-03-01;hvb;{risk}"
        for c, risk in zip(children, ["ingen_lag", "hog", "mycket_hog", "hog", "hog", "ej_kant"],
                           strict=True)
    ]  # fmt: skip
    closings.append(f"1780;{identity(99)};avslut;2023-02-01;2024-03-01;hvb;ingen_lag")
    for period, rows in (("2023", decisions), ("2024", closings)):
        path = tmp_path / f"insatser {period}.csv"
        path.write_text("\n".join([HEADER, *rows]) + "\n", "utf-8")
        result = nuso("import", str(path), "--study", "insatsuppfoljning", "--period", period)
        assert result.exit_code == 0, result.out + result.err
    study = Study.objects.get(slug="insatsuppfoljning")
    frame = study_input(study, "2024").frame
    assert set(frame["period"]) == {"2024"}
    assert frame.filter(pl.col("tillfalle") == "avslut")["riskforandring"].to_list() == [
        "lagre", "oforandrad", "hogre", "oforandrad", "oforandrad", None, None
    ]  # fmt: skip
    assert "pseudonym" not in frame.columns


UNITS = ("1780", "1880", "0380", "1283", "0180")  # Karlstad first
CHANGES = (("hog", "nagot_forhojd"), ("hog", "hog"), ("nagot_forhojd", "mycket_hog"))
COLUMNS = f"{HEADER};samtal_med_barnet;maluppfyllelse"
NEW_TABLES = {
    "riskforandring": "Risk vid avslut jämfört med vid beslut",
    "enskilt_samtal_per_kon": "Enskilt samtal med barnet vid beslut, uppföljning och avslut, "
    "per kön",
    "maluppfyllelse_per_insatstyp": "Måluppfyllelse vid avslut per insatstyp",
    "tid_till_avslut": "Tid från beslut till avslut",
}


def registrations(unit: int) -> dict[str, list[str]]:
    """Forty interventions of a unit: decided in 2023, closed in 2024 with the risk lower,
    unchanged or higher by turns."""
    rows: dict[str, list[str]] = {"2023": [], "2024": []}
    for n in range(40):
        child, kind = identity(100 + 40 * unit + n), ("hvb", "kontaktperson")[n % 2]
        before, after = CHANGES[n % 3]
        code, goals = UNITS[unit], ("helt", "delvis", "inte")[n % 3]
        rows["2023"].append(f"{code};{child};beslut;2023-02-01;;{kind};{before};enskilt;")
        rows["2024"].append(f"{code};{child};avslut;2023-02-01;2024-0{1 + n % 9}-01;{kind};"
                            f"{after};inget;{goals}")  # fmt: skip
    return rows


def test_results_over_time_show_on_the_dashboard_in_downloads_and_decks(
    nuso, tmp_path, client
) -> None:
    assert nuso("init").exit_code == 0
    for period in ("2023", "2024"):
        rows = [row for unit in range(len(UNITS)) for row in registrations(unit)[period]]
        path = tmp_path / f"insatser {period}.csv"
        path.write_text("\n".join([COLUMNS, *rows]) + "\n", "utf-8")
        result = nuso("import", str(path), "--study", "insatsuppfoljning", "--period", period)
        assert result.exit_code == 0, result.out + result.err

    workbook = tmp_path / "tabeller.xlsx"
    result = nuso("tables", "--study", "insatsuppfoljning", "--kommun", "1780", "--format",
                  "xlsx", "--output", str(workbook))  # fmt: skip
    assert result.exit_code == 0, result.err
    assert set(NEW_TABLES) <= set(fastexcel.read_excel(workbook).sheet_names)

    result = nuso("report", "--study", "insatsuppfoljning", "--kommun", "1780",
                  "--output", str(tmp_path / "ut"))  # fmt: skip
    assert result.exit_code == 0, result.err
    (deck,) = (tmp_path / "ut").glob("*.pptx")
    texts = {shape.text_frame.text for slide in Presentation(str(deck)).slides
             for shape in slide.shapes if shape.has_text_frame}  # fmt: skip
    assert all(any(title in text for text in texts) for title in NEW_TABLES.values())

    user = make_user("karlstad", User.Role.MUNICIPAL, [Unit.objects.get(code="1780")])
    log_in_with_code(client, user, "ett långt lösenord 42")
    page = client.get("/portal/enhet/1780/insatsuppfoljning/?period=2024").content.decode()
    for title in NEW_TABLES.values():
        assert html.escape(title) in page, title
    lower = sum(CHANGES[n % 3] == CHANGES[0] for n in range(40)) / 40
    assert (
        "I Karlstad var risken vid avslutet lägre i förhållande till beslutet för "
        f"{guidance.percent(lower)} av insatserna, jämfört med"
    ) in html.unescape(page)
