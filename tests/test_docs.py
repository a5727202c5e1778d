"""Documentation that must stay true: every setting is in docs/settings.md."""

from __future__ import annotations

import re
from pathlib import Path

from nuso.config import SETTINGS

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
