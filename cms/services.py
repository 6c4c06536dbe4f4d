"""Writes of the public site: reader submissions and their moderation, newsletter double
opt-in, event registration with a waiting list, and accessibility barrier reports.

Each service validates its own invariants, changes the database in one transaction, clears the
page cache when what a reader sees changes, and then sends its e-mail. Links in e-mails carry a
signed token (django.core.signing), never a guessable id.
"""

from __future__ import annotations

import html
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import nh3
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import linebreaks
from django.utils.text import slugify
from django.utils.translation import gettext_lazy
from wagtail.models import Page
from wagtail.rich_text import RichText

from cms.cache import page_cache_clear
from cms.models import (
    BarrierReport,
    DebatePage,
    EventPage,
    EventRegistration,
    NewsletterSubscription,
    ReaderSubmission,
)
from cms.models.pages import ArticleBase

if TYPE_CHECKING:
    from vagval.accounts.models import User

logger = logging.getLogger(__name__)

NEWSLETTER_CONFIRM_SALT = "cms.newsletter.confirm"
NEWSLETTER_UNSUBSCRIBE_SALT = "cms.newsletter.unsubscribe"
EVENT_CANCEL_SALT = "cms.event.cancel"
NEWSLETTER_CONFIRM_MAX_AGE = timedelta(days=7)


class CmsServiceError(Exception):
    """A request that cannot be carried out; the message is fit to show to the reader."""


class InvalidToken(CmsServiceError):
    pass


# --- helpers ------------------------------------------------------------------------------------


