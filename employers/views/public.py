"""Pages for people the portal invites, and for clients answering employers.

- An HR colleague opens their invitation link and creates an HR account.
- An employee opens their invitation link, creates (or signs in to) a client account and
  accepts or declines; the consent choices are separate and optional.
- An employee of a company with open self-signup asks for an invitation to their work address.
- A client sees internal openings they were matched to and contact requests from employers,
  and decides for each whether the employer may see them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from employers import selectors, services
from employers.access import client_view
from employers.forms import AcceptForm, AccountCreateForm, SelfSignupForm
from employers.models import CaseKind, EnrolmentStatus, OpeningMatch
from vagval.accounts.selectors import user_get_by_email

GET_POST = ["GET", "HEAD", "POST"]
BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(GET_POST)
def hr_invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.hr_invitation_from_token(token)
    if invitation is None:
        return render(request, "employers/public/link_invalid.html", status=404)
    if request.user.is_authenticated:
        return render(request, "employers/public/link_signed_in.html", {"email": invitation.email})
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.hr_invitation_accept(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("Välkommen! Ditt HR-konto är klart."))
            return redirect("employers:home")
    return render(
        request,
        "employers/public/hr_invitation.html",
        {"invitation": invitation, "form": form},
    )


def _journey_url(case_kind: str) -> str:
    """Where an employee goes after accepting: step 2 for competence mapping, else Min resa."""
    names = ["journey:competence", "journey:overview"] if case_kind == CaseKind.PROACTIVE else [
        "journey:overview"
    ]  # fmt: skip
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return "/"


@require_http_methods(GET_POST)
def enrolment_accept(request: HttpRequest, token: str) -> HttpResponse:
    enrolment = services.enrolment_from_token(token)
    if enrolment is None:
        return render(request, "employers/public/link_invalid.html", status=404)
    case = enrolment.case
    user: Any = request.user
    context: dict[str, Any] = {"enrolment": enrolment, "case": case, "token": token}
    if user.is_authenticated and user.role != "client":
        return render(request, "employers/public/link_wrong_role.html", context, status=403)
    if enrolment.status == EnrolmentStatus.ACCEPTED:
        if user.is_authenticated and enrolment.user_id == user.pk:
            return redirect(_journey_url(case.kind))
        return render(request, "employers/public/link_used.html", context)
    accept_form = AcceptForm(request.POST if request.POST.get("action") == "accept" else None)
    account_form = AccountCreateForm(
        request.POST if request.POST.get("action") == "create" else None,
        initial={"first_name": enrolment.first_name, "last_name": enrolment.last_name},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "decline":
            try:
                services.enrolment_decline(enrolment=enrolment)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return render(request, "employers/public/declined.html", context)
        if action == "create" and not user.is_authenticated and account_form.is_valid():
            try:
                user = services.client_account_create_for_enrolment(
                    enrolment=enrolment,
                    first_name=account_form.cleaned_data["first_name"],
                    last_name=account_form.cleaned_data["last_name"],
                    password=account_form.cleaned_data["password1"],
                )
            except ValidationError as exc:
                account_form.add_error(None, exc)
            else:
                login(request, user, backend=BACKEND)
                return redirect(request.path)
        if action == "accept" and user.is_authenticated and accept_form.is_valid():
            try:
                services.enrolment_accept(
                    enrolment=enrolment,
                    user=user,
                    statistics_consent=accept_form.cleaned_data["statistics"],
                    mobility_opt_in=accept_form.cleaned_data["mobility"],
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("Tack! Du är med. Här börjar din resa."))
                return redirect(_journey_url(case.kind))
    context.update(
        {
            "accept_form": accept_form,
            "account_form": account_form,
            "has_account": user_get_by_email(email=enrolment.email) is not None,
            "login_url": reverse("account_login") + "?next=" + request.path,
        }
    )
    return render(request, "employers/public/enrolment.html", context)


@require_http_methods(GET_POST)
def self_signup(request: HttpRequest, token: str) -> HttpResponse:
    case = services.self_signup_case(token)
    if case is None:
        return render(request, "employers/public/link_invalid.html", status=404)
    form = SelfSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_self_signup(case=case, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("email", " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            # The same answer whether or not the address was already enrolled.
            return render(
                request,
                "employers/public/self_signup_sent.html",
                {"case": case, "email": form.cleaned_data["email"]},
            )
    return render(request, "employers/public/self_signup.html", {"case": case, "form": form})


@require_http_methods(["GET", "HEAD"])
@client_view
def client_home(request: HttpRequest) -> HttpResponse:
    page = selectors.client_employer_page(client=request.user)
    return render(request, "employers/public/client_home.html", {"page": page})


@require_POST
@client_view
def client_match_decide(request: HttpRequest, match_id: int) -> HttpResponse:
    try:
        services.opening_match_decide(
            match_id=match_id, client=request.user, show=request.POST.get("show") == "1"
        )
    except OpeningMatch.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Ditt svar är sparat. Du kan ändra dig så länge tjänsten är öppen.")
        )
    return redirect("employers:client_home")


@require_POST
@client_view
def client_request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    from employers.models import ContactRequest

    try:
        services.contact_request_decide(
            request_id=request_id, client=request.user, accept=request.POST.get("accept") == "1"
        )
    except ContactRequest.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Ditt svar är sparat."))
    return redirect("employers:client_home")


@require_POST
@client_view
def client_mobility(request: HttpRequest) -> HttpResponse:
    services.client_mobility_set(user=request.user, opt_in=request.POST.get("opt_in") == "1")
    messages.success(request, _("Ditt val är sparat."))
    return redirect("employers:client_home")
