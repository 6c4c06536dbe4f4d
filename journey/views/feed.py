"""Step 5 views: the job feed (lediga jobb), one ad, the application tracker, alerts.

Thin views: `journey.services.feed` writes, `journey.selectors.feed` reads. Every action is a
plain form post that redirects back (works without JavaScript); with htmx the card's buttons
post in place and the card is swapped (`hx-select` picks it out of the normal page).

The unsubscribe link in the alert e-mail works without login: its signed token names the
client. GET shows a confirmation button (link scanners must not unsubscribe anyone); POST
unsubscribes, and is what mail clients send for RFC 8058 one-click unsubscribe (no CSRF token
there, so that view is exempt: the signed token is the proof).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from journey.matchprofile import ad_index_get
from journey.models import AlertFrequency, ApplicationStatus, ClientProfile
from journey.selectors import feed as selectors
from journey.selectors import language_code
from journey.services import feed as services

from .access import client_required

ACTIONS = ("save", "unsave", "hide", "unhide", "applied")


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "HEAD"])
@client_required
def feed(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    language = language_code(get_language())
    state = selectors.feed_state_get(client=client)
    snapshot = selectors.feed_snapshot_latest(client=client)
    if not selectors.feed_snapshot_is_current(snapshot=snapshot, state=state):
        # An upstream step changed and its refresh task has not run yet (or this is the first
        # visit): compute now rather than show an outdated feed.
        snapshot = services.feed_snapshot_compute(client=client, reason="visit").snapshot
    page_number = request.GET.get("sida", "1")
    page = selectors.feed_page_get(
        client=client,
        snapshot=snapshot,
        jindex=ad_index_get(),
        state=state,
        filters=selectors.Filters.from_query(request.GET),
        page=int(page_number) if page_number.isdigit() else 1,
        language=language,
    )
    services.feed_seen_mark(client=client)
    return render(
        request,
        "journey/feed/index.html",
        {
            "page": page,
            "query": request.GET.urlencode(),
            "frequencies": AlertFrequency.choices,
        },
    )


@require_POST
@client_required
def ad_action(
    request: HttpRequest, *, client: ClientProfile, ad_id: int, action: str
) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    back = _back(request, reverse("journey:feed"))
    try:
        if action == "save":
            services.application_save(client=client, ad_id=ad_id)
            messages.success(request, _("Annonsen är sparad bland dina ansökningar."))
        elif action == "unsave":
            services.application_remove(client=client, ad_id=ad_id)
            messages.success(request, _("Annonsen är borttagen från dina sparade."))
        elif action == "hide":
            services.ad_hide(client=client, ad_id=ad_id)
            messages.success(request, _("Annonsen är dold och visas inte igen."))
        elif action == "unhide":
            services.ad_unhide(client=client, ad_id=ad_id)
            messages.success(request, _("Annonsen visas igen."))
        elif action == "applied":
            services.application_mark_applied(client=client, ad_id=ad_id)
            messages.success(request, _("Markerad som sökt. Lycka till!"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back)


@require_http_methods(["GET", "HEAD"])
@client_required
def ad(request: HttpRequest, *, client: ClientProfile, ad_id: int) -> HttpResponse:
    detail = selectors.feed_ad_get(client=client, ad_id=ad_id, language=get_language() or "sv")
    if detail is None:
        raise Http404
    return render(
        request,
        "journey/feed/ad.html",
        {"ad": detail},
        status=200 if detail.is_open else 410,
    )


@require_http_methods(["GET", "HEAD"])
@client_required
def applications(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    return render(
        request,
        "journey/feed/applications.html",
        {
            "rows": selectors.applications_list(client=client),
            "statuses": ApplicationStatus.choices,
            "today": dt.date.today().isoformat(),
        },
    )


@require_POST
@client_required
def application_update(request: HttpRequest, *, client: ClientProfile, pk: int) -> HttpResponse:
    applied_text = request.POST.get("applied_at", "").strip()
    try:
        applied_at = dt.date.fromisoformat(applied_text) if applied_text else None
    except ValueError:
        messages.error(request, _("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-01."))
        return redirect(f"{reverse('journey:feed_applications')}#a-{pk}")
    try:
        services.application_status_set(
            client=client,
            application_id=pk,
            status=request.POST.get("status", ""),
            applied_at=applied_at,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Ansökan är uppdaterad."))
    return redirect(f"{reverse('journey:feed_applications')}#a-{pk}")


@require_POST
@client_required
def alerts(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    try:
        services.feed_alerts_set(client=client, frequency=request.POST.get("frequency", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Din bevakning är sparad."))
    return redirect(_back(request, reverse("journey:feed")))


@csrf_exempt  # RFC 8058 one-click POSTs carry no CSRF token; the signed token authorises.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            services.feed_alerts_unsubscribe(token=token)
        except ValidationError as exc:
            return render(
                request,
                "journey/feed/unsubscribe.html",
                {"error": " ".join(exc.messages)},
                status=400,
            )
        return render(request, "journey/feed/unsubscribe.html", {"done": True})
    return render(request, "journey/feed/unsubscribe.html", {"token": token})
