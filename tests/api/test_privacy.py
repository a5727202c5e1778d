"""Identity numbers sent to the API are pseudonymised as they arrive: none is in any table,
the audit log, a record block or an answer, wherever in a record it was sent."""

from __future__ import annotations

import json

import pytest
from django.apps import apps

from nuso.core.intake import blocks
from nuso.intake.models import RecordBlock
from tests.api.conftest import CHILD, SISTER, closing, decision

NUMBERS = (CHILD, SISTER)


def forms_of(number: str) -> set[str]:
    digits = number.replace("-", "")
    return {number, digits, digits[2:], f"{digits[2:8]}-{digits[8:]}"}


def everything_stored() -> str:
    """Every row of every table as text, and every record block decoded."""
    parts = []
    for model in apps.get_models():
        rows = list(model.objects.values())
        parts.append(json.dumps(rows, default=str, ensure_ascii=False))
    for block in RecordBlock.objects.all():
        parts.append(blocks.decode(bytes(block.data)).write_ndjson())
    return "\n".join(parts)


@pytest.mark.django_db
def test_identity_numbers_appear_nowhere(api, follow_up) -> None:
    child_digits = CHILD.replace("-", "")
    answers = [
        api.post({"poster": [
            decision("b-1"),
            closing("a-1", beslutsdatum="2026-03-02"),
            decision("b-2", child=SISTER, alder=12, riskbedomning=f"hog {SISTER}"),  # refused
            decision("b-3", anteckning=f"pnr {child_digits}"),  # an unknown field: refused
            decision(f"ärende {CHILD}"),  # an id holding a number: refused, never kept
            decision("b-4", personnummer=CHILD[:-1] + "0"),  # a wrong check digit
            {"id": "b-5", CHILD: "som fältnamn"},
        ]}),
        api.post(decision("b-1", riskbedomning="ingen_lag")),  # a correction
        api.get("/api/v1/nyckel"),
    ]  # fmt: skip
    body = answers[0].json()
    assert [o["status"] for o in body["poster"]] == ["ny", "ny"] + ["avvisad"] * 5
    echoed = [e["varde"] for o in body["poster"] for e in o.get("fel", []) if e["varde"]]
    assert any("[pnr:" in value for value in echoed)  # masked, and shown to be
    stored = everything_stored()
    for number in NUMBERS:
        for form in forms_of(number):
            assert form not in stored, form
            for response in answers:
                assert form not in response.content.decode(), form
