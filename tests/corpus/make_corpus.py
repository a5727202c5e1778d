"""Writes the corpus of small messy files, each named after the defect it shows.

Run from the repository root: .venv/bin/python tests/corpus/make_corpus.py
The files are committed; this script says how each was made. Identity numbers are synthetic.
"""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path

import xlsxwriter
import xlwt

HERE = Path(__file__).parent
HEADER = ["Kön", "Ålder", "Aktualiseringstyp", "Orsak", "Åtgärd"]
ROWS = [
    ["F", 15, "Anmälan", "Skolproblem", "Utredning inleds"],
    ["P", 3, "B/U Ansökan", "Missbruk, förälder", "Utredning inleds ej"],
    ["f", 12, "Egen iakttagelse", "Våld mot barn", "Påförs pågående utredning"],
]


def text(rows: list[list[object]], delimiter: str) -> str:
    return "\r\n".join(delimiter.join(str(c) for c in row) for row in rows) + "\r\n"


def xlsx(
    name: str, sheets: dict[str, list[list[object]]], first_row: int = 0, first_col: int = 0
) -> None:
    workbook = xlsxwriter.Workbook(str(HERE / name))
    workbook.set_properties({"created": dt.datetime(2024, 1, 15)})
    for sheet, rows in sheets.items():
        worksheet = workbook.add_worksheet(sheet)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell is not None:
                    worksheet.write(first_row + r, first_col + c, cell)
    workbook.close()


