"""Documentation that must stay true: every setting is in docs/settings.md."""

from __future__ import annotations

import re
from pathlib import Path

from nuso.config import SETTINGS
from nuso.core.harmonise.codebook import shipped_codebook

SETTINGS_DOC = Path(__file__).resolve().parents[1] / "docs" / "settings.md"
ROW = re.compile(r"^\| `([A-Z_]+)`")


def documented_rows() -> dict[str, str]:
    lines = SETTINGS_DOC.read_text(encoding="utf-8").splitlines()
    return {match[1]: line for line in lines if (match := ROW.match(line))}


def test_every_setting_is_documented_with_its_default() -> None:
    rows = documented_rows()
    assert set(rows) == {setting.name for setting in SETTINGS}
    for setting in SETTINGS:
        assert setting.default in rows[setting.name], f"{setting.name}: default not documented"
        assert ("✱" in rows[setting.name]) == setting.secret, f"{setting.name}: secret mark"


def test_the_comparable_groups_table_is_the_codebooks() -> None:
    """docs/harmonisation.md's table of the Norwegian content groups lists, for each group,
    exactly the SSB codes the codebook puts in it and the Swedish reasons it names."""
    codebook = shipped_codebook()
    text = (SETTINGS_DOC.parent / "harmonisation.md").read_text("utf-8")
    rows = {
        line.split("`")[1]: line
        for line in text.splitlines()
        if line.startswith("| `") and line.count("|") == 6
    }
    for group in codebook.variables["no_saksinnhold_gruppe"].codes:
        cells = rows[group.code].split("|")
        listed = {code.split(" (")[0] for cell in cells[2:5] for code in cell.split(", ")}
        listed = {code.strip() for code in listed} - {"–", ""}
        members = {
            code.code
            for code in codebook.variables["no_saksinnhold"].codes
            if code.attributes["group"] == group.code
        }
        assert listed == members, group.code
        assert cells[5].count("`") == 2 * len(group.attributes["orsak"]), group.code
