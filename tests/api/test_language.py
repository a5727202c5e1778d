"""The API answers in the caller's language: Accept-Language where it sends one, else that of
its key's country; the field names (the contract) stay as they are."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import RECORDS, decision


def post(api, body, language: str | None = None, address: str = RECORDS, key: str | None = None):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    return api.client.post(address, data=json.dumps(body), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {key or api.key}", **headers)  # fmt: skip


@pytest.mark.django_db
def test_a_records_errors_are_in_the_callers_language(api, follow_up) -> None:
    batch = {"poster": [decision("b-1", insatstyp=None), "ingen post"]}
    for language, answer, record in (
        ("nb-NO,nb;q=0.9", "Spørsmålet må besvares.", "En post skal være et JSON-objekt."),
        ("en", "The question needs an answer.", "A record must be a JSON object."),
        (None, "Frågan behöver ett svar.", "En post ska vara ett JSON-objekt."),
    ):
        outcomes = post(api, batch, language).json()["poster"]
        assert outcomes[0]["fel"][0]["meddelande"] == answer
        assert outcomes[1]["fel"][0]["meddelande"] == record
        assert set(outcomes[0]["fel"][0]) == {"pekare", "varde", "meddelande"}


@pytest.mark.django_db
def test_a_refused_call_is_answered_in_the_callers_language(api, follow_up) -> None:
    elsewhere = "/api/v1/studier/insatsuppfoljning/enheter/1281/poster"
    said = {language: post(api, decision("b-1"), language, elsewhere).json()["meddelande"]
            for language in ("nb", "en", "sv")}  # fmt: skip
    assert said == {"nb": "Nøkkelen gjelder ikke enheten 1281.",
                    "en": "The key does not cover the unit 1281.",
                    "sv": "Nyckeln gäller inte enheten 1281."}  # fmt: skip
    unknown = api.client.get("/api/v1/nyckel", HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.json()["meddelande"].startswith("Give the key in the header Authorization")
    not_json = api.client.post(RECORDS, data="{", content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {api.key}",
                               HTTP_ACCEPT_LANGUAGE="nb")  # fmt: skip
    assert not_json.json()["meddelande"] == "Innholdet er ikke gyldig JSON (linje 1, kolonne 2)."


@pytest.mark.django_db
def test_a_norwegian_case_systems_key_is_answered_in_bokmal_by_default(api, follow_up) -> None:
    from nuso.audit.services import Actor
    from nuso.collection.tokens import create_token
    from nuso.units.models import Unit

    norwegian = create_token("Vestvågøys fagsystem", [Unit.objects.get(code="NO-1860")],
                             [follow_up["study"]], Actor.command_line()).key  # fmt: skip
    address = "/api/v1/studier/insatsuppfoljning/enheter/NO-1860/poster"
    refused = post(api, decision("b-1"), None, address, key=norwegian)
    assert refused.status_code == 422
    assert refused.json()["meddelande"] == (
        "Delstudien insatsuppfoljning gjelder ikke enheter i det landet."
    )


@pytest.mark.django_db
def test_norwegian_tags_and_a_refused_norwegian_key_are_answered_in_bokmal(api, follow_up) -> None:
    from nuso.audit.services import Actor
    from nuso.collection.tokens import create_token, revoke_token
    from nuso.units.models import Unit

    elsewhere = "/api/v1/studier/insatsuppfoljning/enheter/1281/poster"
    for tag in ("no", "nn-NO", "da, no;q=0.8"):  # Danish is none of ours: the next one
        said = post(api, decision("b-1"), tag, elsewhere).json()["meddelande"]
        assert said == "Nøkkelen gjelder ikke enheten 1281.", tag
    made = create_token("Vestvågøys fagsystem", [Unit.objects.get(code="NO-1860")],
                        [follow_up["study"]], Actor.command_line())  # fmt: skip
    revoke_token(made.token, Actor.command_line())
    refused = api.client.get("/api/v1/nyckel", HTTP_AUTHORIZATION=f"Bearer {made.key}")
    assert refused.status_code == 401
    assert refused.json()["meddelande"].startswith("Nøkkelen er tilbakekalt")
