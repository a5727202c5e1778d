"""Issue 16, item 2, done when: a corpus with identity numbers in every place and written form a
delivery may hold them (file names, sheet names, headers, cells with an en dash, dots or spaces,
numbers a spreadsheet kept as numbers, a unit column, what a user types) is imported by the
command and the portal, exported, downloaded and reported, and then no byte the platform wrote
holds one of its numbers in clear: not the database (its file, and every table dumped), the
stored blocks, the data directory, the log, the command's output, the exports, the portal's
pages and downloads. Each number is searched for with whatever separates its digits taken out,
in its 12- and 10-digit forms and as the number a spreadsheet kept; a Norwegian one (issue 20)
as its eleven digits, and ten for one a spreadsheet kept.
"""

from __future__ import annotations

import logging
import re
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpRequest
from django.test import Client

from nuso.accounts.models import User
from nuso.core.intake import blocks
from nuso.core.outputs.registry import ROWS, TABLES, formats
from nuso.intake.models import ImportBatch, RecordBlock
from nuso.portal.access import ANALYSTS_ONLY
from nuso.units.models import Unit

from .conftest import log_in_with_code, make_user
from .identity_corpus import Numbers, clear_numbers, places, write_corpus
from .written import files_in, texts_in

pytestmark = pytest.mark.slow
STUDY = ("--study", "aktualiseringar")
IMPORT = (*STUDY, "--period", "2023")
PASSWORD = "ett långt lösenord 42"


