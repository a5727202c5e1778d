"""The API's operations (docs/api.md): thin, calling nuso.collection's services. Every answer
is JSON; an error is `{"status", "meddelande", "fel"}` whatever refused the call, and a
delivery answers each record on its own. Messages are made as `said(...)` and answered in
the caller's language (`api_language`): the field names are the contract, the words are not."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from nuso.api import openapi
from nuso.api.limits import count_call
from nuso.audit.models import AuditEntry
from nuso.audit.services import Actor, log
from nuso.collection.ingest import MAX_RECORDS, DeliveryRefusedError, deliver
from nuso.collection.models import ApiToken
from nuso.collection.services import dictionary_of
from nuso.collection.tokens import authenticated
from nuso.core.collection.messages import in_words, message_of, said
from nuso.core.collection.posted import study_form
from nuso.core.collection.schema import record_schema
from nuso.core.countries import COUNTRIES, canonical_key
from nuso.studies.codebooks import codebook_of, latest_version
from nuso.studies.models import Study
from nuso.units.models import Unit

logger = logging.getLogger(__name__)

MAX_BODY = 32 * 1024 * 1024  # bytes: 10 000 records of every question answered fit in it
BATCH = "poster"


class ApiError(Exception):
    """A refused call: its HTTP status and its message, said in Swedish and answered in the
    caller's language."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.retry_after = status, message, retry_after


