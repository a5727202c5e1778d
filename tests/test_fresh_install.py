"""A new user's first steps, as separate processes on an empty embedded data directory."""

from __future__ import annotations

import stat


def test_first_command_creates_everything_by_itself(nuso_process) -> None:
    result = nuso_process("reference", "list", "--format", "csv")
    assert result.exit_code == 0, result.err
    assert len(result.out.strip().splitlines()) == 291  # header + 290 municipalities
    data_dir = nuso_process.data_dir
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "pseudonym_key").stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / "nuso.sqlite3").stat().st_mode) == 0o600


def test_init_init_list(nuso_process) -> None:
    first = nuso_process("init")
    second = nuso_process("init")
    listing = nuso_process("reference", "list", "--format", "csv")
    assert first.exit_code == second.exit_code == listing.exit_code == 0
    assert "313 nya kommuner och stadsdelar i Sverige, 357 kommuner i Norge" in first.out
    assert "0 nya kommuner" in second.out
    assert listing.out.count("\n") == 291


def test_a_bad_setting_stops_start_up_with_its_name(nuso_process) -> None:
    result = nuso_process("init", NUSO_DEBUG="kanske")
    assert result.exit_code == 2
    assert "NUSO_DEBUG='kanske'" in result.err
    assert "Traceback" not in result.err


def test_help_needs_no_data_directory(nuso_process) -> None:
    result = nuso_process("reference", "--help")
    assert result.exit_code == 0
    assert "användning: nuso reference" in result.out
    assert not nuso_process.data_dir.exists()
