"""Step 2 views: the competence inventory (kompetensinventering).

Thin views: forms validate, `journey.services.competence` writes, `journey.selectors.competence`
reads. Every page is a plain form page that works without JavaScript (post, redirect, get).
htmx enhancements: the title, skill, language and education-field inputs fetch an accessible
listbox of taxonomy concepts as the client types (`autocomplete`), and the suggestion buttons
post in place (`hx-select` picks the updated part out of the normal page).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journey.cvparse import CvRefused
from journey.forms.competence import (
    MAX_UPLOAD_REQUEST_BYTES,
    NONE_PICK,
    CvUploadForm,
    EducationForm,
    ExperienceForm,
    LanguageForm,
    LicenceForm,
    SkillAddForm,
    SkillLevelForm,
    level_choices,
)
from journey.models import ClientProfile, LanguageLevel
from journey.selectors import competence as selectors
from journey.selectors import language_code
from journey.services import competence as services
from vagval.taxonomy import selectors as taxonomy

from .access import client_required

AUTOCOMPLETE_TYPES = {
    "occupation": "occupation",
    "skill": "skill",
    "language": "language",
    "education-field": "education-field",
}
AUTOCOMPLETE_PARAMS = ("q", "title", "skill_text", "language_text", "field_text")


def _lang() -> str:
    return language_code(get_language())


def _refused(request: HttpRequest, exc: services.CompetenceInputError) -> None:
    messages.error(request, exc.message(_lang()))


# ---- hub ------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@client_required
def hub(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    page = selectors.competence_hub_build(client=client)
    return render(request, "journey/competence/hub.html", {"page": page})


@require_POST
@client_required
def complete(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    services.competence_inventory_complete(client=client)
    messages.success(request, _("Bra jobbat! Kompetensinventeringen är klar."))
    return redirect("journey:overview")


# ---- autocomplete ----------------------------------------------------------------------------


@require_GET
@client_required
def autocomplete(request: HttpRequest, kind: str, *, client: ClientProfile) -> HttpResponse:
    """The taxonomy's listbox fragment for what the client is typing in one of step 2's inputs.

    The inputs keep their own names (title, skill_text ...), so this reads whichever is sent.
    """
    public_type = AUTOCOMPLETE_TYPES.get(kind)
    if public_type is None:
        raise Http404("unknown autocomplete type")
    query = next((request.GET[p] for p in AUTOCOMPLETE_PARAMS if request.GET.get(p)), "").strip()
    found = (
        taxonomy.concept_autocomplete(query=query, types=[public_type], limit=8)
        if len(query) >= 2
        else []
    )
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
    listbox_id = "".join(
        ch for ch in request.GET.get("listbox", "options") if ch.isalnum() or ch in "-_"
    )
    return render(
        request,
        "taxonomy/autocomplete_options.html",
        {"results": results, "query": query, "listbox_id": listbox_id[:60] or "options"},
    )


# ---- experiences ---------------------------------------------------------------------------


def _experience_input(form: ExperienceForm) -> services.ExperienceInput:
    data = form.cleaned_data
    return services.ExperienceInput(
        title=data["title"],
        employer=data.get("employer") or "",
        occupation_id=data.get("occupation_id") or "",
        occupation_pick=data.get("occupation_pick") or "",
        start_date=data.get("start_date"),
        end_date=data.get("end_date"),
        description=data.get("description") or "",
    )


def _occupation_pick_from_post(request: HttpRequest) -> dict[str, Any]:
    """The radio group `occupation_pick` (no-JS) wins over the hidden `occupation_id`."""
    post = request.POST.copy()
    pick = post.get("occupation_radio", "")
    if pick:
        post["occupation_pick"] = pick
    return post  # type: ignore[return-value]


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def experiences(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    prefill = selectors.experience_prefill(client=client)
    if request.method == "POST":
        form = ExperienceForm(_occupation_pick_from_post(request))
        if form.is_valid():
            try:
                experience = services.experience_save(client=client, data=_experience_input(form))
            except services.CompetenceInputError as exc:
                form.add_error(None, exc.message(_lang()))
            else:
                if experience.occupation_id:
                    messages.success(request, _("Erfarenheten är sparad."))
                else:
                    messages.info(
                        request,
                        _(
                            "Erfarenheten är sparad med din egen titel. Vill du koppla den "
                            "till ett yrke? Välj Ändra."
                        ),
                    )
                return redirect("journey:competence_experiences")
    else:
        initial: dict[str, Any] = {}
        if prefill.note:
            initial = {"employer": prefill.employer, "end_date": prefill.end_date}
        form = ExperienceForm(initial=initial)
    return render(
        request,
        "journey/competence/experiences.html",
        {
            "form": form,
            "rows": selectors.experience_rows(client=client),
            "prefill": prefill,
            "candidates": _candidates(form),
            "occupation_label": _occupation_label(form),
        },
    )


def _occupation_label(form: ExperienceForm, default_id: str = "") -> str:
    """The label of the occupation the form carries (posted, or the stored one)."""
    occupation_id = (form.data.get("occupation_id") if form.is_bound else "") or default_id
    if not occupation_id:
        return ""
    return taxonomy.concept_labels(concept_ids=[occupation_id]).get(occupation_id, "")


def _candidates(form: ExperienceForm) -> list[Any]:
    """Occupation choices for a bound form that has a title but no occupation picked."""
    if not form.is_bound:
        return []
    title = form.data.get("title", "")
    if form.data.get("occupation_id"):
        return []
    return selectors.occupation_candidates(title=title)


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def experience_edit(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    experience = selectors.own_experience(client=client, experience_id=pk)
    if experience is None:
        raise Http404("no such experience")
    if request.method == "POST":
        form = ExperienceForm(_occupation_pick_from_post(request))
        if form.is_valid():
            try:
                services.experience_save(
                    client=client, data=_experience_input(form), experience_id=pk
                )
            except services.CompetenceInputError as exc:
                form.add_error(None, exc.message(_lang()))
            else:
                messages.success(request, _("Erfarenheten är sparad."))
                return redirect("journey:competence_experiences")
    else:
        form = ExperienceForm(
            initial={
                "title": experience.title,
                "occupation_id": experience.occupation_id,
                "employer": experience.employer,
                "start_date": experience.start_date,
                "end_date": experience.end_date,
                "description": experience.description,
            }
        )
    title = form.data.get("title") if form.is_bound else experience.title
    return render(
        request,
        "journey/competence/experience_edit.html",
        {
            "form": form,
            "experience": experience,
            "occupation_label": _occupation_label(
                form, default_id="" if form.is_bound else experience.occupation_id
            ),
            "candidates": selectors.occupation_candidates(title=title or ""),
            "none_pick": NONE_PICK,
        },
    )


@require_POST
@client_required
def experience_delete(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    try:
        services.experience_delete(client=client, experience_id=pk)
    except services.CompetenceInputError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Borttaget."))
    return redirect("journey:competence_experiences")


@require_POST
@client_required
def experience_accept(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    try:
        services.experience_accept(client=client, experience_id=pk)
    except services.CompetenceInputError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Erfarenheten är tillagd."))
    return redirect("journey:competence_experiences")


# ---- education -----------------------------------------------------------------------------


def _education_input(form: EducationForm) -> services.EducationInput:
    data = form.cleaned_data
    return services.EducationInput(
        name=data["name"],
        institution=data.get("institution") or "",
        level_id=data.get("level_id") or "",
        field_id=data.get("field_id") or "",
        field_text=data.get("field_text") or "",
        start_year=data.get("start_year"),
        end_year=data.get("end_year"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def education(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    levels = selectors.education_level_choices()
    form = EducationForm(request.POST or None, level_choices=levels)
    if request.method == "POST" and form.is_valid():
        try:
            services.education_save(client=client, data=_education_input(form))
        except services.CompetenceInputError as exc:
            form.add_error(None, exc.message(_lang()))
        else:
            messages.success(request, _("Utbildningen är sparad."))
            return redirect("journey:competence_education")
    return render(
        request,
        "journey/competence/education.html",
        {"form": form, "rows": selectors.education_rows(client=client)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def education_edit(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    row = selectors.own_education(client=client, education_id=pk)
    if row is None:
        raise Http404("no such education")
    levels = selectors.education_level_choices()
    if request.method == "POST":
        form = EducationForm(request.POST, level_choices=levels)
        if form.is_valid():
            try:
                services.education_save(client=client, data=_education_input(form), education_id=pk)
            except services.CompetenceInputError as exc:
                form.add_error(None, exc.message(_lang()))
            else:
                messages.success(request, _("Utbildningen är sparad."))
                return redirect("journey:competence_education")
    else:
        field_label = taxonomy.concept_labels(concept_ids=[row.field_id]).get(row.field_id, "")
        form = EducationForm(
            initial={
                "name": row.name,
                "institution": row.institution,
                "level_id": row.level_id,
                "field_id": row.field_id,
                "field_text": field_label,
                "start_year": row.start_year,
                "end_year": row.end_year,
            },
            level_choices=levels,
        )
    return render(
        request, "journey/competence/education_edit.html", {"form": form, "education": row}
    )


@require_POST
@client_required
def education_delete(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    try:
        services.education_delete(client=client, education_id=pk)
    except services.CompetenceInputError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Borttaget."))
    return redirect("journey:competence_education")


# ---- skills ----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def skills(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    form = SkillAddForm(request.POST or None)
    candidates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        skill_id = form.cleaned_data.get("skill_id") or ""
        if not skill_id:
            resolved = services.concept_resolve(
                text=form.cleaned_data["skill_text"], types=["skill"]
            )
            skill_id = resolved[0] if resolved else ""
        if skill_id:
            try:
                services.skill_add(
                    client=client, skill_id=skill_id, level=form.cleaned_data.get("level")
                )
            except services.CompetenceInputError as exc:
                form.add_error("skill_text", exc.message(_lang()))
            else:
                messages.success(request, _("Kompetensen är tillagd."))
                return redirect("journey:competence_skills")
        else:
            candidates = services.concept_candidates(
                text=form.cleaned_data["skill_text"], types=["skill"]
            )
            form.add_error(
                "skill_text",
                _("Välj en av kompetenserna nedan, eller skriv på ett annat sätt.")
                if candidates
                else _("Vi hittade ingen kompetens med det namnet. Försök med ett annat ord."),
            )
    page = selectors.skills_page_build(client=client, language=get_language())
    return render(
        request,
        "journey/competence/skills.html",
        {
            "form": form,
            "page": page,
            "candidates": candidates,
            "levels": level_choices(),
        },
    )


@require_POST
@client_required
def suggestions(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    """Accept or decline one suggested skill, or accept (or decline) all of them."""
    decision = request.POST.get("decision", "")
    skill_id = request.POST.get("skill_id", "")
    if decision in ("accept_all", "reject_all"):
        n = services.suggestions_decide(
            client=client, skill_ids=None, accept=decision == "accept_all"
        )
        if n:
            messages.success(
                request,
                _("%(n)s kompetenser är tillagda.") % {"n": n}
                if decision == "accept_all"
                else _("%(n)s förslag är avböjda.") % {"n": n},
            )
    elif decision in ("accept", "reject") and skill_id:
        services.suggestions_decide(
            client=client, skill_ids=[skill_id], accept=decision == "accept"
        )
    else:
        messages.error(request, _("Välj om du vill lägga till eller avböja förslaget."))
    return redirect(f"{_skills_url()}#forslag")


def _skills_url() -> str:
    return reverse("journey:competence_skills")


@require_POST
@client_required
def skill_level(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    form = SkillLevelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj en nivå mellan 1 och 5."))
    else:
        try:
            services.skill_level_set(
                client=client,
                skill_id=form.cleaned_data["skill_id"],
                level=form.cleaned_data.get("level"),
            )
        except services.CompetenceInputError as exc:
            _refused(request, exc)
    return redirect(f"{_skills_url()}#dina-kompetenser")


@require_POST
@client_required
def skill_remove(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    services.skill_remove(client=client, skill_id=request.POST.get("skill_id", ""))
    return redirect(f"{_skills_url()}#dina-kompetenser")


# ---- languages and driving licences ----------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def languages(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    form = LanguageForm(request.POST or None)
    candidates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        language_id = form.cleaned_data.get("language_id") or ""
        if not language_id:
            resolved = services.concept_resolve(
                text=form.cleaned_data["language_text"], types=["language"]
            )
            language_id = resolved[0] if resolved else ""
        if language_id:
            try:
                services.language_save(
                    client=client, language_id=language_id, level=form.cleaned_data["level"]
                )
            except services.CompetenceInputError as exc:
                form.add_error("language_text", exc.message(_lang()))
            else:
                messages.success(request, _("Språket är sparat."))
                return redirect("journey:competence_languages")
        else:
            candidates = services.concept_candidates(
                text=form.cleaned_data["language_text"], types=["language"]
            )
            form.add_error(
                "language_text",
                _("Välj ett av språken nedan.")
                if candidates
                else _("Vi hittade inget språk med det namnet."),
            )
    page = selectors.languages_page_build(client=client)
    licence_form = LicenceForm(
        initial={"licences": page.licences}, licence_choices=page.licence_choices
    )
    return render(
        request,
        "journey/competence/languages.html",
        {
            "form": form,
            "page": page,
            "candidates": candidates,
            "licence_form": licence_form,
            "levels": LanguageLevel.choices,
        },
    )


@require_POST
@client_required
def language_remove(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    services.language_remove(client=client, language_id=request.POST.get("language_id", ""))
    return redirect("journey:competence_languages")


@require_POST
@client_required
def licences(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    form = LicenceForm(request.POST, licence_choices=selectors.licence_choices())
    if not form.is_valid():
        messages.error(request, _("Välj bland körkortsbehörigheterna i listan."))
    else:
        try:
            services.driving_licences_set(client=client, licence_ids=form.cleaned_data["licences"])
        except services.CompetenceInputError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Körkort sparat."))
    return redirect(f"{_languages_url()}#korkort")


def _languages_url() -> str:
    return reverse("journey:competence_languages")


# ---- CV upload -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def cv(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    status = 200
    error = ""
    form: CvUploadForm
    if request.method == "POST":
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > MAX_UPLOAD_REQUEST_BYTES:
            # Refused before Django reads (and stores) the body.
            form = CvUploadForm()
            error = CvRefused("too_large").message(_lang())
            status = 413
        else:
            form = CvUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["cv"]
                try:
                    result = services.cv_upload_process(
                        client=client, stream=upload, size=upload.size, filename=upload.name
                    )
                except CvRefused as exc:
                    error = exc.message(_lang())
                    status = 400
                else:
                    messages.success(
                        request,
                        _(
                            "Vi har läst ditt CV: %(skills)s kompetenser, %(languages)s språk och "
                            "%(experiences)s erfarenheter att titta på. Filen är inte sparad."
                        )
                        % {
                            "skills": result.skills,
                            "languages": result.languages,
                            "experiences": result.experiences,
                        },
                    )
                    return redirect("journey:competence_skills")
                finally:
                    upload.close()  # a temporary file on disk is deleted when closed
            else:
                status = 400
    else:
        form = CvUploadForm()
    return render(
        request,
        "journey/competence/cv.html",
        {"form": form, "error": error, "uploads": selectors.cv_uploads(client=client)},
        status=status,
    )


@require_POST
@client_required
def cv_delete(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    try:
        services.cv_upload_delete(client=client, upload_id=pk)
    except services.CompetenceInputError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Texten från CV:t är raderad."))
    return redirect("journey:competence_cv")
