"""Wagtail admin for the public site: snippets (authors, topics) and the reader queues.

The moderation queue is a snippet viewset over `ReaderSubmission` with a "Granska" (review)
button per pending row; the review view shows the text and approves or rejects it through
`cms.services`. The dashboard shows how many submissions wait.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms import selectors, services
from cms.models import (
    Author,
    BarrierReport,
    EventRegistration,
    NewsletterSubscription,
    ReaderSubmission,
    Topic,
)

MODERATE_PERMISSION = "cms.change_readersubmission"


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    list_display = ["name", "role", "organisation", "locale"]
    search_fields = ["name"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug", "locale"]


class ReaderSubmissionViewSet(SnippetViewSet):
    model = ReaderSubmission
    icon = "comment"
    menu_label = gettext_lazy("Moderering")
    list_display = ["__str__", "kind", "name", "page", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "title", "body"]
    inspect_view_enabled = True
    # Moderators may correct a typo; status changes only through the review view.
    panels = [FieldPanel("title"), FieldPanel("body"), FieldPanel("name")]

    def get_urlpatterns(self) -> list[Any]:
        return [
            *super().get_urlpatterns(),
            path("review/<int:pk>/", review_submission, name="review"),
        ]


class BarrierReportViewSet(SnippetViewSet):
    model = BarrierReport
    icon = "warning"
    list_display = ["__str__", "page_url", "created_at", "handled"]
    list_filter = ["handled"]
    panels = [
        FieldPanel("page_url"),
        FieldPanel("description"),
        FieldPanel("email"),
        FieldPanel("handled"),
    ]


class NewsletterSubscriptionViewSet(SnippetViewSet):
    model = NewsletterSubscription
    icon = "mail"
    list_display = ["email", "language", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    panels = [FieldPanel("email", read_only=True), FieldPanel("language"), FieldPanel("status")]


class EventRegistrationViewSet(SnippetViewSet):
    model = EventRegistration
    icon = "date"
    list_display = ["name", "email", "event", "status", "created_at"]
    list_filter = ["status", "event"]
    search_fields = ["name", "email"]
    panels = [FieldPanel("event"), FieldPanel("name"), FieldPanel("email"), FieldPanel("status")]


class ReadersGroup(SnippetViewSetGroup):
    """Everything readers send in, under one menu item."""

    items = (
        ReaderSubmissionViewSet,
        BarrierReportViewSet,
        NewsletterSubscriptionViewSet,
        EventRegistrationViewSet,
    )
    menu_icon = "group"
    menu_label = gettext_lazy("Läsare")
    menu_name = "readers"
    menu_order = 250


class ContentGroup(SnippetViewSetGroup):
    items = (AuthorViewSet, TopicViewSet)
    menu_icon = "snippet"
    menu_label = gettext_lazy("Skribenter och ämnen")
    menu_name = "authors-topics"
    menu_order = 240


register_snippet(ContentGroup)
register_snippet(ReadersGroup)


def _review_url_name() -> str:
    return "wagtailsnippets_cms_readersubmission:review"


def _list_url() -> str:
    return reverse("wagtailsnippets_cms_readersubmission:list")


def review_submission(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one submission; POST approves (publishes) or rejects it and e-mails the submitter."""
    if not request.user.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied
    submission = get_object_or_404(ReaderSubmission.objects.select_related("page"), pk=pk)
    if request.method == "POST" and submission.status == ReaderSubmission.Status.PENDING:
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.submission_approve(submission_id=submission.pk, moderator=request.user)  # type: ignore[arg-type]
                messages.success(
                    request, _("Bidraget är publicerat och skribenten har fått e-post.")
                )
                return redirect(_list_url())
            if action == "reject":
                services.submission_reject(
                    submission_id=submission.pk,
                    moderator=request.user,  # type: ignore[arg-type]
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("Bidraget är avvisat och skribenten har fått e-post."))
                return redirect(_list_url())
        except services.CmsServiceError as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "cms/admin/review_submission.html",
        {
            "submission": submission,
            "page_title": _("Granska läsarbidrag"),
            "header_icon": "comment",
            "list_url": _list_url(),
        },
    )


@hooks.register("register_snippet_listing_buttons")
def submission_review_button(
    snippet: Any, user: Any, next_url: str | None = None
) -> Iterator[ListingButton]:
    if (
        isinstance(snippet, ReaderSubmission)
        and snippet.status == ReaderSubmission.Status.PENDING
        and user.has_perm(MODERATE_PERMISSION)
    ):
        yield ListingButton(
            _("Granska"),
            url=reverse(_review_url_name(), args=[snippet.pk]),
            icon_name="view",
            priority=5,
        )


class PendingSubmissionsPanel(Component):
    order = 50

    def render_html(self, parent_context: dict[str, Any] | None = None) -> str:
        count = selectors.pending_submission_count()
        if not count:
            return ""
        return format_html(
            '<section class="panel w-mb-8"><h2 class="w-h3">{}</h2>'
            '<p><a class="button" href="{}">{}</a></p></section>',
            _("%(count)s läsarbidrag väntar på granskning") % {"count": count},
            _list_url() + "?status=pending",
            _("Till modereringen"),
        )


@hooks.register("construct_homepage_panels")
def add_pending_submissions_panel(request: HttpRequest, panels: list[Any]) -> None:
    if request.user.has_perm(MODERATE_PERMISSION):
        panels.append(PendingSubmissionsPanel())