def unknown_headers() -> list[list[object]]:
    """A case system's own report: its headers are in no dictionary, its content says what
    each column is (dates of one year, birth dates over many, spellings of the national
    codes), and two columns (a case number, a worker) are nothing of the study's."""
    types = ["Anmälan enl 14 kap 1 § SoL", "Ansökan", "Övrig information", "Anmälan (polis)"]
    actions = ["Utredning inleds (11:1 SoL)", "Ingen utredning inleds", "Pågående utredning"]
    rows: list[list[object]] = [
        ["Rapport: inkomna aktualiseringar"],
        [],
        [
            *("Ärende", "Reg.dag", "Uppgift", "Kön", "Väg in", "Orsak"),
            *("Vidare hantering", "Handläggare"),
        ],
    ]
    for i in range(12):
        rows.append(
            [
                f"A-{4711 + i * 37}",
                (dt.date(2023, 1, 9) + dt.timedelta(days=29 * i)).isoformat(),
                (dt.date(2006, 3, 1) + dt.timedelta(days=401 * i)).isoformat(),
                "FP"[i % 2],
                types[i % len(types)],
                ROWS[i % len(ROWS)][3],
                actions[i % len(actions)],
                f"Handläggare {'ABCDEFGHIJKL'[i]}",
            ]
        )
    return rows


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SECTOR = 512
FREE, END_OF_CHAIN, FAT_SECTOR, NO_ENTRY = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole_container(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (MS-CFB version 3): sector 0 the allocation table, sector 1
    the directory, then the streams (4096 bytes or more each: none is in a mini stream)."""
    table, body, entries = [FAT_SECTOR, END_OF_CHAIN], b"", []
    for name, content in streams.items():
        assert len(content) >= 4096, "a smaller stream belongs in the mini stream"
        padded = content.ljust(-(-len(content) // SECTOR) * SECTOR, b"\0")
        start, count = 2 + len(body) // SECTOR, len(padded) // SECTOR
        table += [*range(start + 1, start + count), END_OF_CHAIN]
        entries.append((name, start, len(content)))
        body += padded
    header = struct.pack(
        "<8s16s5H6s9I", OLE_MAGIC, b"", 0x3E, 3, 0xFFFE, 9, 6, b"", 0, 1, 1, 0, 4096,
        END_OF_CHAIN, 0, END_OF_CHAIN, 0,
    ) + struct.pack("<109I", 0, *[FREE] * 108)  # fmt: skip
    directory = directory_entry("Root Entry", 5, NO_ENTRY, 1 if entries else NO_ENTRY, 0, 0)
    for number, (name, start, size) in enumerate(entries, start=1):
        following = number + 1 if number < len(entries) else NO_ENTRY
        directory += directory_entry(name, 2, following, NO_ENTRY, start, size)
    directory = directory.ljust(SECTOR, b"\0")
    allocation = struct.pack(f"<{SECTOR // 4}I", *table, *[FREE] * (SECTOR // 4 - len(table)))
    return header + allocation + directory + body


def directory_entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, NO_ENTRY, right, child, b"", 0, 0,
        0, start, size,
    )  # fmt: skip


def encrypted_workbook() -> bytes:
    """What Office makes of an .xlsx saved with a password: the encrypted package inside an
    OLE container, beside the description of its encryption (here, both filled with noise)."""
    return ole_container(
        {"EncryptionInfo": b"\x04\x00\x04\x00" * 1024, "EncryptedPackage": b"\x5a" * 5000}
    )


def main() -> None:
    (HERE / "bom-utf8-comma.csv").write_bytes(
        b"\xef\xbb\xbf"
        + text([HEADER, *ROWS], ",").replace("Missbruk, förälder", '"Missbruk, förälder"').encode()
    )
    (HERE / "windows-1252-semicolon.csv").write_bytes(text([HEADER, *ROWS], ";").encode("cp1252"))
    (HERE / "latin1-tab.txt").write_bytes(text([HEADER, *ROWS], "\t").encode("latin-1"))
    (HERE / "utf8-no-bom-pipe.csv").write_bytes(text([HEADER, *ROWS], "|").encode())
    (HERE / "blank-rows-and-total.csv").write_bytes(
        text([HEADER, ROWS[0], [], ROWS[1], ROWS[2], ["Totalt", 3]], ";").encode()
    )
    xlsx(
        "title-rows-and-total-row.xlsx",
        {
            "Aktualiseringar": [
                ["Aktualiseringar 2023"],
                ["Utsökt 2024-01-15"],
                [],
                HEADER,
                *ROWS,
                ["Summa", 3],
            ]
        },
    )
    xlsx(
        "leading-empty-rows-and-columns.xlsx", {"Blad1": [HEADER, *ROWS]}, first_row=2, first_col=1
    )
    xlsx(
        "several-sheets-and-a-summary.xlsx",
        {
            "Sammanställning": [["Typ", "Antal"], ["Anmälan", 2]],
            "Kv1": [HEADER, ROWS[0]],
            "Kv2": [HEADER, ROWS[1], ROWS[2]],
        },
    )
    xlsx(
        "sex-column-with-unhelpful-header.xlsx",
        {
            "Data": [
                ["Grupp", "Ålder", "Typ", "Åtgärd"],
                *[[r[0], r[1], r[2], r[4]] for r in ROWS * 3],
            ]
        },
    )
    xlsx(
        "reasons-in-several-columns.xlsx",
        {
            "Data": [
                ["Kön", "Ålder", "Typ", "Orsak 1", "Orsak 2", "Åtgärd"],
                ["F", 15, "Anmälan", "Skolk", "Självskadebeteende", "Ny utredning"],
                ["P", 9, "Anmälan", "Våld mot barn", None, "Ingen utredning"],
            ]
        },
    )
    xlsx(
        "identity-numbers-only.xlsx",
        {
            "Data": [
                ["Personnummer", "Datum", "Typ", "Åtgärd"],
                ["20100304-2387", dt.date(2023, 5, 1).isoformat(), "Anmälan", "Utredning inleds"],
                ["121212-1212", "2023-06-01", "Anmälan", "Ej utredning"],
            ]
        },
    )
    xlsx("headers-the-dictionary-does-not-know.xlsx", {"Rapport": unknown_headers()})
    xlsx("not-this-study.xlsx", {"Budget": [["Konto", "Belopp"], ["4010", 1000]]})
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Export")
    for r, row in enumerate([["Aktualiseringar"], [], HEADER, *ROWS]):
        for c, cell in enumerate(row):
            sheet.write(r, c, cell)
    workbook.save(str(HERE / "legacy-excel-97.xls"))
    (HERE / "encrypted-password-protected.xlsx").write_bytes(encrypted_workbook())
    (HERE / "corrupt-not-a-zip.xlsx").write_bytes(b"this is not a spreadsheet")
    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "free-text-not-a-table.txt").write_bytes(
        "Hej!\r\nHär kommer filen ni bad om.\r\nMvh Anna\r\n".encode()
    )


if __name__ == "__main__":
    main()
