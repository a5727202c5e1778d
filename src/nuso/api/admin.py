"""The API's keys in the admin: listed with their scope and use, created (the key shown once,
on the page that answers the creation, and stored nowhere) and revoked, through the same
services as `nuso apinyckel`, so that each is audited. A key is never edited or deleted:
revoke it and create another."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nuso.audit.services import Actor
from nuso.collection.models import ApiToken
from nuso.collection.tokens import create_token, revoke_token

NEW_KEY = "_nuso_new_api_key"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "shown_prefix", "unit_codes", "study_slugs", "created_at",
                    "last_used_at", "revoked_at"]  # fmt: skip
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "studies"]
    search_fields = ["name", "prefix"]
    filter_horizontal = ["units", "studies"]
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("name", "units", "studies")
        return ("name", "prefix", "units", "studies", "created_by", "created_at",
                "last_used_at", "revoked_at")  # fmt: skip

    def get_readonly_fields(
        self, request: HttpRequest, obj: ApiToken | None = None
    ) -> tuple[str, ...]:
        return () if obj is None else self.get_fields(request, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        return super().get_queryset(request).prefetch_related("units", "studies")

    @admin.display(description=_("början"))
    def shown_prefix(self, token: ApiToken) -> str:
        return f"{token.prefix}…"

    @admin.display(description=_("enheter"))
    def unit_codes(self, token: ApiToken) -> str:
        return ", ".join(sorted(u.code for u in token.units.all()))

    @admin.display(description=_("delstudier"))
    def study_slugs(self, token: ApiToken) -> str:
        return ", ".join(sorted(s.slug for s in token.studies.all()))

    @admin.action(description=_("Återkalla valda nycklar"))
    def revoke(self, request: HttpRequest, found: QuerySet[ApiToken]) -> None:
        actor = Actor.of_user(request.user)  # type: ignore[arg-type]
        for token in found.filter(revoked_at__isnull=True):
            revoke_token(token, actor)
            self.message_user(
                request, gettext("Återkallad: %(key)s.") % {"key": token}, messages.SUCCESS
            )

    def save_model(self, request: HttpRequest, obj: ApiToken, form: ModelForm[ApiToken],
                   change: bool) -> None:  # fmt: skip
        if change:
            return  # nothing of a key changes here
        data = form.cleaned_data
        made = create_token(data["name"], data["units"], data["studies"],
                            Actor.of_user(request.user))  # type: ignore[arg-type]  # fmt: skip
        for name in ("pk", "prefix", "key_hash", "created_at", "created_by_id"):
            setattr(obj, name, getattr(made.token, name))
        obj._state.adding, obj._state.db = False, made.token._state.db
        setattr(request, NEW_KEY, made.key)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The scope was set by create_token, with the audit entry."""

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        """The new key, shown on this page only: it is in no redirect, message or cookie."""
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": gettext("API-nyckel skapad"), "token": obj, "key": getattr(request, NEW_KEY),
            "unit_codes": self.unit_codes(obj), "study_slugs": self.study_slugs(obj),
        }  # fmt: skip
        response = TemplateResponse(request, "api/key_created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False