def text_neutralise(*, text: str) -> str:
    """Plain text with every tag removed and script/style content dropped.

    The result is stored as plain text and escaped again wherever it is shown.
    """
    cleaned = nh3.clean(text, tags=set(), clean_content_tags={"script", "style"})
    return html.unescape(cleaned).replace("\r\n", "\n").strip()


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(
    *,
    to: str,
    subject: Any,
    template: str,
    context: dict[str, Any],
    language: str,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> None:
    """Send one plain-text e-mail in the reader's language; a mail failure is logged, not raised,
    because the database change it reports has already been made."""
    with translation.override(language):
        body = render_to_string(template, context)
        message = EmailMessage(subject=str(subject), body=body, to=[to])
        for name, content, mimetype in attachments or []:
            message.attach(name, content, mimetype)
        try:
            message.send()
        except Exception:
            logger.exception("cms: could not send %s", template)


# --- reader submissions ---------------------------------------------------------------------------


def submission_create(
    *,
    page: Page,
    kind: str,
    name: str,
    email: str,
    body: str,
    title: str = "",
    language: str = "sv",
) -> ReaderSubmission:
    """Queue a reader's comment or reply for moderation; markup is neutralised first."""
    specific = page.specific
    if kind == ReaderSubmission.Kind.REPLY and not isinstance(specific, DebatePage):
        raise CmsServiceError(translation.gettext("Repliker kan bara skickas till debattinlägg."))
    if not isinstance(specific, ArticleBase) or not specific.allow_comments:
        # Only articles, debate pieces and reports show reader contributions.
        raise CmsServiceError(translation.gettext("Den här sidan tar inte emot bidrag."))
    clean_body = text_neutralise(text=body)
    if not clean_body:
        raise CmsServiceError(translation.gettext("Texten är tom när formatering tagits bort."))
    return ReaderSubmission.objects.create(
        page=page,
        kind=kind,
        name=text_neutralise(text=name)[:120] or "?",
        email=email.strip().lower(),
        title=text_neutralise(text=title)[:200],
        body=clean_body,
        language=language[:8],
    )


def _unique_child_slug(parent: Page, base: str) -> str:
    base = slugify(base)[:70] or "replik"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def submission_approve(*, submission_id: int, moderator: User | None) -> ReaderSubmission:
    """Publish a pending submission and tell the submitter.

    A comment becomes visible under its page. A reply becomes a live debate page (kind replik)
    in the same section, linked to the piece it answers, so it joins the thread.
    """
    with transaction.atomic():
        submission = (
            ReaderSubmission.objects.select_for_update()
            .select_related("page")
            .get(pk=submission_id)
        )
        if submission.status != ReaderSubmission.Status.PENDING:
            raise CmsServiceError(translation.gettext("Bidraget är redan granskat."))
        if submission.kind == ReaderSubmission.Kind.REPLY:
            submission.published_page = _publish_reply(submission=submission, moderator=moderator)
        submission.status = ReaderSubmission.Status.APPROVED
        submission.decided_at = timezone.now()
        submission.decided_by = moderator
        submission.save()
    page_cache_clear()
    target = submission.published_page or submission.page
    _send(
        to=submission.email,
        subject=gettext_lazy("Ditt bidrag har publicerats"),
        template="cms/email/submission_approved.txt",
        context={"submission": submission, "url": target.get_full_url()},
        language=submission.language,
    )
    return submission


def _publish_reply(*, submission: ReaderSubmission, moderator: User | None) -> DebatePage:
    original = submission.page.specific
    assert isinstance(original, DebatePage)
    parent = original.get_parent()
    assert parent is not None
    reply = DebatePage(
        title=submission.title or translation.gettext("Replik"),
        slug=_unique_child_slug(parent, submission.title or "replik"),
        locale_id=original.locale_id,
        kind=DebatePage.Kind.REPLY,
        responds_to=original,
        reader_author_name=submission.name,
        allow_comments=False,
        body=[("paragraph", RichText(linebreaks(submission.body, autoescape=True)))],
        owner=moderator,
    )
    parent.add_child(instance=reply)
    revision = reply.save_revision(user=moderator, log_action=True)
    revision.publish(user=moderator)
    reply.refresh_from_db()
    return reply


def submission_reject(
    *, submission_id: int, moderator: User | None, reason: str = ""
) -> ReaderSubmission:
    """Turn a pending submission down and tell the submitter why (if a reason is given)."""
    with transaction.atomic():
        submission = ReaderSubmission.objects.select_for_update().get(pk=submission_id)
        if submission.status != ReaderSubmission.Status.PENDING:
            raise CmsServiceError(translation.gettext("Bidraget är redan granskat."))
        submission.status = ReaderSubmission.Status.REJECTED
        submission.decided_at = timezone.now()
        submission.decided_by = moderator
        submission.rejection_reason = reason.strip()[:500]
        submission.save()
    _send(
        to=submission.email,
        subject=gettext_lazy("Ditt bidrag publicerades inte"),
        template="cms/email/submission_rejected.txt",
        context={"submission": submission},
        language=submission.language,
    )
    return submission


# --- newsletter ---------------------------------------------------------------------------------


def newsletter_unsubscribe_url(*, subscription: NewsletterSubscription) -> str:
    token = signing.dumps({"id": subscription.pk}, salt=NEWSLETTER_UNSUBSCRIBE_SALT)
    return _absolute(reverse("cms:newsletter_unsubscribe", args=[token]))


def newsletter_subscribe(*, email: str, language: str) -> NewsletterSubscription:
    """Start a double opt-in: store the address as pending and mail a signed confirmation link.

    An address that is already confirmed gets no new mail, and the caller shows the same answer
    either way, so the form does not reveal who subscribes.
    """
    email = email.strip().lower()
    subscription, _ = NewsletterSubscription.objects.get_or_create(
        email=email, defaults={"language": language[:8]}
    )
    if subscription.status == NewsletterSubscription.Status.CONFIRMED:
        return subscription
    token = signing.dumps({"id": subscription.pk}, salt=NEWSLETTER_CONFIRM_SALT)
    _send(
        to=email,
        subject=gettext_lazy("Bekräfta din prenumeration"),
        template="cms/email/newsletter_confirm.txt",
        context={"url": _absolute(reverse("cms:newsletter_confirm", args=[token]))},
        language=language,
    )
    return subscription


def newsletter_confirm(*, token: str) -> NewsletterSubscription:
    try:
        data = signing.loads(
            token,
            salt=NEWSLETTER_CONFIRM_SALT,
            max_age=NEWSLETTER_CONFIRM_MAX_AGE,
        )
        subscription = NewsletterSubscription.objects.get(pk=data["id"])
    except (signing.BadSignature, KeyError, TypeError, NewsletterSubscription.DoesNotExist) as exc:
        raise InvalidToken(
            translation.gettext("Länken är ogiltig eller för gammal. Anmäl dig igen.")
        ) from exc
    if subscription.status != NewsletterSubscription.Status.CONFIRMED:
        subscription.status = NewsletterSubscription.Status.CONFIRMED
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["status", "confirmed_at"])
    return subscription


