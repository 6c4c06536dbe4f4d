"""Step 3 view: the labour-market inventory (arbetsmarknadsinventering).

One page: the occupations ranked for the client with their reasons, the skills each lacks and
demand by region (a table with CSS bars), and the form where the client picks targets, places,
commute and remote wish. The form is pre-filled from step 1 (never asked again) and works
without JavaScript; with it, the place and occupation inputs suggest taxonomy concepts as you
type (`/api/taxonomy/autocomplete?...&format=html`, the step 2 combobox script).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from journey.models import ClientProfile, RemoteWish
from journey.selectors import language_code
from journey.selectors.market import Place, market_page_get
from journey.services.market import market_plan_ensure, search_profile_save
from vagval.matching.taxonomy_view import get_taxonomy_view
from vagval.taxonomy.selectors import concept_autocomplete

from .access import client_required

PLACE_TYPES = ("municipality", "region")


@dataclass
class MarketInput:
    """What the client posted, kept as typed when something is refused."""

    targets: list[str] = field(default_factory=list)
    target_text: str = ""
    municipalities: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    place_text: str = ""
    commute_text: str = ""
    remote: str = RemoteWish.UNKNOWN
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def commute(self) -> int | None:
        text = self.commute_text.strip()
        return int(text) if text.isdigit() else None


def _resolve(text: str, types: tuple[str, ...], picked: str) -> tuple[str, str] | None:
    """(concept id, type) for what was typed: the picked id if it is one of `types`, else the
    autocomplete's first hit when its label equals the text."""
    view = get_taxonomy_view()
    if picked:
        if "occupation" in types and picked in view.occupation_label:
            return picked, "occupation"
        if "municipality" in types and picked in view.municipality_label:
            return picked, "municipality"
        if "region" in types and picked in view.region_label:
            return picked, "region"
    text = text.strip()
    if not text:
        return None
    hits = concept_autocomplete(query=text, types=list(types), limit=5)
    for hit in hits:
        if hit.label.lower() == text.lower():
            return hit.concept_id, hit.type
    return None


def _parse(request: HttpRequest) -> MarketInput:
    post = request.POST
    view = get_taxonomy_view()
    data = MarketInput(
        targets=[t for t in post.getlist("target") if t],
        target_text=post.get("target_text", "")[:200],
        place_text=post.get("place_text", "")[:200],
        commute_text=post.get("max_commute_minutes", "")[:10],
        remote=post.get("remote", RemoteWish.UNKNOWN),
    )
    for pid in post.getlist("place"):
        if pid in view.region_label:
            data.regions.append(pid)
        else:
            data.municipalities.append(pid)
    if data.target_text.strip() or post.get("target_id"):
        found = _resolve(data.target_text, ("occupation",), post.get("target_id", ""))
        if found is None:
            data.errors["target_text"] = _(
                "Vi hittade inget yrke som heter så. Välj ett av förslagen medan du skriver."
            )
        elif found[0] not in data.targets:
            data.targets.append(found[0])
            data.target_text = ""
    if data.place_text.strip() or post.get("place_id"):
        found = _resolve(data.place_text, PLACE_TYPES, post.get("place_id", ""))
        if found is None:
            data.errors["place_text"] = _(
                "Vi hittade ingen kommun eller inget län som heter så. Välj ett av förslagen."
            )
        else:
            (data.regions if found[1] == "region" else data.municipalities).append(found[0])
            data.place_text = ""
    if data.commute_text.strip() and data.commute is None:
        data.errors["max_commute_minutes"] = _("Skriv restiden i hela minuter, till exempel 45.")
    return data


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def market(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    language = language_code(get_language())
    typed: MarketInput | None = None
    if request.method == "POST":
        typed = _parse(request)
        if not typed.errors:
            try:
                search_profile_save(
                    client=client,
                    target_ids=typed.targets,
                    municipality_ids=typed.municipalities,
                    region_ids=typed.regions,
                    max_commute_minutes=typed.commute,
                    remote=typed.remote,
                )
            except ValidationError as exc:
                typed.errors["form"] = " ".join(exc.messages)
            else:
                if request.POST.get("action") == "feed":
                    return redirect("journey:feed")
                messages.success(request, _("Dina val är sparade. Jobbflödet uppdateras."))
                return redirect("journey:market")
    plan, inputs = market_plan_ensure(client=client)
    page = market_page_get(client=client, plan=plan, inputs=inputs, language=language)
    if typed is not None:
        view = get_taxonomy_view()
        chosen = set(typed.targets)
        for s in page.suggestions:
            s.chosen = s.concept_id in chosen
        page.targets = [
            {"concept_id": t, "label": view.occupation_label.get(t, t)} for t in typed.targets
        ]
        page.max_commute_minutes = typed.commute
        page.remote = typed.remote
        page.places = [
            Place(m, view.municipality_label.get(m, m), "municipality")
            for m in typed.municipalities
        ] + [Place(r, view.region_label.get(r, r), "region") for r in typed.regions]
    suggested = {s.concept_id for s in page.suggestions}
    return render(
        request,
        "journey/market/index.html",
        {
            "page": page,
            "typed": typed,
            "errors": typed.errors if typed else {},
            "other_targets": [t for t in page.targets if t["concept_id"] not in suggested],
        },
        status=400 if typed is not None and typed.errors else 200,
    )