def test_no_identity_number_is_written_anywhere_in_clear(
    nuso, transactional_db, tmp_path, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    numbers = Numbers(seed=16)
    corpus = write_corpus(tmp_path / "leverans", numbers)
    assert_the_search_finds_every_number_of(corpus, numbers)
    written = imported(nuso, corpus, numbers)
    written |= exported(nuso, tmp_path / "export")
    written |= portal(numbers)
    written |= stored() | database() | dict(files_in(Path(settings.NUSO_DATA_DIR)))
    written |= {f"log {i}": record.getMessage() for i, record in enumerate(caplog.records)}
    leaks = clear_numbers(written, numbers)
    assert not leaks, places(leaks)
    # ... and what was searched is what the corpus made: its rows and pseudonyms.
    assert RecordBlock.objects.filter(batch__unit__name="Hammarö").exists()
    assert RecordBlock.objects.filter(batch__unit__code="1780").count() >= 2
    assert len(set(re.findall(r"\[pnr:[0-9a-f]{16}\]", written["database"]))) >= 20
    assert ImportBatch.objects.filter(status="failed").count() >= 3


def assert_the_search_finds_every_number_of(corpus: Path, numbers: Numbers) -> None:
    """Read as the scan reads what the platform wrote, the corpus holds each of its numbers."""
    found = {form for _, form in clear_numbers(dict(files_in(corpus)), numbers)}
    for number in numbers.given:
        long = f"{number.birth_date.year // 100:02d}{number.ten_digits}"
        as_number = number.ten_digits.lstrip("0")
        assert found & {long, number.ten_digits, as_number}, number
    for norwegian in numbers.norwegian_given:
        assert found & {norwegian, norwegian.lstrip("0")}, norwegian


def imported(nuso: Any, corpus: Path, numbers: Numbers) -> dict[str, str]:
    """The corpus imported as given, read again with a column chosen by hand (its header has a
    number), and with a unit and a period that are numbers; what the command printed."""
    nuso("init")
    runs = {
        "import": nuso("import", str(corpus), *IMPORT, "--rapport"),
        "kolumn": nuso(
            "import", str(corpus), *IMPORT, "--rapport", "--kolumn", f"Anm {numbers.en_dash()}="
        ),
        "kommun": nuso("import", str(corpus), *IMPORT, "--kommun", numbers.spaced()),
        "period": nuso("import", str(corpus), *STUDY, "--period", numbers.dotted()),
    }
    assert runs["import"].exit_code == 1  # the file that cannot be read, and the survey
    assert "Karlstad" in runs["import"].out
    return {f"nuso {name}": run.out + run.err for name, run in runs.items()}


def exported(nuso: Any, folder: Path) -> dict[str, str]:
    folder.mkdir()
    for format_ in formats(ROWS):
        output = str(folder / f"rader.{format_}")
        assert nuso("export", *STUDY, "--format", format_, "--output", output).exit_code == 0
    for format_ in formats(TABLES):
        for unit in ((), ("--kommun", "1780")):
            output = str(folder / f"tabeller{''.join(unit)}.{format_}")
            tables = nuso("tables", *STUDY, *unit, "--format", format_, "--output", output)
            assert tables.exit_code == 0, tables.err
    return dict(files_in(folder))


def portal(numbers: Numbers) -> dict[str, str]:
    """An analyst uploads a file named with a number (and one with a number for the unit and
    one for the period), then reads every page and download; a municipal user reads its own."""
    karlstad = Unit.objects.get(code="1780")
    analyst = log_in(make_user("analytikern", User.Role.ANALYST, []))
    municipal = log_in(make_user("kommunanvandare", User.Role.MUNICIPAL, [karlstad]))
    pages: dict[str, Any] = {}
    content = f"Personnummer;Kön;Åtgärd\n{numbers.en_dash()};F;Ny utredning\n".encode()
    for kommun, period in (("", "2024"), (numbers.plain(), "2024"), ("", numbers.spaced())):
        upload = SimpleUploadedFile(f"Karlstad {numbers.dotted()}.csv", content)
        form = {"filer": upload, "delstudie": "aktualiseringar", "period": period, "kommun": kommun}
        pages[f"upload {kommun} {period}"] = analyst.post("/portal/arbetsyta/las-in/", form)
    paths = ["/portal/arbetsyta/las-in/", "/portal/arbetsyta/inlasningar/",
             "/portal/arbetsyta/granska/", "/portal/riket/aktualiseringar/"]  # fmt: skip
    paths += [
        f"/portal/arbetsyta/inlasningar/{pk}/"
        for pk in ImportBatch.objects.values_list("pk", flat=True)
    ]
    for code in ("1780", "1761"):  # Karlstad, Hammarö
        unit = f"/portal/enhet/{code}/aktualiseringar"
        paths += [f"{unit}/", *(f"{unit}/rader.{f}" for f in formats(ROWS))]
        paths += [f"{unit}/tabeller.{f}" for f in formats(TABLES)]
    paths += [f"/portal/riket/aktualiseringar/rader.{f}" for f in formats(ROWS)]
    for path in paths:
        pages[f"analyst {path}"] = analyst.get(path)
    own = "/portal/enhet/1780/aktualiseringar"
    own_rows = [f"{own}/rader.{f}" for f in formats(ROWS) if f not in ANALYSTS_ONLY]
    for path in (f"{own}/", *own_rows, *(f"{own}/tabeller.{f}" for f in formats(TABLES))):
        pages[f"municipal {path}"] = municipal.get(path)
    assert all(page.status_code in (200, 302) for page in pages.values()), {
        place: page.status_code for place, page in pages.items()
    }
    texts: dict[str, str] = {}
    for place, page in pages.items():
        body = b"".join(page.streaming_content) if page.streaming else page.content
        texts.update(texts_in(place, body))
        texts[f"{place} headers"] = repr(page.headers) + repr(page.cookies)
        if "messages" in page.cookies:  # signed and compressed: read as the portal reads it
            stored = CookieStorage(HttpRequest())._decode(page.cookies["messages"].value)
            texts[f"{place} messages"] = repr([str(message) for message in stored or []])
    return texts


def log_in(user: User) -> Client:
    return log_in_with_code(Client(), user, PASSWORD)


def stored() -> dict[str, str]:
    """The stored blocks decoded: their sheets, column names and every cell."""
    texts = {}
    for block in RecordBlock.objects.all():
        frame = blocks.decode(bytes(block.data))
        texts[f"block {block.pk}"] = f"{block.sheet} {frame.columns} {frame.rows()}"
    return texts


def database() -> dict[str, str]:
    """Every table dumped (sessions decoded), and the database's own files as they are."""
    dumped: list[Any] = []
    sessions = import_module(settings.SESSION_ENGINE).SessionStore()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # the schema's own names
            rows = cursor.fetchall()
            dumped += [(table, row) for row in rows]
            if table == "django_session":  # session_key, session_data, expire_date
                dumped += [sessions.decode(data) for _, data, _ in rows]
    texts = {"database": repr(dumped)}
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        for path in name.parent.glob(f"{name.name}*"):
            texts.update(texts_in(str(path), path.read_bytes()))
    return texts
