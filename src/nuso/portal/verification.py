"""Two-step verification is mandatory: a view needs a user who logged in with a one-time
code. Someone logged in by password alone is sent to enrol an authenticator (QR code) if
they have none, else back to the login to give the code."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from two_factor.utils import default_device

View = Callable[..., HttpResponseBase]


def verified(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if user.is_verified():  # type: ignore[union-attr]
            return view(request, *args, **kwargs)
        if default_device(user) is None:
            return redirect("two_factor:setup")
        return redirect_to_login(request.get_full_path(), reverse("two_factor:login"))

    return wrapper


__all__ = ["login_required", "verified"]
