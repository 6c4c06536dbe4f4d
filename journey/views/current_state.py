"""Step 1 views: the questionnaire (intro, one section per page, per-answer saves) and the
summary "Det här har du berättat".

A section page is a normal form (works without JS: "Spara och fortsätt" posts the section).
With htmx each question posts itself on change (`only=<key>`) and gets back a small fragment:
the save status, its new revision, and any follow-up questions shown or hidden by the answer.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from journey.models import ClientProfile, QuestionKind
from journey.selectors import language_code
from journey.selectors.current_state import current_state_summary_build
from journey.selectors.questionnaire import section_page_build
from journey.services.answer_values import RawAnswer
from journey.services.questionnaire import (
    SubmitResult,
    questionnaire_latest_published,
    raw_answer_from_post,
    response_complete,
    response_current_ensure,
    response_start,
)
from journey.services.questionnaire import answers_submit as answers_submit_service
from vagval.taxonomy import selectors as taxonomy

from .access import client_required

RETURN_PARAM = "tillbaka"
RETURN_TO_SUMMARY = "sammanfattning"


def _section_url(section: str, back: str = "") -> str:
    url = reverse("journey:current_state_section", kwargs={"section": section})
    return f"{url}?{RETURN_PARAM}={RETURN_TO_SUMMARY}" if back == RETURN_TO_SUMMARY else url


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def start(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    """Intro for a new client (POST starts); otherwise continue where the client left off."""
    if request.method == "POST":
        started = response_start(client=client)
        first = started.questionnaire.sections[0]["key"]
        return redirect(_section_url(started.last_section or first))
    response = response_current_ensure(client=client)
    if response is None:
        questionnaire = questionnaire_latest_published()
        if questionnaire is None:
            raise Http404("No questionnaire is published.")
        language = language_code(get_language())
        intro = questionnaire.intro_en if language == "en" and questionnaire.intro_en else None
        return render(
            request,
            "journey/current_state/intro.html",
            {"questionnaire": questionnaire, "intro": intro or questionnaire.intro_sv},
        )
    if response.is_completed:
        return redirect("journey:current_state_summary")
    page = section_page_build(
        response=response, section=response.last_section, language=get_language()
    )
    if page is None:  # no section saved yet, or it is no longer shown
        page = section_page_build(
            response=response,
            section=response.questionnaire.sections[0]["key"],
            language=get_language(),
        )
    if page is None:
        raise Http404("The questionnaire shows no section.")
    return redirect(_section_url(page.section.key))


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def section(request: HttpRequest, *, client: ClientProfile, section: str) -> HttpResponse:
    response = response_current_ensure(client=client)
    if response is None:
        return redirect("journey:current_state_start")
    back = request.GET.get(RETURN_PARAM) or request.POST.get(RETURN_PARAM, "")
    if request.method != "POST":
        page = section_page_build(response=response, section=section, language=get_language())
        if page is None:
            raise Http404("No such section.")
        return render(request, "journey/current_state/section.html", {"page": page, "back": back})

    post = dict(request.POST.lists())
    only = request.POST.get("only") if request.htmx else None  # type: ignore[attr-defined]
    result = answers_submit_service(client=client, section=section, post=post, only=only)
    if result.response is None:
        return redirect("journey:current_state_start")
    if only is not None:
        return _save_fragment(request, result=result, section=section, key=only)

    if not result.ok:
        # Show the page again: refused questions (or, if the whole post was refused, all of
        # them) with what the client typed, and the reason beside each.
        refused = {k for k, o in result.outcomes.items() if o.refused}
        keys = {name[2:].removesuffix("-add") for name in post if name.startswith("q-")} | set(
            result.outcomes
        )
        raw = {
            key: raw_answer_from_post(post, key)
            for key in keys
            if result.form_error_code == "stale_response" or key in refused
        }
        page = section_page_build(
            response=result.response,
            section=section,
            language=get_language(),
            posted=raw,
            outcomes=result.outcomes,
            form_error=result.form_error,
        )
        if page is None:
            return redirect("journey:current_state_start")
        status = 409 if result.form_error_code == "stale_response" else 400
        return render(
            request,
            "journey/current_state/section.html",
            {"page": page, "back": back},
            status=status,
        )

    action = request.POST.get("action", "next")
    page = section_page_build(response=result.response, section=section, language=get_language())
    if page is None:
        return redirect("journey:current_state_start")
    revealed = [
        q
        for q in page.questions
        if q.key in result.visibility_changed and q.shown and not q.revision
    ]
    if action == "stay" or revealed:
        if revealed:
            messages.info(
                request, _("Ditt svar ledde till en följdfråga. Svara på den och fortsätt sedan.")
            )
        target = _section_url(section, back)
        return redirect(f"{target}#{(revealed[0].dom_id if revealed else 'main')}")
    if action == "prev" and page.previous is not None:
        return redirect(_section_url(page.previous.key, back))
    if back == RETURN_TO_SUMMARY and result.response.is_completed:
        messages.success(request, _("Dina ändringar är sparade."))
        return redirect("journey:current_state_summary")
    if page.next is not None:
        return redirect(_section_url(page.next.key, back))
    missing = response_complete(client=client, response=result.response)
    if missing:
        messages.error(
            request,
            _("Några frågor behöver svar innan du är klar: %(questions)s")
            % {"questions": "; ".join(q.text(language_code(get_language())) for q in missing)},
        )
        return redirect(f"{_section_url(missing[0].section)}#q-{missing[0].key}")
    messages.success(request, _("Tack! Din nulägesanalys är klar."))
    return redirect("journey:current_state_summary")


def _save_fragment(
    request: HttpRequest, *, result: SubmitResult, section: str, key: str
) -> HttpResponse:
    """The htmx answer to a one-question save."""
    assert result.response is not None
    outcome = result.outcomes.get(key)
    raw: dict[str, RawAnswer] = {}
    if outcome is not None and outcome.refused:
        raw[key] = raw_answer_from_post(dict(request.POST.lists()), key)
    page = section_page_build(
        response=result.response,
        section=section,
        language=get_language(),
        posted=raw,
        outcomes=result.outcomes,
    )
    question = next((q for q in page.questions if q.key == key), None) if page else None
    changed = [q for q in (page.questions if page else []) if q.key in result.visibility_changed]
    return render(
        request,
        "journey/current_state/_save_result.html",
        {
            "page": page,
            "question": question,
            "outcome": outcome,
            "form_error": result.form_error,
            "key": key,
            "changed": changed,
            "whole_question": question is not None and question.kind == QuestionKind.PLACE,
        },
    )


@require_GET
@client_required
def places(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    """Datalist options for the place question: municipalities and regions matching the text."""
    query = next(
        (str(v) for k, v in request.GET.items() if k == "q" or k.endswith("-add")), ""
    ).strip()
    hits = (
        taxonomy.concept_autocomplete(query=query, types=["municipality", "region"], limit=10)
        if len(query) >= 2
        else []
    )
    return render(request, "journey/current_state/_place_options.html", {"hits": hits})


@require_GET
@client_required
def summary(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    response = response_current_ensure(client=client)
    if response is None:
        return redirect("journey:current_state_start")
    data = current_state_summary_build(client=client, language=get_language(), response=response)
    if data is None:
        return redirect("journey:current_state_start")
    return render(request, "journey/current_state/summary.html", {"summary": data})