def newsletter_unsubscribe(*, token: str) -> None:
    """Remove the address altogether: we keep nothing about someone who left."""
    try:
        data = signing.loads(token, salt=NEWSLETTER_UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise InvalidToken(translation.gettext("Länken är ogiltig.")) from exc
    NewsletterSubscription.objects.filter(pk=data.get("id")).delete()


def newsletter_purge_unconfirmed(*, older_than: timedelta = NEWSLETTER_CONFIRM_MAX_AGE) -> int:
    """Delete sign-ups never confirmed in time (their link has expired anyway)."""
    deleted, _ = NewsletterSubscription.objects.filter(
        status=NewsletterSubscription.Status.PENDING, created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


# --- events -------------------------------------------------------------------------------------


def event_cancel_url(*, registration: EventRegistration) -> str:
    token = signing.dumps({"id": registration.pk}, salt=EVENT_CANCEL_SALT)
    return _absolute(reverse("cms:event_cancel", args=[token]))


def event_register(
    *, event: EventPage, name: str, email: str, language: str = "sv"
) -> EventRegistration:
    """Give the person a seat, or a place on the waiting list when the event is full.

    Registering twice with the same address returns the existing registration unchanged.
    """
    if not event.live or not event.registration_is_open():
        raise CmsServiceError(translation.gettext("Anmälan till evenemanget är stängd."))
    email = email.strip().lower()
    with transaction.atomic():
        # Lock the event so two last-seat registrations cannot both get it.
        Page.objects.select_for_update().filter(pk=event.pk).values_list("pk", flat=True).first()
        existing = EventRegistration.objects.filter(event=event, email=email).first()
        if existing is not None and existing.status != EventRegistration.Status.CANCELLED:
            return existing
        taken = EventRegistration.objects.filter(
            event=event, status=EventRegistration.Status.CONFIRMED
        ).count()
        status = (
            EventRegistration.Status.CONFIRMED
            if taken < event.capacity
            else EventRegistration.Status.WAITLISTED
        )
        if existing is not None:
            existing.name, existing.status = name.strip()[:120], status
            existing.save(update_fields=["name", "status", "updated_at"])
            registration = existing
        else:
            registration = EventRegistration.objects.create(
                event=event, name=name.strip()[:120], email=email, status=status
            )
    page_cache_clear()
    _notify_registration(registration=registration, event=event, language=language)
    return registration


def _notify_registration(
    *, registration: EventRegistration, event: EventPage, language: str, promoted: bool = False
) -> None:
    from cms.ics import event_ics

    confirmed = registration.status == EventRegistration.Status.CONFIRMED
    with translation.override(language):
        if promoted:
            subject = translation.gettext("Du har fått en plats: %(title)s") % {
                "title": event.title
            }
        elif confirmed:
            subject = translation.gettext("Anmälan bekräftad: %(title)s") % {"title": event.title}
        else:
            subject = translation.gettext("Du står på väntelistan: %(title)s") % {
                "title": event.title
            }
    attachments = [("evenemang.ics", event_ics(event=event), "text/calendar")] if confirmed else []
    _send(
        to=registration.email,
        subject=subject,
        template="cms/email/event_registration.txt",
        context={
            "registration": registration,
            "event": event,
            "promoted": promoted,
            "url": event.get_full_url(),
            "cancel_url": event_cancel_url(registration=registration),
        },
        language=language,
        attachments=attachments,
    )


def event_registration_cancel(*, token: str) -> EventRegistration:
    """Cancel a registration; a freed seat goes to the first person on the waiting list."""
    try:
        data = signing.loads(token, salt=EVENT_CANCEL_SALT)
        registration_id = int(data["id"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise InvalidToken(translation.gettext("Länken är ogiltig.")) from exc
    promoted: EventRegistration | None = None
    with transaction.atomic():
        registration = (
            EventRegistration.objects.select_for_update().filter(pk=registration_id).first()
        )
        if registration is None:
            raise InvalidToken(translation.gettext("Anmälan finns inte längre."))
        Page.objects.select_for_update().filter(pk=registration.event_id).values_list(
            "pk", flat=True
        ).first()
        was_confirmed = registration.status == EventRegistration.Status.CONFIRMED
        if registration.status != EventRegistration.Status.CANCELLED:
            registration.status = EventRegistration.Status.CANCELLED
            registration.save(update_fields=["status", "updated_at"])
        if was_confirmed:
            promoted = (
                EventRegistration.objects.filter(
                    event_id=registration.event_id, status=EventRegistration.Status.WAITLISTED
                )
                .order_by("created_at", "pk")
                .first()
            )
            if promoted is not None:
                promoted.status = EventRegistration.Status.CONFIRMED
                promoted.save(update_fields=["status", "updated_at"])
    page_cache_clear()
    if promoted is not None:
        event = EventPage.objects.get(pk=registration.event_id)
        _notify_registration(
            registration=promoted, event=event, language=event.locale.language_code, promoted=True
        )
    return registration


def event_registrations_purge(*, older_than: timedelta = timedelta(days=30)) -> int:
    """Delete registrations of events that ended more than `older_than` ago: we promise to keep
    a registration only as long as the event needs it."""
    deleted, _ = EventRegistration.objects.filter(
        event__ends_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


# --- accessibility ------------------------------------------------------------------------------


def barrier_report_create(
    *, description: str, page_url: str = "", email: str = "", notify: str = ""
) -> BarrierReport:
    """Record a reported accessibility barrier and forward it to the accessibility contact."""
    report = BarrierReport.objects.create(
        description=text_neutralise(text=description),
        page_url=text_neutralise(text=page_url)[:500],
        email=email.strip().lower(),
    )
    if notify:
        _send(
            to=notify,
            subject="Rapporterad tillgänglighetsbrist",
            template="cms/email/barrier_report.txt",
            context={"report": report},
            language="sv",
        )
    return report
