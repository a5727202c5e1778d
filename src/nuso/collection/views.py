"""The social worker's pages: start a registration, fill it in (saved as it is typed), link a
follow-up to its decision, submit, correct, discard; "Mina utkast"; and the analysts' page of
collection periods. Thin: every rule is in nuso.collection.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nuso.accounts.models import User
from nuso.audit.services import Actor
from nuso.collection import services
from nuso.collection.forms import FormPage, posted_answers
from nuso.collection.models import CollectionPeriod, Registration
from nuso.portal.verification import login_required, verified

IDENTITY_FIELD = "personnummer"


def _worker(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not user.is_social_worker:
        raise PermissionDenied("Registreringar görs av handläggare.")
    return user


@require_GET
@never_cache  # a child's answers are kept in no cache of the browser
@login_required
@verified
def start(request: HttpRequest) -> HttpResponse:
    user = _worker(request)
    units = list(services.registering_units(user))
    countries = {unit.country for unit in units}  # a study is one country's
    studies = [(s, services.current_period(s), services.occasion_choices(s))
               for s in services.form_studies() if s.country in countries]  # fmt: skip
    context = {
        "units": units,
        "studies": studies,
        "drafts": services.drafts_of(user)[:10],
        "draft_count": services.drafts_of(user).count(),
        "submitted": services.submitted_by(user)[:20],
    }
    return render(request, "collection/start.html", context)


@require_POST
@never_cache  # a child's answers are kept in no cache of the browser
@login_required
@verified
def new(request: HttpRequest) -> HttpResponse:
    user = _worker(request)
    study = services.form_studies().filter(slug=request.POST.get("delstudie", "")).first()
    if study is None:
        messages.error(request, gettext("Välj en delstudie."))
        return redirect("collection:start")
    try:
        registration = services.start(
            user, study, request.POST.get("enhet", ""), request.POST.get("tillfalle", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("collection:start")
    return redirect("collection:edit", pk=registration.pk)


@require_http_methods(["GET", "POST"])
@never_cache  # a child's answers are kept in no cache of the browser
@sensitive_post_parameters(IDENTITY_FIELD)  # never in an error report
@login_required
@verified
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _worker(request)
    registration = services.own_registration(user, pk)
    page = FormPage(registration)
    if request.method == "GET":
        return render(request, "collection/form.html", page.context())
    posted = posted_answers(request.POST, page.fields)
    identity = request.POST.get(IDENTITY_FIELD, "")
    if registration.status == Registration.Status.SUBMITTED:
        return _correct(request, registration, user, posted, identity)
    saved = services.save_draft(registration, user, posted, identity)
    choice = request.POST.get("beslut", "")
    if choice:  # a decision chosen, whichever button was pressed
        services.link(registration, user, _decision_choice(choice))
    if request.POST.get("atgard") == "skicka" and saved.identity_error:
        # not sent, but everything else it lacks listed now, not after the number is right
        outcome = services.gaps(registration, number_refused=True)
        page = FormPage(services.own_registration(user, pk))
        context = page.context(errors=outcome.errors, missing=outcome.missing,
                               identity_error=saved.identity_error)  # fmt: skip
        return render(request, "collection/form.html", context)
    if request.POST.get("atgard") == "skicka":
        outcome = services.submit(registration, user)
        if outcome.done:
            messages.success(request, gettext("Registreringen är inskickad."))
            return redirect("collection:start")
        page = FormPage(services.own_registration(user, pk))
        return render(request, "collection/form.html",
                      page.context(errors=outcome.errors, missing=outcome.missing))  # fmt: skip
    page = FormPage(services.own_registration(user, pk))
    context = page.context(errors=saved.errors, identity_error=saved.identity_error)
    context["saved_at"] = saved.at
    return render(request, "collection/form.html", context)


def _decision_choice(choice: str) -> int | None:
    """The decision chosen on the page: its id, or None for "not registered in NUSO"."""
    if choice == "saknas":
        return None
    if not choice.isdigit():
        raise Http404("Registreringen vid beslut finns inte.")
    return int(choice)


def _correct(
    request: HttpRequest, registration: Registration, user: User, posted: dict[str, Any],
    identity: str,
) -> HttpResponse:  # fmt: skip
    """A submitted registration's correction: kept only when complete."""
    if request.POST.get("atgard") != "skicka":
        return redirect("collection:edit", pk=registration.pk)
    shown, outcome = services.correct(registration, user, posted, identity)
    if outcome.done:
        messages.success(request, gettext("Rättelsen är sparad."))
        return redirect("collection:start")
    context = FormPage(shown).context(errors=outcome.errors, missing=outcome.missing)
    return render(request, "collection/form.html", context)


