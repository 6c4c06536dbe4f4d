"""Min resa: the overview of the client's journey, and dismissing what changed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from journey.models import ClientProfile
from journey.selectors.overview import journey_overview_get
from journey.services.changes import journey_changes_mark_seen

from .access import client_required


@require_http_methods(["GET", "HEAD"])
@client_required
def overview(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    data = journey_overview_get(client=client, language=get_language())
    first = data.steps[0]
    if first.state == first.NOT_STARTED:
        # A new client starts with step 1; Min resa makes sense once there is something on it.
        return redirect("journey:current_state_start")
    return render(request, "journey/overview/index.html", {"overview": data})


@require_POST
@client_required
def changes_seen(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("change") if i.isdigit()]
    journey_changes_mark_seen(client=client, change_ids=ids or None)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "journey/overview/_changes.html", {"changes": []})
    return redirect("journey:overview")
