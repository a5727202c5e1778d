"""Views: thin, calling services. The portal proper (login, dashboards) grows here."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from nuso.studies.models import Study
from nuso.units.models import Unit


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "studies": Study.objects.order_by("number"),
        "unit_count": Unit.objects.filter(active=True).count(),
    }
    return render(request, "web/home.html", context)


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means unhealthy; the reason goes to the log
        return JsonResponse({"status": "fel", "database": "svarar inte"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


UNAVAILABLE = (
    gettext_lazy("Tjänsten är tillfälligt otillgänglig"),
    gettext_lazy(
        "Databasen svarar inte just nu. Försök igen om en stund: inget av det du har sparat "
        "är förlorat."
    ),
)
FAILED = (
    gettext_lazy("Något gick fel"),
    gettext_lazy(
        "Sidan kunde inte visas på grund av ett fel hos oss. Felet är loggat. Försök igen, och "
        "hör av dig till NUSO om det inte går över."
    ),
)


def server_error(request: HttpRequest) -> HttpResponse:
    """The page for an unhandled error: 503 with Retry-After while the database does not
    answer (a restart, a failover: the next request reconnects, CONN_HEALTH_CHECKS), else
    500. Rendered without the database or the user (the base template asks for both)."""
    unavailable = isinstance(sys.exc_info()[1], (OperationalError, InterfaceError))
    title, message = UNAVAILABLE if unavailable else FAILED
    response = render(request, "web/error.html", {"title": title, "message": message},
                      status=503 if unavailable else 500)  # fmt: skip
    if unavailable:
        response["Retry-After"] = "10"
    return response
