"""The API's callers: a case system's key for Karlstad's follow-up registrations, and a client
that posts JSON with it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from tests.conftest import identity_number

CHILD = identity_number(dt.date(2015, 4, 9), 237)  # a boy: 10 at the decision below
SISTER = identity_number(dt.date(2013, 6, 1), 242)  # a girl: 12 at it
RECORDS = "/api/v1/studier/insatsuppfoljning/enheter/1780/poster"


def decision(client_id: str, child: str = CHILD, **answers: Any) -> dict[str, Any]:
    made = {
        "id": client_id, "personnummer": child, "tillfalle": "beslut",
        "beslutsdatum": "2026-03-02", "alder": 10, "ursprung": "svenskfodd",
        "ensamkommande": False, "utsatthet_hemmet": ["fysiskt_vald", "Familjekonflikt"],
        "riskbedomning": "hog", "insatstyp": "kontaktfamilj", "sip": "ja",
    }  # fmt: skip
    return {**made, **answers}


def closing(client_id: str, child: str = CHILD, **answers: Any) -> dict[str, Any]:
    made = {
        "id": client_id, "personnummer": child, "tillfalle": "avslut",
        "avslutsdatum": "2026-09-30", "riskbedomning": "nagot_forhojd",
        "maluppfyllelse": "delvis",
    }  # fmt: skip
    return {**made, **answers}


@pytest.fixture
def key(follow_up) -> str:
    from nuso.audit.services import Actor
    from nuso.collection.tokens import create_token

    made = create_token(
        "Karlstads verksamhetssystem", [follow_up["unit"]], [follow_up["study"]],
        Actor.command_line(),
    )  # fmt: skip
    return made.key


class Caller:
    def __init__(self, client: Any, key: str) -> None:
        self.client, self.key = client, key

    def post(self, body: Any, address: str = RECORDS, key: str | None = None) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(address, data=data, content_type="application/json",
                                HTTP_AUTHORIZATION=f"Bearer {key or self.key}")  # fmt: skip

    def get(self, address: str, key: str | None = None) -> Any:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key or self.key}"} if key != "" else {}
        return self.client.get(address, **headers)


@pytest.fixture
def api(client, key) -> Caller:
    return Caller(client, key)
