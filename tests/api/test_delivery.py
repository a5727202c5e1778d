"""The unit's delivery grows by blocks: a call rewrites the blocks holding what it changed and
appends the rest; values the harmonisation cannot decide wait in the review queue."""

from __future__ import annotations

import datetime as dt

import pytest

from nuso.collection import delivery
from nuso.intake.models import ImportBatch, RecordBlock, ReviewItem
from nuso.intake.record_frames import record_frame
from tests.api.conftest import decision
from tests.conftest import identity_number


def children(count: int) -> list[str]:
    return [identity_number(dt.date(2015, 4, 9), 200 + 2 * at + 1) for at in range(count)]


@pytest.mark.django_db
def test_a_call_writes_only_the_blocks_it_changes(api, follow_up, monkeypatch) -> None:
    monkeypatch.setattr(delivery, "BLOCK_ROWS", 2)
    numbers = children(4)
    api.post({"poster": [decision(f"b-{at}", child=numbers[at]) for at in range(3)]})
    sheets = dict(RecordBlock.objects.values_list("sheet", "rows"))
    assert sheets == {"registreringar": 2, "registreringar 2": 1}
    first = RecordBlock.objects.get(sheet="registreringar")
    api.post(decision("b-3", child=numbers[3]))
    assert dict(RecordBlock.objects.values_list("sheet", "rows")) == {
        "registreringar": 2, "registreringar 2": 2,
    }  # fmt: skip
    assert bytes(RecordBlock.objects.get(sheet="registreringar").data) == bytes(first.data)
    api.post(decision("b-0", child=numbers[0], riskbedomning="ingen_lag"))  # a correction
    frame = record_frame(follow_up["study"]).sort("row")
    assert frame["value:riskbedomning"].to_list() == ["ingen_lag", "hog", "hog", "hog"]
    batch = ImportBatch.objects.get(status="imported")
    assert batch.rows_imported == 4


@pytest.mark.django_db
def test_a_form_submission_after_the_api_keeps_every_record(api, follow_up) -> None:
    from nuso.collection import services

    api.post({"poster": [decision("b-1")]})
    worker = follow_up["worker"]
    draft = services.start(worker, follow_up["study"], "1780", "beslut")
    answers = {k: v for k, v in decision("x").items() if k not in ("id", "personnummer")}
    answers.pop("tillfalle")
    answers |= {"ensamkommande": "nej", "utsatthet_hemmet": ["fysiskt_vald"], "alder": "12"}
    services.save_draft(draft, worker, answers, identity=identity_number(dt.date(2014, 2, 1), 301))
    outcome = services.submit(draft, worker)
    assert outcome.done, (outcome.errors, outcome.missing)
    assert record_frame(follow_up["study"]).height == 2


@pytest.mark.django_db
def test_a_value_the_codebook_cannot_decide_waits_for_review(api, follow_up) -> None:
    response = api.post(decision("b-1", kon="qzxv wrtp"))
    outcome = response.json()["poster"][0]
    assert (outcome["status"], outcome["granskas"]) == ("ny", True)
    batch = ImportBatch.objects.get(status="imported")
    assert batch.rows_pending_review == 1
    item = ReviewItem.objects.get(study=follow_up["study"], variable="kon")
    assert item.raw_example == "qzxv wrtp"
    api.post(decision("b-1", kon="pojke"))  # corrected: nothing waits any more
    assert not ReviewItem.objects.filter(status="pending").exists()
