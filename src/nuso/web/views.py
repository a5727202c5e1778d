"""Views: thin, calling services. The portal proper (login, dashboards) grows here."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
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
