"""The person's own privacy pages: consents, who saw my data, download, delete the account."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vagval.audit.selectors import audit_events_for_subject

from .forms import AccountDeleteForm, ConsentChangeForm
from .models import ConsentPurpose
from .privacy import user_account_delete, user_data_export
from .selectors import consents_for_user
from .services import consent_grant, consent_withdraw


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "consent/overview.html")


@login_required
def consents(request: HttpRequest) -> HttpResponse:
    return render(
        request, "consent/consents.html", {"statuses": consents_for_user(user=request.user)}
    )


@login_required
@require_POST
def consent_change(request: HttpRequest, purpose: str) -> HttpResponse:
    if purpose not in ConsentPurpose.values:
        raise Http404
    form = ConsentChangeForm(request.POST)
    label = ConsentPurpose(purpose).label
    if not form.is_valid():
        messages.error(request, _("Något gick fel. Försök igen."))
    elif form.cleaned_data["action"] == "grant":
        try:
            consent_grant(
                user=request.user, purpose=purpose, text_version=form.cleaned_data["text_version"]
            )
            messages.success(request, _("Tack! Du har gett ditt samtycke: %s.") % label)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        consent_withdraw(user=request.user, purpose=purpose)
        messages.success(request, _("Du har tagit tillbaka ditt samtycke: %s.") % label)
    return redirect("consent:consents")


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    events = audit_events_for_subject(subject=request.user)
    return render(request, "consent/access_log.html", {"events": events})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    if request.GET.get("download"):
        profile = user_data_export(user=request.user)
        body = json.dumps(profile, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        filename = f"vagval-mina-data-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "consent/export.html")


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user_account_delete(user=request.user)
        logout(request)
        return redirect("consent:deleted")
    return render(request, "consent/delete.html", {"form": form})


def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "consent/deleted.html")
