"""The HR users' pages: start, company account, cases, staff lists, statistics, competence map,
openings, candidates and seminars. Every view gets `organisation` (the user's own company) from
`hr_view`, and looks objects up only within it, so another company's ids give 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from employers import selectors, services
from employers.access import hr_view
from employers.forms import (
    CandidateSearchForm,
    CaseForm,
    ContactForm,
    EnrolmentForm,
    HrInviteForm,
    OpeningForm,
    SeminarSignupForm,
    SiteForm,
    UnionContactForm,
    UploadForm,
)
from employers.models import CaseKind, Opening, OpeningAudience
from employers.staff_lists import FileRejected, errors_by_row
from vagval.accounts.models import Organisation, User
from vagval.consent.access import client_access

from .common import concept_from_text, csv_response, skills_from_text

GET = ["GET", "HEAD"]
GET_POST = ["GET", "HEAD", "POST"]


def _error_text(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("Det gick inte att spara.")


# --- start and company account ------------------------------------------------------------------


@require_http_methods(GET)
@hr_view(action="home.view", purpose="Företagsportalens startsida")
def home(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    context = {
        "organisation": organisation,
        "cases": selectors.cases_for(organisation=organisation)[:5],
        "openings": [o for o in selectors.openings_for(organisation=organisation) if o.is_open][:5],
    }
    return render(request, "employers/home.html", context)


@require_http_methods(GET_POST)
@hr_view(action="company.view", purpose="Företagskonto")
def company(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    site_form = SiteForm(prefix="site")
    union_form = UnionContactForm(prefix="union")
    invite_form = HrInviteForm(prefix="invite")
    if request.method == "POST":
        what = request.POST.get("form")
        try:
            if what == "site":
                site_form = SiteForm(request.POST, prefix="site")
                if site_form.is_valid():
                    services.site_create(
                        organisation=organisation, actor=request.user, **site_form.cleaned_data
                    )
                    messages.success(request, _("Arbetsstället är tillagt."))
                    return redirect("employers:company")
            elif what == "union":
                union_form = UnionContactForm(request.POST, prefix="union")
                if union_form.is_valid():
                    services.union_contact_create(
                        organisation=organisation, actor=request.user, **union_form.cleaned_data
                    )
                    messages.success(request, _("Den fackliga kontakten är tillagd."))
                    return redirect("employers:company")
            elif what == "invite":
                invite_form = HrInviteForm(request.POST, prefix="invite")
                if invite_form.is_valid():
                    services.hr_invitation_create(
                        organisation=organisation,
                        invited_by=request.user,
                        email=invite_form.cleaned_data["email"],
                    )
                    messages.success(request, _("Inbjudan är skickad."))
                    return redirect("employers:company")
            elif what in ("site_delete", "union_delete", "invite_revoke"):
                item = int(request.POST.get("id", "0") or 0)
                if what == "site_delete":
                    services.site_delete(
                        organisation=organisation, actor=request.user, site_id=item
                    )
                elif what == "union_delete":
                    services.union_contact_delete(
                        organisation=organisation, actor=request.user, contact_id=item
                    )
                else:
                    services.hr_invitation_revoke(
                        organisation=organisation, actor=request.user, invitation_id=item
                    )
                messages.success(request, _("Borttaget."))
                return redirect("employers:company")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
    context = {
        "account": selectors.company_account_get(organisation=organisation),
        "site_form": site_form,
        "union_form": union_form,
        "invite_form": invite_form,
    }
    return render(request, "employers/company.html", context)


# --- cases --------------------------------------------------------------------------------------


@require_http_methods(GET)
@hr_view(action="case.list", purpose="Lista över ärenden")
def case_list(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "employers/case_list.html",
        {"organisation": organisation, "cases": selectors.cases_for(organisation=organisation)},
    )


@require_http_methods(GET_POST)
@hr_view(action="case.create", purpose="Nytt ärende")
def case_create(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    initial = {"kind": request.GET.get("typ") or CaseKind.NOTICE}
    form = CaseForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Ärendet är skapat. Anmäl nu de berörda."))
            return redirect("employers:case_detail", case_id=case.pk)
    return render(request, "employers/case_form.html", {"form": form, "case": None})


def _case(organisation: Organisation, case_id: int) -> Any:
    case = selectors.case_get(organisation=organisation, case_id=case_id)
    if case is None:
        raise Http404
    return case


@require_http_methods(GET_POST)
@hr_view(action="case.update", purpose="Ändra ärende")
def case_update(request: HttpRequest, *, organisation: Organisation, case_id: int) -> HttpResponse:
    case = _case(organisation, case_id)
    initial = {name: getattr(case, name) for name in services.CASE_FIELDS}
    form = CaseForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(case=case, actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Ärendet är sparat."))
            return redirect("employers:case_detail", case_id=case.pk)
    return render(request, "employers/case_form.html", {"form": form, "case": case})


@require_http_methods(GET_POST)
@hr_view(action="case.view", purpose="Ärende: anmälda och sammanställning")
def case_detail(request: HttpRequest, *, organisation: Organisation, case_id: int) -> HttpResponse:
    case = _case(organisation, case_id)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("form") == "resend":
            try:
                services.enrolment_invite_resend(
                    case=case, actor=request.user, enrolment_id=int(request.POST.get("id") or 0)
                )
                messages.success(request, _("En ny inbjudan är skickad."))
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _error_text(exc))
            except case.enrolments.model.DoesNotExist:
                raise Http404 from None
            return redirect("employers:case_detail", case_id=case.pk)
        if form.is_valid():
            try:
                services.enrolment_add(case=case, actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error("email" if "anmäld" in _error_text(exc) else None, _error_text(exc))
            else:
                messages.success(
                    request,
                    _("%(name)s är anmäld och får en inbjudan via e-post.")
                    % {"name": form.cleaned_data["first_name"]},
                )
                return redirect("employers:case_detail", case_id=case.pk)
    dashboard = selectors.progress_dashboard(organisation=organisation)
    enrolments = list(selectors.enrolments_for(case=case))
    context = {
        "case": case,
        "form": form,
        "enrolments": enrolments,
        "n_accepted": sum(1 for e in enrolments if e.status == "accepted"),
        "dashboard": dashboard,
        "case_rows": [r for r in [dashboard.row_for(case.pk)] if r is not None],
        "self_signup_url": (
            request.build_absolute_uri(
                reverse("employers:self_signup", kwargs={"token": services.self_signup_token(case)})
            )
            if case.kind == CaseKind.PROACTIVE and case.self_signup_domain
            else ""
        ),
    }
    return render(request, "employers/case_detail.html", context)


@require_http_methods(GET_POST)
@hr_view(action="import.upload", purpose="Ladda upp lista över berörda")
def import_upload(request: HttpRequest, *, organisation: Organisation, case_id: int
                  ) -> HttpResponse:  # fmt: skip
    case = _case(organisation, case_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                case=case, actor=request.user, filename=upload.name, data=upload.read()
            )
        except FileRejected as exc:
            form.add_error("file", str(exc))
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _error_text(exc))
        else:
            return redirect("employers:import_detail", case_id=case.pk, job_id=job.pk)
    return render(request, "employers/import_upload.html", {"case": case, "form": form})


def _import_context(case: Any, job: Any) -> dict[str, Any]:
    return {
        "case": case,
        "job": job,
        "errors": errors_by_row(job.errors),
        "preview": job.rows[:50],
        "running": job.is_running,
    }


@require_http_methods(GET_POST)
@hr_view(action="import.view", purpose="Kontrollera uppladdad lista")
def import_detail(
    request: HttpRequest, *, organisation: Organisation, case_id: int, job_id: int
) -> HttpResponse:
    case = _case(organisation, case_id)
    job = selectors.import_job_get(case=case, job_id=job_id)
    if job is None:
        raise Http404
    if request.method == "POST":
        try:
            services.import_job_confirm(job=job, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        return redirect("employers:import_detail", case_id=case.pk, job_id=job.pk)
    return render(request, "employers/import_detail.html", _import_context(case, job))


@require_http_methods(GET)
@hr_view(action="import.status", purpose="Förlopp för uppladdad lista")
def import_status(
    request: HttpRequest, *, organisation: Organisation, case_id: int, job_id: int
) -> HttpResponse:
    """The progress fragment htmx polls; when the job is done it tells htmx to reload the page."""
    case = _case(organisation, case_id)
    job = selectors.import_job_get(case=case, job_id=job_id)
    if job is None:
        raise Http404
    if job.is_running:
        request.htmx_poll = True  # type: ignore[attr-defined]  # counts only: not audited
        return render(request, "employers/_import_progress.html", {"case": case, "job": job})
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response


# --- statistics and competence map --------------------------------------------------------------


@require_http_methods(GET)
@hr_view(action="stats.view", purpose="Sammanställd statistik")
def stats(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    dashboard = selectors.progress_dashboard(organisation=organisation)
    return render(request, "employers/stats.html", {"dashboard": dashboard})


@require_http_methods(GET)
@hr_view(action="stats.export", purpose="Export av sammanställd statistik")
def stats_export(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    dashboard = selectors.progress_dashboard(organisation=organisation)
    return csv_response(
        filename="vagval-statistik", rows=selectors.progress_csv_rows(dashboard=dashboard)
    )


@require_http_methods(GET)
@hr_view(action="case.export", purpose="Export av statistik för ärende")
def case_export(request: HttpRequest, *, organisation: Organisation, case_id: int
                ) -> HttpResponse:  # fmt: skip
    case = _case(organisation, case_id)
    dashboard = selectors.progress_dashboard(organisation=organisation)
    rows = selectors.progress_csv_rows(dashboard=dashboard)
    keep = [rows[0], *[r for r, row in zip(rows[1:], dashboard.rows, strict=False)
                       if row.case and row.case.pk == case.pk], *rows[-2:]]  # fmt: skip
    return csv_response(filename=f"vagval-arende-{case.pk}", rows=keep)


@require_http_methods(GET)
@hr_view(action="competence_map.view", purpose="Anonym kompetenskarta")
def competence_map(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    data = selectors.competence_map(organisation=organisation)
    return render(request, "employers/competence_map.html", {"map": data})


@require_http_methods(GET)
@hr_view(action="competence_map.export", purpose="Export av anonym kompetenskarta")
def competence_map_export(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    data = selectors.competence_map(organisation=organisation)
    return csv_response(
        filename="vagval-kompetenskarta", rows=selectors.competence_map_csv_rows(data=data)
    )


# --- openings -------------------------------------------------------------------------------------


@require_http_methods(GET)
@hr_view(action="opening.list", purpose="Lediga tjänster")
def opening_list(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "employers/opening_list.html",
        {"openings": selectors.openings_for(organisation=organisation)},
    )


@require_http_methods(GET_POST)
@hr_view(action="opening.create", purpose="Ny ledig tjänst")
def opening_create(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    form = OpeningForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        occupation_id, occupation_label = concept_from_text(
            concept_id=data["occupation_id"], text=data["occupation"], type="occupation"
        )
        skill_ids, unknown = skills_from_text(data["skills"])
        if data["occupation"] and not occupation_id:
            form.add_error("occupation", _("Vi hittade inget yrke som heter så. Välj i listan."))
        elif unknown:
            form.add_error(
                "skills",
                _("Vi känner inte igen: %(names)s. Skriv kompetenserna på ett annat sätt.")
                % {"names": ", ".join(unknown)},
            )
        else:
            try:
                opening = services.opening_create(
                    organisation=organisation,
                    actor=request.user,
                    title=data["title"],
                    description=data["description"],
                    occupation_id=occupation_id,
                    occupation_label=occupation_label,
                    skill_ids=skill_ids,
                    unit=data["unit"],
                    site=data["site"],
                    audience=data["audience"],
                    closes_on=data["closes_on"],
                    apply_url=data["apply_url"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(
                    request,
                    _("Tjänsten är publicerad. Medarbetare som matchar ser den först och väljer "
                      "själva om ni får se dem."),
                )  # fmt: skip
                return redirect("employers:opening_detail", opening_id=opening.pk)
    return render(request, "employers/opening_form.html", {"form": form})


def _opening(organisation: Organisation, opening_id: int) -> Opening:
    opening = selectors.opening_get(organisation=organisation, opening_id=opening_id)
    if opening is None:
        raise Http404
    return opening


@require_http_methods(GET_POST)
@hr_view(action="opening.view", purpose="Ledig tjänst och intresserade medarbetare")
def opening_detail(
    request: HttpRequest, *, organisation: Organisation, opening_id: int
) -> HttpResponse:
    opening = _opening(organisation, opening_id)
    if request.method == "POST":
        action = request.POST.get("action", "close")
        try:
            if action in OpeningAudience.values:
                services.opening_audience_set(
                    organisation=organisation,
                    actor=request.user,
                    opening_id=opening.pk,
                    audience=action,
                )
                messages.success(
                    request,
                    _("Tjänsten visas nu även för andra medlemsföretags medarbetare, i deras "
                      "flöde av lediga jobb.")
                    if action == OpeningAudience.NETWORK
                    else _("Tjänsten visas nu bara för era egna medarbetare."),
                )  # fmt: skip
            else:
                services.opening_close(
                    organisation=organisation, actor=request.user, opening_id=opening.pk
                )
                messages.success(request, _("Tjänsten är stängd."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        return redirect("employers:opening_detail", opening_id=opening.pk)
    shown = []
    for match in selectors.opening_shown_matches(opening=opening):
        # Each person is shown only through the access helper, which checks and logs.
        try:
            client = client_access(
                viewer=request.user,
                client_id=match.client_id,
                purpose="Intresserad av intern tjänst",
                action="employers.opening.candidate",
                obj=match,
            )
        except Http404:
            continue
        shown.append((match, client))
    from vagval.taxonomy.selectors import concept_labels

    labels = concept_labels(
        concept_ids=[*opening.skill_ids, *(s for m, _c in shown for s in m.matched_skill_ids)]
    )
    total, n_shown = selectors.opening_matches_summary(opening=opening)
    context = {
        "opening": opening,
        "shown": [(m, c, [labels.get(s, s) for s in m.matched_skill_ids]) for m, c in shown],
        "skills": [labels.get(s, s) for s in opening.skill_ids],
        "total": total,
        "n_shown": n_shown,
    }
    return render(request, "employers/opening_detail.html", context)


# --- onward: candidates across member companies ---------------------------------------------------


def _regions() -> list[tuple[str, str]]:
    from vagval.taxonomy.selectors import concept_list

    return [(c.concept_id, c.label_sv) for c in concept_list(type="region")]


@require_http_methods(GET)
@hr_view(action="candidates.search", purpose="Sök anonyma kandidater")
def candidates(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    form = CandidateSearchForm(request.GET or None, regions=_regions())
    result = None
    if form.is_valid():
        data = form.cleaned_data
        occupation_id = skill_id = ""
        if data["occupation"] or data["occupation_id"]:
            occupation_id, _l = concept_from_text(
                concept_id=data["occupation_id"], text=data["occupation"], type="occupation"
            )
        if data["skill"] or data["skill_id"]:
            skill_id, _l = concept_from_text(
                concept_id=data["skill_id"], text=data["skill"], type="skill"
            )
        try:
            page = int(request.GET.get("sida", "1"))
        except ValueError:
            page = 1
        result = selectors.candidates_search(
            organisation=organisation,
            occupation_id=occupation_id,
            skill_id=skill_id,
            region_id=data["region"] or "",
            page=page,
        )
        from vagval.audit.services import audit_record

        for candidate in result.candidates:
            # The client's access log says that an employer saw their anonymous profile; an
            # unsaved instance with the pk costs no query per candidate.
            audit_record(
                actor=request.user,
                subject=User(pk=candidate.client_id),
                action="employers.candidate.anonymous_view",
                purpose="Anonym profil visad i kandidatsökning",
            )
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "employers/candidates.html",
        {"form": form, "result": result, "query": query.urlencode(),
         "requests": selectors.contact_requests_for(organisation=organisation)},
    )  # fmt: skip


@require_http_methods(GET_POST)
@hr_view(action="candidates.contact", purpose="Kontaktförfrågan till anonym kandidat")
def candidate_contact(request: HttpRequest, *, organisation: Organisation, ref: str
                      ) -> HttpResponse:  # fmt: skip
    client_id = selectors.candidate_client_id(organisation=organisation, ref=ref)
    if client_id is None:
        raise Http404
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_request_create(
                organisation=organisation,
                actor=request.user,
                client_id=client_id,
                message=form.cleaned_data["message"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(
                request,
                _("Förfrågan är skickad. Ni får se namn och kontaktuppgifter om personen "
                  "tackar ja."),
            )  # fmt: skip
            return redirect("employers:candidates")
    return render(request, "employers/candidate_contact.html", {"form": form, "ref": ref})


@require_http_methods(GET_POST)
@hr_view(action="contact_requests.view", purpose="Kontaktförfrågningar och svar")
def contact_requests(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    if request.method == "POST":
        services.contact_request_withdraw(
            organisation=organisation,
            actor=request.user,
            request_id=int(request.POST.get("id") or 0),
        )
        messages.success(request, _("Förfrågan är återkallad."))
        return redirect("employers:contact_requests")
    rows = []
    for item in selectors.contact_requests_for(organisation=organisation):
        person = None
        if item.status == "accepted":
            try:
                person = client_access(
                    viewer=request.user,
                    client_id=item.client_id,
                    purpose="Kandidaten tackade ja till kontakt",
                    action="employers.contact.identity",
                    obj=item,
                )
            except Http404:
                person = None
        rows.append((item, person))
    return render(request, "employers/contact_requests.html", {"rows": rows})


# --- seminars -------------------------------------------------------------------------------------


@require_http_methods(GET_POST)
@hr_view(action="seminars.view", purpose="Seminarier för chefer och fackliga företrädare")
def seminars(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    form = SeminarSignupForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("form") == "cancel":
            services.seminar_signup_cancel(
                organisation=organisation,
                actor=request.user,
                signup_id=int(request.POST.get("id") or 0),
            )
            messages.success(request, _("Anmälan är borttagen."))
            return redirect("employers:seminars")
        if form.is_valid():
            try:
                services.seminar_signup(
                    seminar_id=int(request.POST.get("seminar") or 0),
                    organisation=organisation,
                    actor=request.user,
                    **form.cleaned_data,
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _error_text(exc))
            except services.Seminar.DoesNotExist:
                raise Http404 from None
            else:
                messages.success(request, _("Anmälan är registrerad."))
                return redirect("employers:seminars")
    context = {
        "seminars": selectors.seminars_upcoming(),
        "signups": selectors.seminar_signups_for(organisation=organisation),
        "form": form,
    }
    return render(request, "employers/seminars.html", context)


@require_POST
@hr_view(action="import.cancel", purpose="Avbryt uppladdad lista")
def import_cancel(
    request: HttpRequest, *, organisation: Organisation, case_id: int, job_id: int
) -> HttpResponse:
    case = _case(organisation, case_id)
    job = selectors.import_job_get(case=case, job_id=job_id)
    if job is None:
        raise Http404
    if services.import_job_discard(job=job, actor=request.user):
        messages.success(request, _("Listan är borttagen. Inget lästes in."))
    return redirect("employers:case_detail", case_id=case.pk)
