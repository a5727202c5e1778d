"""The API's OpenAPI document: ninja's, made from the operations, with Swedish descriptions,
the shapes of its answers, and each study's record schema added from its dictionary when the
document is asked for (a study added with `nuso study add` is in it at once)."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, NinjaAPI, Schema
from ninja.openapi.schema import OpenAPISchema

from nuso.collection.ingest import MAX_RECORDS
from nuso.collection.services import dictionary_of
from nuso.core.collection.posted import study_form
from nuso.core.collection.schema import record_schema
from nuso.studies.codebooks import codebook_of, latest_version
from nuso.studies.models import Study

MOST = f"{MAX_RECORDS:,}".replace(",", " ")
DESCRIPTION = (
    "Verksamhetssystem levererar registreringar till NUSO med detta API, post för post eller "
    f"i omgångar om högst {MOST} poster. Varje integration har en egen nyckel som "
    "NUSO:s administratör skapar för vissa enheter och delstudier; den anges i rubriken "
    "`Authorization: Bearer NYCKEL`. Posterna kontrolleras, pseudonymiseras och harmoniseras "
    "precis som filer och webbformulär: personnumret ersätts med en nyckelkodad pseudonym och "
    "sparas aldrig. Se docs/api.md."
)

DELIVER = (
    'Tar emot en post (ett objekt) eller flera (`{"poster": [...]}`) för enheten i '
    "delstudiens öppna insamlingsperiod. Varje post besvaras för sig: en post med fel avvisas "
    "utan att de andra påverkas, och varje fel anger fältet som JSON-pekare, värdet (med "
    "personnummer maskerade) och ett meddelande. Postens `id` gör en ny sändning ofarlig: "
    "samma innehåll lägger inte till något, ändrat innehåll rättar posten så länge perioden "
    "är öppen. En uppföljning eller ett avslut kopplas till registreringen vid beslut för samma "
    "barn och enhet, och till den insats vars uppgifter posten anger (t.ex. beslutsdatum och "
    "insatstyp); finns ingen sparas posten markerad utan beslut. Ett värde som inte kan "
    "harmoniseras automatiskt väntar på granskning och är inget fel. Svaret är 200 när någon "
    "post togs emot och 422 när alla avvisades."
)

EXAMPLE = {
    "poster": [
        {
            "id": "arende-4711-beslut", "personnummer": "19121212-1212",
            "tillfalle": "beslut", "beslutsdatum": "2026-03-02", "alder": 13,
            "ursprung": "svenskfodd", "ensamkommande": False,
            "riskbedomning": "hog", "insatstyp": "kontaktfamilj",
        },
        {
            "id": "arende-4711-avslut", "personnummer": "19121212-1212",
            "tillfalle": "avslut", "avslutsdatum": "2026-09-30", "riskbedomning": "nagot_forhojd",
            "maluppfyllelse": "delvis", "beslutsdatum": "2026-03-02", "insatstyp": "kontaktfamilj",
        },
    ]
}  # fmt: skip

REQUEST_BODY = {
    "required": True,
    "description": (
        f'En post, eller `{{"poster": [...]}}` med 1–{MAX_RECORDS} poster. Varje post följer '
        "delstudiens schema (komponenten `Post_<delstudie>`, eller "
        "`GET /api/v1/studier/{studie}/schema.json`)."
    ),
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Leverans"},
                    {"$ref": "#/components/schemas/Post"},
                ]
            },
            "example": EXAMPLE,
        }
    },
}

RECORD: dict[str, Any] = {
    "type": "object",
    "title": "Post",
    "description": (
        "En post: `id`, `personnummer`, `tillfalle` (om delstudien har tillfällen) och svaren "
        "med frågornas namn som nycklar. Vilka frågor som finns anger delstudiens schema."
    ),
    "required": ["id", "personnummer"],
    "properties": {
        "id": {"type": "string", "description": "Verksamhetssystemets eget id för posten."},
        "personnummer": {"type": "string", "description": "Barnets personnummer."},
    },
    "additionalProperties": True,
}

DELIVERY: dict[str, Any] = {
    "type": "object",
    "title": "Leverans",
    "description": f"Flera poster i ett anrop, högst {MAX_RECORDS}.",
    "required": ["poster"],
    "properties": {
        "poster": {
            "type": "array", "minItems": 1, "maxItems": MAX_RECORDS,
            "items": {"$ref": "#/components/schemas/Post"},
            "description": "Posterna.",
        }
    },
    "additionalProperties": False,
}  # fmt: skip


class FieldError(Schema):
    pekare: str = Field(description="JSON-pekare (RFC 6901) till fältet i det skickade.")
    varde: str | None = Field(
        None, description="Värdet som skickades, med personnummer maskerade; aldrig personnumret."
    )
    meddelande: str = Field(description="Vad som är fel och hur det rättas.")


class Error(Schema):
    status: int = Field(description="HTTP-status.")
    meddelande: str = Field(description="Varför anropet inte togs emot.")
    fel: list[FieldError] = Field(default_factory=list, description="Fel per fält, om några.")


class Key(Schema):
    namn: str = Field(description="Integrationens namn.")
    borjan: str = Field(description="Nyckelns början, som NUSO visar den i listor.")
    enheter: list[str] = Field(description="Enheterna (kommun- eller stadsdelskoder).")
    delstudier: list[str] = Field(description="Delstudierna.")


class RecordOutcome(Schema):
    pekare: str = Field(description="Postens JSON-pekare i anropet (tom för en ensam post).")
    id: str | None = Field(description="Postens id, som det skickades.")
    status: Literal["ny", "rattad", "oforandrad", "avvisad"] = Field(
        description=(
            "ny: sparad; rattad: en tidigare post med samma id har rättats; oforandrad: samma "
            "innehåll som förut, inget ändrat; avvisad: se fel."
        )
    )
    granskas: bool | None = Field(
        None, description="Ett värde väntar på granskning av NUSO:s analytiker."
    )
    beslut: Literal["kopplad", "utan_beslut"] | None = Field(
        None,
        description="För uppföljning och avslut: kopplad till registreringen vid beslut, "
        "eller sparad utan.",
    )
    anmarkning: str | None = Field(None, description="Varför posten inte kunde kopplas.")
    fel: list[FieldError] | None = Field(None, description="Postens fel, om den avvisades.")


class Delivered(Schema):
    delstudie: str = Field(description="Delstudien.")
    enhet: str = Field(description="Enhetens kod.")
    period: str = Field(description="Insamlingsperioden posterna sparades i.")
    mottagna: int = Field(description="Poster i anropet.")
    nya: int = Field(description="Nya poster sparade.")
    rattade: int = Field(description="Tidigare poster rättade.")
    oforandrade: int = Field(description="Poster som redan fanns med samma innehåll.")
    avvisade: int = Field(description="Poster med fel, inte sparade.")
    granskas: int = Field(description="Sparade poster med ett värde som väntar på granskning.")
    poster: list[RecordOutcome] = Field(description="Varje post, i anropets ordning.")


# ninja names each answer by its HTTP reason (in English): these say what it means here.
ANSWERS = {
    "200": "Svaret. För en leverans: anropet är behandlat, se varje post (några kan vara "
    "avvisade).",
    "400": "Anropet är inte giltig JSON, eller inte ett objekt med en post eller en lista "
    "`poster`.",
    "401": "Nyckeln saknas, är okänd eller återkallad.",
    "403": "Nyckeln gäller inte delstudien eller enheten.",
    "404": "Delstudien eller enheten finns inte.",
    "409": "Delstudien har ingen öppen insamlingsperiod.",
    "413": f"Fler än {MOST} poster, eller mer än 32 MB.",
    "415": "Innehållet är inte JSON (Content-Type: application/json).",
    "422": "Anropet är behandlat, och alla poster avvisades: se varje post.",
    "429": "För många anrop med nyckeln den här minuten: vänta så många sekunder som "
    "Retry-After anger.",
}
PARAMETERS = {
    "studie": "Delstudiens kortnamn, t.ex. insatsuppfoljning.",
    "enhet": "Enhetens kod: kommunkod, eller stadsdelens kod.",
}


class Api(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """ninja's document, with the record shapes and each study's record schema."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Post"], components["Leverans"] = RECORD, DELIVERY
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    answer["description"] = ANSWERS.get(str(status), answer["description"])
                for parameter in operation.get("parameters", []):
                    parameter.setdefault("description", PARAMETERS.get(parameter["name"], ""))
        for scheme in schema["components"].get("securitySchemes", {}).values():
            scheme["description"] = "API-nyckeln, i rubriken Authorization: Bearer NYCKEL."
        codebook = codebook_of(latest_version())
        for study in Study.objects.order_by("number"):
            made = record_schema(study_form(dictionary_of(study), codebook), study.slug, study.name)
            made.pop("$schema", None)
            components[f"Post_{study.slug}"] = made
        return schema