@require_POST
@never_cache  # a child's answers are kept in no cache of the browser
@sensitive_post_parameters(IDENTITY_FIELD)  # never in an error report
@login_required
@verified
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """What the page's script sends a second after each change: the draft saved, and what is
    wrong so far (shown beside the questions as they are typed)."""
    user = _worker(request)
    registration = services.own_registration(user, pk)
    before = registration.pseudonym
    fields = FormPage(registration).fields
    try:
        saved = services.save_draft(
            registration, user, posted_answers(request.POST, fields),
            request.POST.get(IDENTITY_FIELD, ""),
        )  # fmt: skip
    except PermissionDenied as refused:  # a closed period: the script stops trying
        return JsonResponse({"stangd": str(refused)}, status=403)
    at = timezone.localtime(saved.at).strftime("%H:%M:%S") if saved.at else ""
    return JsonResponse({
        "sparad": at,
        "fel": saved.errors,
        "personnummer_fel": saved.identity_error,
        "ifyllt": saved.filled,  # answered from the number: the page ticks them too
        # The child changed: the decisions to link to are the new child's.
        "ladda_om": registration.pseudonym != before and services.needs_link(registration),
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
@never_cache  # a child's answers are kept in no cache of the browser
@login_required
@verified
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    user = _worker(request)
    registration = services.own_registration(user, pk)
    if request.method == "POST":
        services.discard(registration, user)
        messages.success(request, gettext("Utkastet är borttaget."))
        return redirect("collection:drafts")
    return render(request, "collection/discard.html", {"registration": registration,
                  "page": FormPage(registration)})  # fmt: skip


@require_GET
@never_cache  # a child's answers are kept in no cache of the browser
@login_required
@verified
def drafts(request: HttpRequest) -> HttpResponse:
    user = _worker(request)
    listed = [(draft, FormPage(draft)) for draft in services.drafts_of(user)]
    return render(request, "collection/drafts.html", {"drafts": listed})


@require_http_methods(["GET", "POST"])
@never_cache  # a child's answers are kept in no cache of the browser
@login_required
@verified
def periods(request: HttpRequest) -> HttpResponse:
    """Analysts open and close each study's collection periods."""
    user = request.user
    assert isinstance(user, User)
    if not user.sees_all_units:
        raise PermissionDenied("Insamlingsperioder hanteras av analytiker.")
    actor = Actor.of_user(user)
    if request.method == "POST":
        _change_period(request, actor)
        return redirect("collection:periods")
    counts = services.period_counts()
    context: dict[str, Any] = {
        "studies": [
            (study, [(p, counts.get(p.pk, {})) for p in services.periods_of(study)])
            for study in services.form_studies()
        ],
    }
    return render(request, "collection/periods.html", context)


def _change_period(request: HttpRequest, actor: Actor) -> None:
    closing = request.POST.get("stang", "")
    if closing.isdigit():
        period = CollectionPeriod.objects.filter(pk=int(closing), closed_at__isnull=True).first()
        if period is not None:
            services.close_period(period, actor)
            messages.success(
                request, gettext("Perioden %(name)s är stängd.") % {"name": period.name}
            )
        return
    study = services.form_studies().filter(slug=request.POST.get("delstudie", "")).first()
    if study is None:
        messages.error(request, gettext("Välj en delstudie."))
        return
    try:
        period = services.open_period(study, request.POST.get("period", "").strip(), actor)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("Perioden %(name)s är öppen för %(study)s.")
            % {"name": period.name, "study": study.name},
        )
