"""Step 4 views: CVs (builder, live preview, export, import, check), cover letters, interview
and pitch practice. Thin: `journey.cv.services` writes, `journey.cv.selectors` reads.

Every action is a plain form post that redirects back (works without JavaScript). htmx adds the
live preview: the editor's forms post their unsaved values to `preview` as the client types and
the preview pane is swapped; nothing is saved until the client presses "Spara". A refused save
re-renders the page with what the client typed, so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from journey.cvparse import MAX_BYTES, CvRefused
from journey.models import ClientProfile
from journey.selectors import language_code
from journey.views.access import client_required

from . import forms, selectors, services
from . import render as docs
from .builder import SECTION_HEADINGS, Target
from .jsonresume import ImportRefused
from .models import PITCH_SECONDS, Cv

CLEANED = gettext_lazy(
    "Vi tog bort kod (HTML eller skript) ur texten. Resten av det du skrev sparades."
)
GET = ["GET", "HEAD"]


def _lang() -> str:
    return language_code(get_language())


def _cleaned(request: HttpRequest, saved: services.Saved) -> None:
    if saved.cleaned:
        messages.warning(request, CLEANED)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _cv(client: ClientProfile, pk: int, *, deleted: bool = False) -> Cv:
    cv = selectors.cv_get(client=client, cv_id=pk, deleted=deleted)
    if cv is None:
        raise Http404("Inget sådant CV.")
    return cv


def _download(exported: services.Exported) -> HttpResponse:
    response = HttpResponse(exported.data, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# ---- the start page -------------------------------------------------------------------------


@require_http_methods(GET)
@client_required
def index(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    choices = selectors.target_choices_get(client=client)
    page = selectors.cv_hub_get(client=client)
    return render(
        request,
        "journey_cv/index.html",
        {
            "page": page,
            "create_form": forms.CvCreateForm(
                targets=[(c.concept_id, c.label) for c in choices],
                initial={"language": _lang()},
            ),
            "import_form": forms.ImportForm(),
            "has_inventory": bool(choices) or bool(page.cvs),
            "max_mb": MAX_BYTES // (1024 * 1024),
        },
    )


@require_POST
@client_required
def create(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    inputs = selectors.cv_inputs_get(client=client, user=request.user)
    choices = selectors.target_choices(inputs=inputs)
    form = forms.CvCreateForm(request.POST, targets=[(c.concept_id, c.label) for c in choices])
    if not form.is_valid():
        messages.error(request, _("Välj målyrke, språk och mall i listorna."))
        return redirect("journey:cv:index")
    target = selectors.target_resolve(concept_id=form.cleaned_data["target"], choices=choices)
    groups, substitutes = selectors.target_context(target=target)
    try:
        cv = services.cv_create(
            client=client,
            inputs=inputs,
            target=target,
            language=form.cleaned_data["language"],
            template=form.cleaned_data["template"],
            layout=form.cleaned_data["layout"],
            title=form.cleaned_data["title"],
            groups=groups,
            substitutes=substitutes,
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("journey:cv:index")
    messages.success(
        request,
        _("Ditt CV är skapat av din kompetensinventering. Läs igenom och gör det till ditt."),
    )
    return redirect("journey:cv:edit", cv.pk)


# ---- the editor -----------------------------------------------------------------------------


def _document(cv: Cv, content: dict[str, Any] | None = None, **overrides: Any) -> docs.CvDocument:
    return docs.cv_document(
        content=content if content is not None else cv.content,
        sections=overrides.get("sections", cv.sections),
        language=overrides.get("language", cv.language),
        template=overrides.get("template", cv.template),
        layout=overrides.get("layout", cv.layout),
        title=cv.title,
    )


def _section_rows(cv: Cv) -> list[dict[str, Any]]:
    headings = SECTION_HEADINGS[cv.language]
    return [
        {
            "key": s["key"],
            "label": s.get("heading") or headings.get(s["key"], s["key"]),
            "default": headings.get(s["key"], s["key"]),
            "heading": s.get("heading", ""),
            "hidden": s.get("hidden", False),
            "first": i == 0,
            "last": i == len(cv.sections) - 1,
        }
        for i, s in enumerate(cv.sections)
    ]


def _editor_context(cv: Cv, inputs: Any, *, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    bound = bound or {}
    content = cv.content
    return {
        "cv": cv,
        "settings_form": bound.get("settings")
        or forms.CvSettingsForm(
            initial={
                "title": cv.title,
                "language": cv.language,
                "template": cv.template,
                "layout": cv.layout,
            }
        ),
        "basics_form": bound.get("basics") or forms.BasicsForm(initial=content.get("basics", {})),
        "experience_formset": bound.get("experience")
        or forms.ExperienceFormSet(initial=content.get("experience", []), prefix="exp"),
        "education_formset": bound.get("education")
        or forms.EducationFormSet(initial=content.get("education", []), prefix="edu"),
        "sections": _section_rows(cv),
        "lists": [
            (key, SECTION_HEADINGS[cv.language][key], content.get(key, []))
            for key in ("skills", "languages", "licences")
        ],
        "offers": selectors.cv_offers(cv=cv, inputs=inputs),
        "doc": _document(cv),
    }


@require_http_methods(GET)
@client_required
def edit(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    cv = _cv(client, pk)
    inputs = selectors.cv_inputs_get(client=client, with_market=False, user=request.user)
    return render(request, "journey_cv/edit.html", _editor_context(cv, inputs))


def _rows(formset: Any) -> list[dict[str, Any]]:
    rows = []
    for form in formset.forms:
        data = dict(form.cleaned_data or {})
        if data.get("DELETE"):
            data["delete"] = True
        rows.append(data)
    return rows


@require_POST
@client_required
def save_part(request: HttpRequest, pk: int, part: str, *, client: ClientProfile) -> HttpResponse:
    """Save one part of the editor: settings, basics, experience or education."""
    cv = _cv(client, pk)
    bound: dict[str, Any] = {}
    try:
        if part == "settings":
            settings_form = forms.CvSettingsForm(request.POST)
            bound["settings"] = settings_form
            if settings_form.is_valid():
                _cleaned(request, services.cv_settings_save(cv=cv, **settings_form.cleaned_data))
                return redirect(reverse("journey:cv:edit", args=[cv.pk]) + "#installningar")
        elif part == "basics":
            basics_form = forms.BasicsForm(request.POST)
            bound["basics"] = basics_form
            if basics_form.is_valid():
                _cleaned(request, services.cv_basics_save(cv=cv, data=basics_form.cleaned_data))
                return redirect(reverse("journey:cv:edit", args=[cv.pk]) + "#uppgifter")
        elif part == "experience":
            exp_formset = forms.ExperienceFormSet(request.POST, prefix="exp")
            bound["experience"] = exp_formset
            if exp_formset.is_valid():
                _cleaned(request, services.cv_experiences_save(cv=cv, rows=_rows(exp_formset)))
                return redirect(reverse("journey:cv:edit", args=[cv.pk]) + "#erfarenhet")
        elif part == "education":
            edu_formset = forms.EducationFormSet(request.POST, prefix="edu")
            bound["education"] = edu_formset
            if edu_formset.is_valid():
                _cleaned(request, services.cv_educations_save(cv=cv, rows=_rows(edu_formset)))
                return redirect(reverse("journey:cv:edit", args=[cv.pk]) + "#utbildning")
        elif part == "sections":
            keys = [k for k in Cv.SECTION_KEYS]
            order = sorted(
                keys,
                key=lambda k: (
                    int(request.POST.get(f"order-{k}", "99") or 99)
                    if (request.POST.get(f"order-{k}", "") or "").isdigit()
                    else 99
                ),
            )
            saved = services.cv_sections_save(
                cv=cv,
                order=order,
                hidden=[k for k in keys if request.POST.get(f"hidden-{k}")],
                headings={k: request.POST.get(f"heading-{k}", "") for k in keys},
            )
            _cleaned(request, saved)
            return redirect(reverse("journey:cv:edit", args=[cv.pk]) + "#delar")
        elif part in ("skills", "languages", "licences"):
            services.cv_list_visibility_save(
                cv=cv,
                section=part,
                visible=request.POST.getlist("visible"),
                labels={
                    k.removeprefix("label-"): request.POST.get(k, "")
                    for k in request.POST
                    if k.startswith("label-")
                },
            )
            return redirect(reverse("journey:cv:edit", args=[cv.pk]) + f"#{part}")
        else:
            raise Http404("Okänd del.")
    except ValidationError as exc:
        _errors(request, exc)
    messages.error(
        request, _("Något behöver rättas innan det kan sparas. Det du skrev finns kvar nedan.")
    )
    inputs = selectors.cv_inputs_get(client=client, with_market=False, user=request.user)
    return render(
        request, "journey_cv/edit.html", _editor_context(cv, inputs, bound=bound), status=400
    )


@require_POST
@client_required
def move(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    """Move a section, or an item of a section, up or down. The buttons sit in the section's
    form (`move` = "experience:2:down" or "skills:up"), so what the client typed in that form
    is saved first: moving never loses an edit."""
    cv = _cv(client, pk)
    parts = request.POST.get("move", "").split(":")
    section, direction = parts[0], (1 if parts[-1] == "down" else -1)
    formsets: dict[str, tuple[Any, str, Any]] = {
        "experience": (forms.ExperienceFormSet, "exp", services.cv_experiences_save),
        "education": (forms.EducationFormSet, "edu", services.cv_educations_save),
    }
    if section in formsets and f"{formsets[section][1]}-TOTAL_FORMS" in request.POST:
        formset_class, prefix, save = formsets[section]
        formset = formset_class(request.POST, prefix=prefix)
        if formset.is_valid():
            try:
                _cleaned(request, save(cv=cv, rows=_rows(formset)))
            except ValidationError as exc:
                _errors(request, exc)
    if len(parts) == 3 and parts[1].isdigit():
        services.cv_item_move(cv=cv, section=section, index=int(parts[1]), direction=direction)
        anchor = {"experience": "erfarenhet", "education": "utbildning"}.get(section, section)
    else:
        services.cv_section_move(cv=cv, key=section, direction=direction)
        anchor = "delar"
    return redirect(reverse("journey:cv:edit", args=[cv.pk]) + f"#{anchor}")


@require_POST
@client_required
def preview(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    """The live preview with the unsaved values of one form (htmx); nothing is saved."""
    cv = _cv(client, pk)
    content = dict(cv.content)
    overrides: dict[str, Any] = {}
    part = request.POST.get("part", "")
    if part == "basics":
        basics_form = forms.BasicsForm(request.POST)
        if basics_form.is_valid():
            content["basics"] = {**content.get("basics", {}), **basics_form.cleaned_data}
    elif part == "experience":
        formset = forms.ExperienceFormSet(request.POST, prefix="exp")
        if formset.is_valid():
            content["experience"] = [
                {**row, "current": bool(row.get("start")) and not row.get("end")}
                for row in _rows(formset)
                if row.get("title") and not row.get("delete")
            ]
    elif part == "education":
        edu_formset = forms.EducationFormSet(request.POST, prefix="edu")
        if edu_formset.is_valid():
            content["education"] = [
                row for row in _rows(edu_formset) if row.get("name") and not row.get("delete")
            ]
    elif part == "settings":
        settings_form = forms.CvSettingsForm(request.POST)
        if settings_form.is_valid():
            overrides = {
                k: settings_form.cleaned_data[k] for k in ("language", "template", "layout")
            }
    return render(request, "journey_cv/_preview.html", {"doc": _document(cv, content, **overrides)})


@require_POST
@client_required
def offer(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    """Add an offered inventory item to the CV, or say no to it for good."""
    cv = _cv(client, pk)
    key = request.POST.get("key", "")
    if request.POST.get("action") == "decline":
        services.cv_offer_decline(cv=cv, key=key)
    else:
        inputs = selectors.cv_inputs_get(client=client, with_market=False, user=request.user)
        services.cv_offer_accept(cv=cv, inputs=inputs, key=key)
        messages.success(request, _("Tillagt i CV:t. Du kan flytta eller dölja det nedan."))
    return redirect(reverse("journey:cv:edit", args=[cv.pk]) + "#nytt")


@require_POST
@client_required
def confirm_import(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    cv = _cv(client, pk)
    inputs = selectors.cv_inputs_get(client=client, with_market=False, user=request.user)
    added = services.cv_import_confirm(
        cv=cv, inputs=inputs, suggest_skills=bool(request.POST.get("suggest_skills"))
    )
    if added:
        messages.success(
            request,
            _("CV:t är klart. %(n)s kompetenser väntar på ditt svar i kompetensinventeringen.")
            % {"n": added},
        )
    else:
        messages.success(request, _("CV:t är klart."))
    return redirect("journey:cv:edit", cv.pk)


@require_http_methods(GET)
@client_required
def download(request: HttpRequest, pk: int, fmt: str, *, client: ClientProfile) -> HttpResponse:
    cv = _cv(client, pk)
    if fmt not in services.CONTENT_TYPES:
        raise Http404("Okänt format.")
    return _download(services.cv_export(cv=cv, fmt=fmt))


@require_POST
@client_required
def delete(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    cv = _cv(client, pk)
    services.cv_delete(cv=cv)
    messages.success(
        request,
        _("CV:t ”%(title)s” är borttaget. Du kan återställa det i 30 dagar.") % {"title": cv.title},
    )
    return redirect(reverse("journey:cv:index") + "#borttagna")


@require_POST
@client_required
def restore(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    cv = _cv(client, pk, deleted=True)
    services.cv_restore(cv=cv)
    messages.success(request, _("CV:t ”%(title)s” är återställt.") % {"title": cv.title})
    return redirect("journey:cv:edit", cv.pk)


@require_POST
@client_required
def copy(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    cv = services.cv_copy(cv=_cv(client, pk))
    messages.success(request, _("En kopia är skapad."))
    return redirect("journey:cv:edit", cv.pk)


# ---- import ---------------------------------------------------------------------------------


@require_POST
@client_required
def import_cv(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    """An uploaded JSON Resume, PDF or DOCX becomes a draft CV to review. A refused file leaves
    everything as it was and says why."""
    language = _lang()
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_BYTES + 64 * 1024:
        messages.error(request, CvRefused("too_large").message(language))
        return redirect(reverse("journey:cv:index") + "#importera")
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Välj en fil att importera."))
        return redirect(reverse("journey:cv:index") + "#importera")
    upload = form.cleaned_data["file"]
    name = upload.name or "cv"
    try:
        head = upload.read(8)
        upload.seek(0)
        if name.lower().endswith(".json") or head.lstrip()[:1] in (b"{", b"["):
            if upload.size > MAX_BYTES:
                raise CvRefused("too_large")
            result = services.cv_import_jsonresume(
                client=client, data=upload.read(MAX_BYTES + 1), filename=name
            )
        else:
            result = services.cv_import_file(
                client=client, stream=upload, size=upload.size, filename=name, language=language
            )
    except (CvRefused, ImportRefused, services.TooManyPages) as exc:
        messages.error(request, exc.message(language))
        return redirect(reverse("journey:cv:index") + "#importera")
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(reverse("journey:cv:index") + "#importera")
    messages.success(
        request,
        _("Vi läste filen och hittade %(n)s kompetenser i taxonomin. Granska utkastet nedan.")
        % {"n": result.matched_skills},
    )
    if result.unmatched:
        messages.info(
            request,
            _("Dessa kompetenser kände vi inte igen och lade inte till: %(names)s")
            % {"names": ", ".join(result.unmatched[:10])},
        )
    return redirect("journey:cv:edit", result.cv.pk)


# ---- the CV check ---------------------------------------------------------------------------


def _ad_options(client: ClientProfile) -> list[tuple[str, str]]:
    return [
        (str(a.ad_id), f"{a.headline} – {a.employer}" if a.employer else a.headline)
        for a in selectors.ad_choices(client=client)
    ]


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def check(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    cv = _cv(client, pk)
    ads = _ad_options(client)
    if request.method == "POST":
        form = forms.CheckForm(request.POST, ads=ads)
        if form.is_valid():
            inputs = selectors.cv_inputs_get(client=client, user=request.user)
            ad = form.cleaned_data["ad"]
            try:
                result = services.cv_check_run(
                    client=client,
                    cv=cv,
                    inputs=inputs,
                    ad_id=int(ad) if ad else None,
                    pasted=form.cleaned_data["text"],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return redirect("journey:cv:check_result", result.pk)
    else:
        initial = {"ad": request.GET.get("annons", "")}
        form = forms.CheckForm(initial=initial, ads=ads)
    return render(request, "journey_cv/check.html", {"cv": cv, "form": form})


@require_http_methods(GET)
@client_required
def check_result(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    result = selectors.cv_check_get(client=client, check_id=pk)
    if result is None or result.cv.deleted_at is not None:
        raise Http404("Ingen sådan granskning.")
    data = result.result
    requested = len(data.get("requested", []))
    score = round(100 * len(data.get("shown", [])) / requested) if requested else 0
    return render(
        request,
        "journey_cv/check_result.html",
        {"check": result, "cv": result.cv, "r": data, "score": score},
    )


@require_POST
@client_required
def check_add(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    result = selectors.cv_check_get(client=client, check_id=pk)
    if result is None:
        raise Http404("Ingen sådan granskning.")
    inputs = selectors.cv_inputs_get(client=client, with_market=False, user=request.user)
    try:
        services.cv_check_add(
            check=result, concept_id=request.POST.get("concept", ""), inputs=inputs
        )
        messages.success(request, _("Tillagt i CV:t."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(reverse("journey:cv:check_result", args=[result.pk]) + "#utelamnade")


# ---- cover letters --------------------------------------------------------------------------


def _cv_options(client: ClientProfile) -> list[tuple[str, str]]:
    return [(str(c.pk), c.title) for c in selectors.cv_list(client=client)]


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def letter_new(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    applications = selectors.applications_for_letters(client=client)
    options = [
        (str(a.application_id), f"{a.headline} – {a.employer}" if a.employer else a.headline)
        for a in applications
    ]
    cvs = _cv_options(client)
    if request.method == "POST":
        form = forms.LetterCreateForm(request.POST, applications=options, cvs=cvs)
        if form.is_valid():
            data = form.cleaned_data
            application = next(
                (a for a in applications if str(a.application_id) == data["application"]), None
            )
            cv = selectors.cv_get(client=client, cv_id=int(data["cv"])) if data["cv"] else None
            inputs = selectors.cv_inputs_get(client=client, with_market=False, user=request.user)
            try:
                letter = services.letter_create(
                    client=client,
                    language=data["language"],
                    cv=cv,
                    application=application,
                    inputs=inputs,
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Ett utkast är skrivet. Gör det till ditt eget."))
                return redirect("journey:cv:letter", letter.pk)
    else:
        initial: dict[str, Any] = {"language": _lang()}
        if request.GET.get("ansokan"):
            initial["application"] = request.GET["ansokan"]
        if cvs:
            initial["cv"] = cvs[0][0]
        form = forms.LetterCreateForm(initial=initial, applications=options, cvs=cvs)
    return render(request, "journey_cv/letter_new.html", {"form": form})


def _letter_or_404(client: ClientProfile, pk: int, *, deleted: bool = False) -> Any:
    letter = selectors.letter_get(client=client, letter_id=pk, deleted=deleted)
    if letter is None:
        raise Http404("Inget sådant brev.")
    return letter


def _contact(cv: Cv | None, user: Any) -> tuple[str, list[str]]:
    basics = (cv.content.get("basics") if cv else None) or {}
    name = basics.get("name") or user.get_full_name()
    contact = [basics.get(k, "") for k in ("email", "phone", "city") if basics.get(k)]
    return name, contact or [user.email]


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def letter(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    item = _letter_or_404(client, pk)
    cvs = _cv_options(client)
    if request.method == "POST":
        form = forms.LetterForm(request.POST, cvs=cvs)
        if form.is_valid():
            data = form.cleaned_data
            cv = selectors.cv_get(client=client, cv_id=int(data["cv"])) if data["cv"] else None
            try:
                saved = services.letter_save(
                    letter=item,
                    title=data["title"],
                    recipient=data["recipient"],
                    job_title=data["job_title"],
                    body=data["body"],
                    cv=cv,
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                _cleaned(request, saved)
                messages.success(request, _("Brevet är sparat."))
                return redirect("journey:cv:letter", item.pk)
    else:
        form = forms.LetterForm(
            initial={
                "title": item.title,
                "recipient": item.recipient,
                "job_title": item.job_title,
                "body": item.body,
                "cv": str(item.cv_id or ""),
            },
            cvs=cvs,
        )
    name, contact = _contact(item.cv, request.user)
    doc = docs.letter_document(
        body=item.body,
        language=item.language,
        template=item.cv.template if item.cv else "classic",
        name=name,
        contact=contact,
        recipient=item.recipient,
        job_title=item.job_title,
        date="",
        title=item.title,
    )
    return render(request, "journey_cv/letter.html", {"letter": item, "form": form, "doc": doc})


@require_http_methods(GET)
@client_required
def letter_download(
    request: HttpRequest, pk: int, fmt: str, *, client: ClientProfile
) -> HttpResponse:
    item = _letter_or_404(client, pk)
    if fmt not in ("pdf", "docx"):
        raise Http404("Okänt format.")
    name, contact = _contact(item.cv, request.user)
    return _download(services.letter_export(letter=item, fmt=fmt, name=name, contact=contact))


@require_POST
@client_required
def letter_delete(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    item = services.letter_delete(letter=_letter_or_404(client, pk))
    messages.success(
        request,
        _("Brevet ”%(title)s” är borttaget. Du kan återställa det i 30 dagar.")
        % {"title": item.title},
    )
    return redirect(reverse("journey:cv:index") + "#borttagna")


@require_POST
@client_required
def letter_restore(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    item = services.letter_restore(letter=_letter_or_404(client, pk, deleted=True))
    messages.success(request, _("Brevet är återställt."))
    return redirect("journey:cv:letter", item.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def letter_template(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    language = request.POST.get("language") or request.GET.get("sprak") or _lang()
    language = "en" if language == "en" else "sv"
    if request.method == "POST":
        form = forms.LetterTemplateForm(request.POST)
        if form.is_valid():
            try:
                saved = services.letter_template_save(
                    client=client, language=language, body=form.cleaned_data["body"]
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                _cleaned(request, saved)
                messages.success(request, _("Din brevmall är sparad."))
                return redirect(reverse("journey:cv:letter_template") + f"?sprak={language}")
    else:
        form = forms.LetterTemplateForm(
            initial={
                "language": language,
                "body": services.letter_template_text(client=client, language=language),
            }
        )
    return render(request, "journey_cv/letter_template.html", {"form": form, "language": language})


# ---- interview practice ---------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def practice(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    ads = _ad_options(client)
    targets = [(c.concept_id, c.label) for c in selectors.target_choices_get(client=client)]
    if request.method == "POST":
        form = forms.PracticeCreateForm(request.POST, ads=ads, targets=targets)
        if form.is_valid():
            data = form.cleaned_data
            inputs = selectors.cv_inputs_get(client=client, with_education=False, user=request.user)
            try:
                created = services.practice_set_create(
                    client=client,
                    inputs=inputs,
                    language=data["language"],
                    ad_id=int(data["ad"]) if data["ad"] else None,
                    target_occupation_id=data["target"] if not data["ad"] else "",
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return redirect("journey:cv:practice_set", created.pk)
    else:
        form = forms.PracticeCreateForm(
            initial={"language": _lang(), "ad": request.GET.get("annons", "")},
            ads=ads,
            targets=targets,
        )
    sets = selectors.practice_set_list(client=client)
    return render(request, "journey_cv/practice.html", {"form": form, "sets": sets})


def _set_or_404(client: ClientProfile, pk: int) -> Any:
    item = selectors.practice_set_get(client=client, set_id=pk)
    if item is None:
        raise Http404("Ingen sådan övning.")
    return item


@require_http_methods(GET)
@client_required
def practice_set(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    item = _set_or_404(client, pk)
    answers = selectors.practice_answers(practice_set=item)
    rows = [
        (
            a,
            forms.PracticeAnswerForm(
                initial={
                    "situation": a.situation,
                    "task": a.task,
                    "action": a.action,
                    "result": a.result,
                    "checklist": a.checklist,
                    "note": a.note,
                },
                prefix=f"a{a.pk}",
            ),
        )
        for a in answers
    ]
    done = sum(1 for a in answers if a.is_answered)
    return render(
        request,
        "journey_cv/practice_set.html",
        {"set": item, "rows": rows, "done": done, "total": len(answers)},
    )


@require_POST
@client_required
def practice_answer(
    request: HttpRequest, pk: int, answer_pk: int, *, client: ClientProfile
) -> HttpResponse:
    item = _set_or_404(client, pk)
    answer = item.answers.filter(pk=answer_pk).first()
    if answer is None:
        raise Http404("Ingen sådan fråga.")
    form = forms.PracticeAnswerForm(request.POST, prefix=f"a{answer.pk}")
    if form.is_valid():
        _cleaned(request, services.practice_answer_save(answer=answer, data=form.cleaned_data))
        messages.success(request, _("Svaret är sparat."))
    else:
        messages.error(request, _("Svaret är för långt. Korta det och spara igen."))
    return redirect(reverse("journey:cv:practice_set", args=[item.pk]) + f"#q{answer.pk}")


@require_POST
@client_required
def practice_share(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    item = _set_or_404(client, pk)
    share = request.POST.get("share") == "1"
    services.practice_set_share(practice_set=item, share=share)
    messages.success(
        request,
        _("Din rådgivare kan nu läsa dina svar (inte dina privata anteckningar).")
        if share
        else _("Övningen delas inte längre med din rådgivare."),
    )
    return redirect("journey:cv:practice_set", item.pk)


@require_POST
@client_required
def practice_delete(request: HttpRequest, pk: int, *, client: ClientProfile) -> HttpResponse:
    services.practice_set_delete(practice_set=_set_or_404(client, pk))
    messages.success(request, _("Övningen är borttagen."))
    return redirect("journey:cv:practice")


# ---- pitch ----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@client_required
def pitch(request: HttpRequest, *, client: ClientProfile) -> HttpResponse:
    language = _lang()
    if request.method == "POST":
        form = forms.PitchForm(request.POST)
        if form.is_valid():
            try:
                saved = services.pitch_save(
                    client=client,
                    seconds=form.cleaned_data["seconds"],
                    language=form.cleaned_data["language"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                _cleaned(request, saved)
                messages.success(request, _("Presentationen är sparad."))
                return redirect(reverse("journey:cv:pitch") + f"#p{form.cleaned_data['seconds']}")
        else:
            messages.error(request, _("Skriv din presentation (högst 4000 tecken)."))
    inputs = selectors.cv_inputs_get(client=client, with_education=False, user=request.user)
    choices = selectors.target_choices(inputs=inputs)
    target = (
        selectors.target_resolve(concept_id=choices[0].concept_id, choices=choices)
        if choices
        else Target()
    )
    saved_pitches = selectors.pitches_get(client=client, language=language)
    rows = []
    for seconds in PITCH_SECONDS:
        own = saved_pitches.get(seconds)
        text = (
            own.text
            if own
            else services.pitch_draft(
                inputs=inputs, target=target, seconds=seconds, language=language
            )
        )
        words = len(text.split())
        fast, slow = services.spoken_seconds(words)
        rows.append(
            {
                "seconds": seconds,
                "saved": own is not None,
                "form": forms.PitchForm(
                    initial={"seconds": seconds, "language": language, "text": text},
                    auto_id=f"p{seconds}-%s",
                ),
                "words": words,
                "budget": services.pitch_word_budget(seconds),
                "fast": fast,
                "slow": slow,
            }
        )
    return render(request, "journey_cv/pitch.html", {"rows": rows, "target": target})
