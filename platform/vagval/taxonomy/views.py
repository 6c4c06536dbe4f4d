"""Views of vagval.taxonomy: the autocomplete endpoint (JSON, or an HTML listbox for htmx)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vagval.taxonomy.selectors import concept_autocomplete

DEFAULT_LIMIT = 10


@require_GET
def autocomplete(request: HttpRequest) -> HttpResponse:
    """GET ?q=...&type=occupation,skill&limit=10[&format=html]

    Public and read-only: the taxonomy is open data. Bad parameters get a 400 with the reason.
    """
    query = request.GET.get("q", "")
    types = [t for raw in request.GET.getlist("type") for t in raw.split(",") if t.strip()]
    try:
        limit = int(request.GET.get("limit", DEFAULT_LIMIT))
    except ValueError:
        return JsonResponse({"error": "limit must be a whole number"}, status=400)
    try:
        found = concept_autocomplete(query=query, types=types or None, limit=limit)
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    results = [
        {
            "concept_id": c.concept_id,
            "label": c.label,
            "type": c.type,
            "ssyk": c.ssyk or None,
            "parent_label": c.parent_label or None,
        }
        for c in found
    ]
    if request.GET.get("format") == "html" or getattr(request, "htmx", False):
        listbox_id = request.GET.get("listbox", "taxonomy-options")[:60]
        return render(
            request,
            "taxonomy/autocomplete_options.html",
            {"results": results, "query": query, "listbox_id": listbox_id},
        )
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "public, max-age=300"
    return response
