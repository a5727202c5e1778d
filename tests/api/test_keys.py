"""Keys: scoped, revocable, shown once, stored hashed, limited in rate; from the command line
and the admin."""

from __future__ import annotations

import hashlib

import pytest
from django.test import override_settings

from nuso.api.models import CallCount
from nuso.audit.models import AuditEntry
from nuso.collection.models import ApiToken
from tests.api.conftest import decision
from tests.conftest import log_in_with_code


@pytest.mark.django_db
def test_a_key_is_stored_only_as_its_hash(key) -> None:
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(token.prefix)
    assert key not in str(list(ApiToken.objects.values()))
    assert key not in str(list(AuditEntry.objects.values()))


@pytest.mark.django_db
def test_a_token_outside_its_scope_gets_403(api, follow_up) -> None:
    other_unit = api.post(decision("b-1"), "/api/v1/studier/insatsuppfoljning/enheter/1281/poster")
    assert other_unit.status_code == 403
    assert other_unit.json()["meddelande"] == "Nyckeln gäller inte enheten 1281."
    other_study = api.post(decision("b-1"), "/api/v1/studier/aktualiseringar/enheter/1780/poster")
    assert other_study.status_code == 403
    assert "delstudien aktualiseringar" in other_study.json()["meddelande"]
    assert AuditEntry.objects.filter(action="api.refused", details__status=403).count() == 2
    unknown = api.post(decision("b-1"), "/api/v1/studier/insatsuppfoljning/enheter/9999/poster")
    assert unknown.status_code == 404
    assert api.client.get("/api/v1/nyckel").status_code == 401  # no key, no answer


@pytest.mark.django_db
def test_a_revoked_token_gets_401(api, follow_up) -> None:
    from nuso.audit.services import Actor
    from nuso.collection.tokens import revoke_token

    assert api.get("/api/v1/nyckel").status_code == 200
    revoke_token(ApiToken.objects.get(), Actor.command_line())
    response = api.post(decision("b-1"))
    assert response.status_code == 401
    assert "återkallad" in response.json()["meddelande"]
    assert api.post(decision("b-1")).status_code == 401
    assert AuditEntry.objects.filter(action="api.refused", details__status=401).count() == 1


@pytest.mark.django_db
def test_an_unknown_or_missing_key_gets_401(api, follow_up) -> None:
    for key in ("nuso_" + "x" * 43, "Basic abc"):
        response = api.post(decision("b-1"), key=key)
        assert response.status_code == 401
        assert response.json()["meddelande"].startswith("Ange nyckeln")
    assert api.get("/api/v1/nyckel", key="").status_code == 401
    assert not AuditEntry.objects.filter(action__startswith="api.records").exists()


@pytest.mark.django_db
def test_the_key_says_what_it_may_deliver(api, follow_up) -> None:
    body = api.get("/api/v1/nyckel").json()
    assert body == {"namn": "Karlstads verksamhetssystem", "borjan": api.key[:12],
                    "enheter": ["1780"], "delstudier": ["insatsuppfoljning"]}  # fmt: skip
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.django_db
@override_settings(NUSO_API_CALLS_PER_MINUTE=2)
def test_the_rate_is_limited_per_key_in_the_database(api, follow_up) -> None:
    assert [api.get("/api/v1/nyckel").status_code for _ in range(2)] == [200, 200]
    refused = api.get("/api/v1/nyckel")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "högst 2 per minut" in refused.json()["meddelande"]
    assert CallCount.objects.get().calls == 3  # one count, shared by every process
    api.get("/api/v1/nyckel")
    assert AuditEntry.objects.filter(action="api.refused", details__status=429).count() == 1


@pytest.mark.django_db
def test_keys_are_created_listed_and_revoked_from_the_command_line(nuso, follow_up) -> None:
    made = nuso("apinyckel", "skapa", "--namn", "Lunds system", "--kommun", "1281",
                "--studie", "insatsuppfoljning")  # fmt: skip
    assert made.exit_code == 0, made.err
    key = made.out.strip().splitlines()[-1]
    token = ApiToken.objects.get(name="Lunds system")
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    listed = nuso("apinyckel", "lista")
    assert "Lunds system" in listed.out
    assert token.prefix in listed.out
    assert key not in listed.out
    revoked = nuso("apinyckel", "aterkalla", token.prefix)
    assert revoked.exit_code == 0, revoked.err
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Lunds system" not in nuso("apinyckel", "lista").out
    assert "Lunds system" in nuso("apinyckel", "lista", "--alla").out
    unknown = nuso("apinyckel", "skapa", "--namn", "x", "--kommun", "0000", "--studie", "x")
    assert unknown.exit_code == 1
    assert "Okänd enhet: 0000" in unknown.err
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"api.token_created", "api.token_revoked"} <= actions


@pytest.mark.django_db
def test_the_admin_shows_a_new_key_once_and_revokes(client, django_user_model, follow_up) -> None:
    admin = django_user_model.objects.create_superuser("admin", "a@example.se", "långt lösenord 1")
    log_in_with_code(client, admin, "långt lösenord 1")
    response = client.post("/admin/collection/apitoken/add/", {
        "name": "Karlstad", "units": [follow_up["unit"].pk], "studies": [follow_up["study"].pk],
    })  # fmt: skip
    assert response.status_code == 200, response.content.decode()[:3000]
    token = ApiToken.objects.get(name="Karlstad")
    page = response.content.decode()
    key = page.split('id="api-key"')[1].split(">", 1)[1].split("<", 1)[0]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert "no-store" in response["Cache-Control"]
    listing = client.get("/admin/collection/apitoken/").content.decode()
    assert "Karlstad" in listing
    assert key not in listing
    assert key not in client.get(f"/admin/collection/apitoken/{token.pk}/change/").content.decode()
    client.post("/admin/collection/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.get(action="api.token_created").actor_label == "admin"
