"""The study's JSON Schema and the OpenAPI document: served, Swedish, and valid in structure
(checked by hand: the `jsonschema` package is no dependency of NUSO's)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import closing, decision

TYPES = {"string", "integer", "boolean", "array", "object", "number", "null"}
KEYWORDS = {
    "$schema", "$id", "$ref", "title", "description", "type", "properties", "required",
    "additionalProperties", "allOf", "oneOf", "anyOf", "if", "then", "const", "enum", "items",
    "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems",
    "format", "default", "examples", "example",
}  # fmt: skip


def check_schema(schema: Any, where: str = "#") -> None:
    """What a JSON Schema (2020-12) must be: objects of known keywords, types among JSON's,
    required names listed as properties where properties are given."""
    if isinstance(schema, bool):
        return
    assert isinstance(schema, dict), where
    unknown = set(schema) - KEYWORDS
    assert not unknown, f"{where}: {unknown}"
    kinds = schema.get("type", [])
    assert set([kinds] if isinstance(kinds, str) else kinds) <= TYPES, where
    for name, sub in schema.get("properties", {}).items():
        check_schema(sub, f"{where}/properties/{name}")
    if "properties" in schema and "required" in schema and schema.get("type") == "object":
        assert set(schema["required"]) <= set(schema["properties"]), where
    for word in ("allOf", "oneOf", "anyOf"):
        for at, sub in enumerate(schema.get(word, [])):
            check_schema(sub, f"{where}/{word}/{at}")
    for word in ("items", "if", "then", "additionalProperties"):
        if word in schema:
            check_schema(schema[word], f"{where}/{word}")


def valid(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """The jsonschema package's verdict where it is installed, else none checked."""
    try:
        import jsonschema
    except ImportError:
        return []
    validator = jsonschema.Draft202012Validator(schema)
    return [error.message for error in validator.iter_errors(instance)]


@pytest.mark.django_db
def test_the_study_schema_is_served_from_its_dictionary(client, follow_up) -> None:
    response = client.get("/api/v1/studier/insatsuppfoljning/schema.json")  # no key needed
    assert response.status_code == 200
    schema = response.json()
    check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    properties = schema["properties"]
    assert {"id", "personnummer", "tillfalle", "insatstyp", "maluppfyllelse"} <= set(properties)
    assert all(p.get("description") for p in properties.values())
    assert properties["alder"]["minimum"] == 0
    assert properties["alder"]["maximum"] == 17
    assert {"const": "kontaktfamilj", "title": "Kontaktfamilj"} in properties["insatstyp"]["oneOf"]
    assert "vid beslut" in properties["insatstyp"]["description"]
    assert properties["kon"]["description"].endswith("väntar på granskning.")
    rules = {r["if"]["properties"]["tillfalle"]["const"]: r["then"] for r in schema["allOf"]
             if "tillfalle" in r["if"]["properties"] and len(r["if"]["required"]) == 1}  # fmt: skip
    assert "insatstyp" in rules["beslut"]["required"]
    assert rules["beslut"]["properties"]["maluppfyllelse"] is False
    assert "insatstyp" not in rules["avslut"].get("properties", {})  # a fact it may give
    assert valid(decision("b-1"), schema) == []
    assert valid(closing("a-1", beslutsdatum="2026-03-02"), schema) == []
    assert client.get("/api/v1/studier/finns-inte/schema.json").status_code == 404


@pytest.mark.django_db
def test_the_openapi_document_is_served_in_swedish(client, follow_up) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert "verksamhetssystem" in document["info"]["description"].lower()
    paths = document["paths"]
    post = paths["/api/v1/studier/{studie}/enheter/{enhet}/poster"]["post"]
    assert "JSON-pekare" in post["description"]
    assert {"200", "401", "403", "422", "429"} <= set(post["responses"])
    assert post["security"] == [{"KeyAuth": []}]
    assert "/api/v1/studier/{studie}/schema.json" in paths
    schemas = document["components"]["schemas"]
    for name in ("Post", "Leverans", "Post_insatsuppfoljning", "Post_avslutade_utredningar"):
        check_schema(schemas[name])
    for name in ("Delivered", "Error", "RecordOutcome"):
        fields = schemas[name]["properties"]
        assert all(field.get("description") for field in fields.values()), name
    assert document["components"]["securitySchemes"]["KeyAuth"]["scheme"] == "bearer"
    answers = [a["description"] for o in paths.values() for op in o.values()
               for a in op["responses"].values()]  # fmt: skip
    assert not {"OK", "Not Found", "Unauthorized", "Forbidden"} & set(answers)  # ninja's English
    assert "10 000 poster" in document["info"]["description"]
    assert "Bearer" in document["components"]["securitySchemes"]["KeyAuth"]["description"]