def answer(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def error(status: int, message: str, retry_after: int | None = None) -> JsonResponse:
    response = answer({"status": status, "meddelande": message, "fel": []}, status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def actor_of(token: ApiToken) -> Actor:
    return Actor(label=f"api:{token.prefix} {token.name}"[:150])


class KeyAuth(HttpBearer):
    """`Authorization: Bearer KEY`: the key's token, unless it is revoked or over its rate."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = authenticated(token.strip())
        request.api_token = found  # type: ignore[attr-defined]  # its refusals' language
        if found is None:
            logger.warning("API: okänd nyckel från %s", request.META.get("REMOTE_ADDR"))
            return None
        if found.revoked_at is not None:
            if not refused_lately(found, 401):  # one entry a minute, however often it calls
                refused(found, request, 401, "återkallad")
            raise ApiError(401, said("Nyckeln är återkallad. Be NUSO:s administratör om en ny."))
        counted = count_call(found)
        if not counted.allowed:
            if counted.first_refused:  # one entry a minute, however hard a client insists
                refused(found, request, 429, "för många anrop")
            message = said(
                "För många anrop: högst {limit} per minut och nyckel. Försök igen om {wait} "
                "sekunder, eller skicka fler poster per anrop.",
                limit=counted.limit, wait=counted.retry_after,
            )  # fmt: skip
            raise ApiError(429, message, retry_after=counted.retry_after)
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        return found


def refused(token: ApiToken, request: HttpRequest, status: int, reason: str) -> None:
    log(actor_of(token), "api.refused", target=token, status=status, reason=reason,
        method=request.method, path=request.path[:200])  # fmt: skip


def refused_lately(token: ApiToken, status: int) -> bool:
    since = timezone.now() - dt.timedelta(minutes=1)
    return AuditEntry.objects.filter(
        action="api.refused", target_type=ApiToken._meta.label, target_id=str(token.pk),
        at__gte=since, details__status=status,
    ).exists()  # fmt: skip


api = openapi.Api(
    title="NUSO – API för verksamhetssystem",
    version="1",
    description=openapi.DESCRIPTION,
    urls_namespace="api",
    docs_url=None,
    auth=KeyAuth(),
)


# Accept-Language's tags, by their primary subtag, as our languages: Norwegian as bokmål
SPOKEN = {"sv": "sv", "nb": "nb", "no": "nb", "nn": "nb", "en": "en"}


def api_language(request: HttpRequest) -> str:
    """The language of the API's messages: the first of the caller's Accept-Language that
    we speak (no, nn and nb as bokmål); else that of the one country of its key's units
    (bokmål for a Norwegian case system), also when the key was refused; else Swedish."""
    from django.conf import settings
    from django.utils.translation.trans_real import parse_accept_lang_header

    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for tag, _ in parse_accept_lang_header(header) if header else ():
        if (language := SPOKEN.get(tag.split("-")[0].lower())) is not None:
            return language
    token = getattr(request, "auth", None) or getattr(request, "api_token", None)
    if isinstance(token, ApiToken):
        countries = set(token.units.values_list("country", flat=True))
        if len(countries) == 1:
            return COUNTRIES[countries.pop()].language
    return str(settings.LANGUAGE_CODE)


def in_callers_words(request: HttpRequest, message: str) -> str:
    with translation.override(api_language(request)):
        return in_words(message, gettext)


@api.exception_handler(ApiError)
def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error(exc.status, in_callers_words(request, exc.message), exc.retry_after)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = said(
        "Ange nyckeln i rubriken Authorization: Bearer NYCKEL (nyckeln är okänd eller saknas)."
    )
    response = error(401, in_callers_words(request, message))
    response["WWW-Authenticate"] = 'Bearer realm="NUSO"'
    return response


@api.get(
    "/studier/{studie}/schema.json",
    auth=None,
    response={200: dict[str, Any], 404: openapi.Error},
    summary="Delstudiens JSON-schema för en post",
    description=(
        "JSON Schema (2020-12) för en post i delstudien, genererat från dess datakatalog: "
        "varje fråga vid varje tillfälle med text, typ, koder, intervall och villkor. Kräver "
        "ingen nyckel."
    ),
    tags=["Delstudier"],
)
def study_schema(request: HttpRequest, studie: str) -> HttpResponse:
    study = Study.objects.filter(slug=studie).first()
    if study is None:
        raise ApiError(404, said("Delstudien finns inte."))
    form = study_form(dictionary_of(study), codebook_of(latest_version()))
    address = request.build_absolute_uri(request.path)
    return answer(record_schema(form, study.slug, study.name, address))


@api.get(
    "/nyckel",
    response={200: openapi.Key, 401: openapi.Error, 429: openapi.Error},
    summary="Vad nyckeln gäller",
    description="Nyckelns namn och de enheter och delstudier den får leverera till.",
    tags=["Nyckeln"],
)
def key_scope(request: HttpRequest) -> HttpResponse:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    log(actor_of(token), "api.call", operation="nyckel", status=200)
    return answer({
        "namn": token.name,
        "borjan": token.prefix,
        "enheter": sorted(token.units.values_list("code", flat=True)),
        "delstudier": sorted(token.studies.values_list("slug", flat=True)),
    })  # fmt: skip


@api.post(
    "/studier/{studie}/enheter/{enhet}/poster",
    response={
        200: openapi.Delivered, 400: openapi.Error, 401: openapi.Error, 403: openapi.Error,
        404: openapi.Error, 409: openapi.Error, 413: openapi.Error, 415: openapi.Error,
        422: openapi.Delivered, 429: openapi.Error,
    },
    summary="Leverera poster",
    description=openapi.DELIVER,
    openapi_extra={"requestBody": openapi.REQUEST_BODY},
    tags=["Poster"],
)  # fmt: skip
def post_records(request: HttpRequest, studie: str, enhet: str) -> HttpResponse:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    study, unit = in_scope(token, request, studie, enhet)
    raws, pointers = records_of(request)
    try:
        delivered = deliver(token, study, unit, raws, pointers, actor_of(token))
    except DeliveryRefusedError as refusal:
        refused(token, request, refusal.status, str(refusal))
        raise ApiError(refusal.status, message_of(refusal)) from refusal
    counts = delivered.counts()
    with translation.override(api_language(request)):
        answers = [outcome.to_json(gettext) for outcome in delivered.outcomes]
    body = {"delstudie": study.slug, "enhet": unit.code, "period": delivered.period, **counts,
            "poster": answers}  # fmt: skip
    return answer(body, 422 if counts["avvisade"] == counts["mottagna"] else 200)


def in_scope(token: ApiToken, request: HttpRequest, slug: str, code: str) -> tuple[Study, Unit]:
    study = Study.objects.filter(slug=slug).first()
    unit = Unit.objects.filter(code=canonical_key(code)).first()
    if study is None or unit is None:
        refused(token, request, 404, "okänd delstudie eller enhet")
        raise ApiError(404, said("Delstudien eller enheten finns inte."))
    if unit.country != study.country:  # a study's figures are one country's
        refused(token, request, 422, f"enheten {unit.code} i annat land än delstudien")
        message = said("Delstudien {study} gäller inte enheter i det landet.", study=study.slug)
        raise ApiError(422, message)
    if not token.studies.filter(pk=study.pk).exists():
        refused(token, request, 403, f"delstudien {study.slug}")
        raise ApiError(403, said("Nyckeln gäller inte delstudien {study}.", study=study.slug))
    if not token.units.filter(pk=unit.pk).exists():
        refused(token, request, 403, f"enheten {unit.code}")
        raise ApiError(403, said("Nyckeln gäller inte enheten {unit}.", unit=unit.code))
    return study, unit


def records_of(request: HttpRequest) -> tuple[list[Any], list[str]]:
    """The posted records and their JSON pointers: `{"poster": [...]}` or one record."""
    if request.content_type != "application/json":
        raise ApiError(415, said("Skicka JSON, med rubriken Content-Type: application/json."))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    too_large = said("Anropet är för stort: högst {size} MB.", size=MAX_BODY // 1024 // 1024)
    if length > MAX_BODY:
        raise ApiError(413, too_large)
    data = request.read(MAX_BODY + 1)  # not request.body: its limit is the forms' 2.5 MB
    if len(data) > MAX_BODY:
        raise ApiError(413, too_large)
    try:
        body = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        if isinstance(problem, json.JSONDecodeError):
            message = said("Innehållet är inte giltig JSON (rad {line}, kolumn {column}).",
                           line=problem.lineno, column=problem.colno)  # fmt: skip
        else:
            message = said("Innehållet är inte giltig JSON.")
        raise ApiError(400, message) from None
    if not isinstance(body, dict):
        raise ApiError(400, said('Skicka ett objekt: {{"poster": [...]}} eller en enda post.'))
    if BATCH not in body:
        return [body], [""]
    records = body[BATCH]
    if not isinstance(records, list) or not records:
        raise ApiError(400, said('"poster" ska vara en lista med minst en post.'))
    if len(records) > MAX_RECORDS:
        count = f"{MAX_RECORDS:,}".replace(",", "\u00a0")
        raise ApiError(413, said("Högst {count} poster per anrop.", count=count))
    return records, [f"/{BATCH}/{at}" for at in range(len(records))]
