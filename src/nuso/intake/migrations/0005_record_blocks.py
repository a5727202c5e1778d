"""Records move from a table row each (with three JSON documents) to column-wise blocks, one
per sheet of a batch (decision 0011). Every stored record is carried over, both ways."""

import itertools
from typing import Any

import django.db.models.deletion
import polars as pl
from django.db import migrations, models

from nuso.core.harmonise.dictionary import StudyDictionary, dictionary_from_stored
from nuso.core.intake import blocks

BATCH_SIZE = 2_000


def frame_of(records: list[Any], dictionary: StudyDictionary, versions: dict[int, int]) -> Any:
    """Records of one sheet (in row order) as a block frame."""
    columns: dict[str, list[Any]] = {
        blocks.ROW: [r.row_number for r in records],
        blocks.PSEUDONYM: [r.pseudonym or None for r in records],
        blocks.PENDING: [r.pending_review for r in records],
        blocks.CODEBOOK: [versions.get(r.codebook_version_id) for r in records],
    }
    for name in blocks.value_types(dictionary):
        columns[blocks.VALUE + name] = [r.values.get(name) for r in records]
    for variable in dictionary.variables:
        decisions = [r.decisions.get(variable.name) or {} for r in records]
        columns[blocks.METHOD + variable.name] = [d.get("method") for d in decisions]
        columns[blocks.CONFIDENCE + variable.name] = [d.get("confidence") for d in decisions]
        columns[blocks.SOURCE + variable.name] = [d.get("raw") for d in decisions]
    headers = dict.fromkeys(header for r in records for header in r.raw)
    for header in headers:
        columns[blocks.CELL + header] = [r.raw.get(header) for r in records]
    schema = blocks.schema(dictionary) | {blocks.CELL + h: pl.String() for h in headers}
    return pl.DataFrame(columns, schema=schema)


def blocks_from_records(apps: Any, schema_editor: Any) -> None:
    batch_model = apps.get_model("intake", "ImportBatch")
    record_model = apps.get_model("intake", "Record")
    block_model = apps.get_model("intake", "RecordBlock")
    versions = dict(
        apps.get_model("studies", "CodebookVersion").objects.values_list("pk", "number")
    )
    for batch in batch_model.objects.select_related("study").iterator():
        dictionary = dictionary_from_stored(batch.study.dictionary)
        records = record_model.objects.filter(batch=batch).order_by("sheet", "row_number")
        for sheet, group in itertools.groupby(records.iterator(), key=lambda r: r.sheet):
            rows = list(group)
            block_model.objects.create(
                batch=batch,
                sheet=sheet,
                rows=len(rows),
                pending=sum(1 for r in rows if r.pending_review),
                data=blocks.encode(frame_of(rows, dictionary, versions)),
            )


def records_from_blocks(apps: Any, schema_editor: Any) -> None:
    block_model = apps.get_model("intake", "RecordBlock")
    record_model = apps.get_model("intake", "Record")
    versions = dict(
        apps.get_model("studies", "CodebookVersion").objects.values_list("number", "pk")
    )
    for block in block_model.objects.select_related("batch__study").iterator():
        batch = block.batch
        dictionary = dictionary_from_stored(batch.study.dictionary)
        frame = blocks.decode(bytes(block.data))
        record_model.objects.bulk_create(
            (
                record_model(
                    batch=batch, study_id=batch.study_id, unit_id=batch.unit_id,
                    period=batch.period, source_file=batch.file_name, sheet=block.sheet,
                    row_number=row[blocks.ROW], pseudonym=row[blocks.PSEUDONYM] or "",
                    pending_review=row[blocks.PENDING],
                    codebook_version_id=versions.get(row[blocks.CODEBOOK]),
                    **documents(row, dictionary),
                )
                for row in frame.iter_rows(named=True)
            ),
            batch_size=BATCH_SIZE,
        )  # fmt: skip


def documents(row: dict[str, Any], dictionary: StudyDictionary) -> dict[str, dict[str, Any]]:
    """A block row's raw cells, values and decisions as the record's JSON documents."""
    values = {
        name: row[blocks.VALUE + name]
        for name in blocks.value_types(dictionary)
        if row[blocks.VALUE + name] is not None
    }
    decisions = {
        v.name: {
            "method": row[blocks.METHOD + v.name],
            "confidence": row[blocks.CONFIDENCE + v.name],
            "raw": row[blocks.SOURCE + v.name],
        }
        for v in dictionary.variables
        if row[blocks.METHOD + v.name] is not None
    }
    raw = {
        name.removeprefix(blocks.CELL): value
        for name, value in row.items()
        if name.startswith(blocks.CELL)
    }
    return {"raw": raw, "values": values, "decisions": decisions}


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_records_constrained_by_batch"),
        ("studies", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecordBlock",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sheet", models.CharField(blank=True, max_length=100, verbose_name="flik")),
                ("rows", models.PositiveIntegerField(verbose_name="poster")),
                (
                    "pending",
                    models.PositiveIntegerField(default=0, verbose_name="poster att granska"),
                ),
                ("layout", models.PositiveSmallIntegerField(default=1, verbose_name="format")),
                ("data", models.BinaryField(verbose_name="poster (Arrow IPC)")),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="blocks",
                        to="intake.importbatch",
                    ),
                ),
            ],
            options={
                "verbose_name": "postblock",
                "verbose_name_plural": "postblock",
                "constraints": [
                    models.UniqueConstraint(fields=("batch", "sheet"), name="one_block_per_sheet")
                ],
            },
        ),
        migrations.RunPython(blocks_from_records, records_from_blocks),
        migrations.DeleteModel(name="Record"),
    ]
