"""Endpoints of the public site outside the page tree: reader forms, newsletter, events,
robots.txt and the sitemap. Views are thin: validate the form, check spam and rate, call a
service, answer. A form with errors is shown again with everything the reader typed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page

from cms import services
from cms.cache import mark_cacheable
from cms.forms import BarrierReportForm, EventRegistrationForm, NewsletterForm, SubmissionForm
from cms.ics import event_ics
from cms.models import AccessibilityStatementPage, EventPage
from cms.sitemaps import AllLanguagesSitemap

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _rate_limited(request: HttpRequest, group: str) -> bool:
    """Cache-based limit per client IP (django-ratelimit); counts only well-formed sends."""
    rate = getattr(settings, "CMS_FORM_RATE", "5/10m")
    return is_ratelimited(request, group=f"cms:{group}", key="ip", rate=rate, increment=True)


def _live_page(page_id: int) -> Page:
    return get_object_or_404(Page.objects.live().public(), pk=page_id).specific


def _page_language(page: Page) -> str:
    return page.locale.language_code


def _language_from(request: HttpRequest) -> str:
    code = request.POST.get("language") or request.GET.get("language") or ""
    return code if code in LANGUAGE_CODES else (translation.get_language() or "sv")


# --- reader submissions -------------------------------------------------------------------------


@require_POST
def submission_create(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _live_page(page_id)
    with translation.override(_page_language(page)):
        form = SubmissionForm(request.POST, page=page)
        if form.is_spam():
            # Look like success to the bot; keep nothing.
            messages.success(request, _("Tack! Ditt bidrag granskas innan det publiceras."))
            return redirect(page.get_url(request))
        if not form.is_valid():
            return _submission_form(request, form, page, status=400)
        if _rate_limited(request, "submission"):
            form.add_error(None, _("Du har skickat många bidrag på kort tid. Vänta en stund."))
            return _submission_form(request, form, page, status=429)
        try:
            services.submission_create(
                page=page,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                title=form.cleaned_data.get("title", ""),
                body=form.cleaned_data["body"],
                language=_page_language(page),
            )
        except services.CmsServiceError as exc:
            form.add_error(None, str(exc))
            return _submission_form(request, form, page, status=400)
        messages.success(
            request,
            _("Tack! Ditt bidrag granskas innan det publiceras. Vi meddelar dig via e-post."),
        )
        return redirect(page.get_url(request))


def _submission_form(
    request: HttpRequest, form: SubmissionForm, page: Page, *, status: int
) -> HttpResponse:
    return render(request, "cms/submission_form.html", {"form": form, "page": page}, status=status)


# --- newsletter ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def newsletter_signup(request: HttpRequest) -> HttpResponse:
    language = _language_from(request)
    with translation.override(language):
        if request.method == "GET":
            return render(request, "cms/newsletter.html", {"form": NewsletterForm()})
        form = NewsletterForm(request.POST)
        if form.is_spam():
            return render(request, "cms/newsletter_pending.html", {})
        if not form.is_valid():
            return render(request, "cms/newsletter.html", {"form": form}, status=400)
        if _rate_limited(request, "newsletter"):
            form.add_error(None, _("För många försök på kort tid. Vänta en stund."))
            return render(request, "cms/newsletter.html", {"form": form}, status=429)
        services.newsletter_subscribe(email=form.cleaned_data["email"], language=language)
        return render(request, "cms/newsletter_pending.html", {})


@require_http_methods(["GET", "POST"])
def newsletter_confirm(request: HttpRequest, token: str) -> HttpResponse:
    # A GET only asks: mail scanners that follow links must not confirm on someone's behalf.
    if request.method == "GET":
        return render(request, "cms/newsletter_confirm.html", {"token": token})
    try:
        services.newsletter_confirm(token=token)
    except services.InvalidToken as exc:
        return render(
            request,
            "cms/message.html",
            {"heading": _("Något gick fel"), "text": str(exc)},
            status=400,
        )
    return render(
        request,
        "cms/message.html",
        {"heading": _("Tack!"), "text": _("Din prenumeration på nyhetsbrevet är bekräftad.")},
    )


@require_http_methods(["GET", "POST"])
def newsletter_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        return render(request, "cms/newsletter_unsubscribe.html", {"token": token})
    try:
        services.newsletter_unsubscribe(token=token)
    except services.InvalidToken as exc:
        return render(
            request,
            "cms/message.html",
            {"heading": _("Något gick fel"), "text": str(exc)},
            status=400,
        )
    return render(
        request,
        "cms/message.html",
        {
            "heading": _("Du är avregistrerad"),
            "text": _("Vi har tagit bort din e-postadress. Du får inga fler nyhetsbrev."),
        },
    )


# --- events -------------------------------------------------------------------------------------


def _live_event(page_id: int) -> EventPage:
    return get_object_or_404(EventPage.objects.live().public(), pk=page_id)


@require_POST
def event_register(request: HttpRequest, page_id: int) -> HttpResponse:
    event = _live_event(page_id)
    language = _page_language(event)
    with translation.override(language):
        form = EventRegistrationForm(request.POST)
        context: dict[str, Any] = {"form": form, "page": event}
        if form.is_spam():
            return render(
                request, "cms/event_registered.html", {"page": event, "registration": None}
            )
        if not form.is_valid():
            return render(request, "cms/event_register_form.html", context, status=400)
        if _rate_limited(request, "event"):
            form.add_error(None, _("För många anmälningar på kort tid. Vänta en stund."))
            return render(request, "cms/event_register_form.html", context, status=429)
        try:
            registration = services.event_register(
                event=event,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                language=language,
            )
        except services.CmsServiceError as exc:
            form.add_error(None, str(exc))
            return render(request, "cms/event_register_form.html", context, status=400)
        return render(
            request, "cms/event_registered.html", {"page": event, "registration": registration}
        )


@require_GET
def event_calendar(request: HttpRequest, page_id: int) -> HttpResponse:
    event = _live_event(page_id)
    response = HttpResponse(event_ics(event=event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return mark_cacheable(response)


@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        return render(request, "cms/event_cancel.html", {"token": token})
    try:
        services.event_registration_cancel(token=token)
    except services.InvalidToken as exc:
        return render(
            request,
            "cms/message.html",
            {"heading": _("Något gick fel"), "text": str(exc)},
            status=400,
        )
    return render(
        request,
        "cms/message.html",
        {
            "heading": _("Avbokat"),
            "text": _("Din anmälan är avbokad. Välkommen tillbaka en annan gång."),
        },
    )


# --- accessibility ------------------------------------------------------------------------------


@require_POST
def barrier_report(request: HttpRequest, page_id: int) -> HttpResponse:
    statement = get_object_or_404(AccessibilityStatementPage.objects.live(), pk=page_id)
    with translation.override(_page_language(statement)):
        form = BarrierReportForm(request.POST)
        context = {"form": form, "page": statement}
        if form.is_spam():
            return render(request, "cms/barrier_reported.html", context)
        if not form.is_valid():
            return render(request, "cms/barrier_form.html", context, status=400)
        if _rate_limited(request, "barrier"):
            form.add_error(None, _("För många rapporter på kort tid. Vänta en stund."))
            return render(request, "cms/barrier_form.html", context, status=429)
        services.barrier_report_create(
            description=form.cleaned_data["description"],
            page_url=form.cleaned_data["page_url"],
            email=form.cleaned_data["email"],
            notify=statement.contact_email,
        )
        return render(request, "cms/barrier_reported.html", context)


# --- robots and sitemap -------------------------------------------------------------------------


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    response = render(
        request, "cms/robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain"
    )
    return mark_cacheable(response)


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    response = wagtail_sitemap(request, sitemaps={"pages": AllLanguagesSitemap})
    if hasattr(response, "render"):
        response.render()
    if response.status_code != 200:
        raise Http404
    return mark_cacheable(response)
