"""Reads for the public site: listings, threads, search, feeds and seat counts.

Every function returns only live, public pages in the requested locale, and is written to keep
the number of queries per page small and fixed (no query per item in a listing).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Locale, Page, TranslatableMixin

from cms.cache import SNIPPET_GENERATION_KEY, cache_seconds
from cms.models import (
    ArticlePage,
    DebatePage,
    EventPage,
    EventRegistration,
    HomePage,
    ReaderSubmission,
    ReportPage,
    SectionIndexPage,
    Topic,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from cms.models import Author
    from cms.models.pages import ArticleBase

T = TypeVar("T", bound=TranslatableMixin)

PIECE_MODELS: tuple[type[ArticleBase], ...] = (ArticlePage, DebatePage, ReportPage)


def localize_objects(objects: Sequence[T], *, locale_id: int) -> list[T]:
    """Swap each object for its translation in `locale_id` when one exists.

    At most one query, and none while the answer is in the cache (cleared on every change to
    an author or topic)."""
    foreign = [obj for obj in objects if obj.locale_id != locale_id]  # type: ignore[attr-defined]
    if not foreign:
        return list(objects)
    model = type(foreign[0])
    keys = sorted(str(obj.translation_key) for obj in foreign)
    digest = hashlib.sha1("|".join(keys).encode(), usedforsecurity=False).hexdigest()
    cache_key = (
        f"cms:localize:{cache.get(SNIPPET_GENERATION_KEY) or 0}:{model._meta.label_lower}:"
        f"{locale_id}:{digest}"
    )
    translated = cache.get(cache_key)
    if translated is None:
        translated = {
            str(obj.translation_key): obj
            for obj in model._default_manager.filter(
                translation_key__in=[obj.translation_key for obj in foreign], locale_id=locale_id
            )
        }
        cache.set(cache_key, translated, cache_seconds() or 60)
    return [
        obj
        if obj.locale_id == locale_id  # type: ignore[attr-defined]
        else translated.get(str(obj.translation_key), obj)
        for obj in objects
    ]


def page_authors(*, page: ArticleBase) -> list[Author]:
    return localize_objects(list(page.authors.all()), locale_id=page.locale_id)


def page_topics(*, page: ArticleBase | EventPage) -> list[Topic]:
    return localize_objects(list(page.topics.all()), locale_id=page.locale_id)


def approved_comments(*, page: Page) -> list[ReaderSubmission]:
    return list(
        ReaderSubmission.objects.filter(
            page_id=page.pk,
            kind=ReaderSubmission.Kind.COMMENT,
            status=ReaderSubmission.Status.APPROVED,
        )
        .only("name", "body", "decided_at", "created_at")
        .order_by("decided_at", "pk")
    )


def debate_thread(*, page: DebatePage) -> list[DebatePage]:
    """The opening piece and all its live replies, oldest first, in the page's language."""
    root_id = page.thread_root_id or page.pk
    members = list(
        DebatePage.objects.live()
        .filter(Q(pk=root_id) | Q(thread_root_id=root_id))
        .select_related("locale")
        .order_by("first_published_at", "pk")
    )
    if len(members) <= 1:
        return []
    return localize_objects(members, locale_id=page.locale_id)


def latest_pieces(*, locale: Locale, limit: int = 6) -> list[ArticleBase]:
    """The newest articles, debate pieces and reports together, newest first."""
    pieces: list[ArticleBase] = []
    for model in PIECE_MODELS:
        pieces.extend(
            model.objects.live()
            .public()
            .filter(locale=locale)
            .order_by("-first_published_at")
            .defer_streamfields()[:limit]
        )
    pieces.sort(key=lambda p: p.first_published_at or timezone.now(), reverse=True)
    return pieces[:limit]


def upcoming_events(*, locale: Locale, limit: int = 3) -> list[EventPage]:
    return list(
        EventPage.objects.live()
        .public()
        .filter(locale=locale, ends_at__gte=timezone.now())
        .order_by("starts_at")
        .defer_streamfields()[:limit]
    )


def section_items(*, section: SectionIndexPage) -> list[Page]:
    """The pages of a section, newest first; for events, upcoming first and then past."""
    model = section.get_item_model()
    if model is None:
        return []
    qs = model.objects.child_of(section).live().public().defer_streamfields()
    if model is EventPage:
        now = timezone.now()
        upcoming = list(qs.filter(ends_at__gte=now).order_by("starts_at"))
        past = list(qs.filter(ends_at__lt=now).order_by("-starts_at"))
        return [*upcoming, *past]
    return list(qs.prefetch_related("authors").order_by("-first_published_at"))


def menu_pages(*, home_path: str | None, language_code: str) -> list[Page]:
    """The pages under a home page shown in the main menu, in tree order (one query when the
    home page's tree path is known)."""
    if home_path is None:
        home = home_for_locale(language_code=language_code)
        if home is None:
            return []
        home_path = home.path
    return list(
        Page.objects.live()
        .in_menu()
        .filter(depth=3, path__startswith=home_path)
        .order_by("path")
        .only("id", "title", "url_path", "path", "depth", "locale_id")
    )


def home_for_locale(*, language_code: str) -> HomePage | None:
    return HomePage.objects.live().filter(locale__language_code=language_code).first()


def translated_url_for_path(*, home: Page, path_components: list[str]) -> str | None:
    """For a path that exists only in another language's tree, the URL of the page's
    translation in `home`'s language, or `home`'s URL if the page is not translated."""
    suffix = "".join(f"{component}/" for component in path_components)
    for other_home in home.get_translations().live():
        page = (
            Page.objects.live().public().filter(url_path=f"{other_home.url_path}{suffix}").first()
        )
        if page is not None:
            translated = page.get_translation_or_none(home.locale)
            if translated is not None and translated.live:
                return translated.url
            return home.url
    return None


def site_search(*, query: str, locale: Locale) -> list[Page]:
    """Full-text search over live public pages in one language (PostgreSQL or database FTS)."""
    results = Page.objects.live().public().filter(locale=locale).exclude(depth__lte=2)
    found = list(results.search(query, operator="and")[:100])
    if not found:
        found = list(results.search(query, operator="or")[:100])
    specific = {p.pk: p for p in Page.objects.filter(pk__in=[p.pk for p in found]).specific()}
    return [specific[p.pk] for p in found if p.pk in specific]


def topic_by_slug(*, slug: str, locale: Locale) -> Topic | None:
    topic = Topic.objects.filter(slug=slug, locale=locale).first()
    if topic is None:
        # A link to a topic in another language still finds its translation.
        other = Topic.objects.filter(slug=slug).first()
        if other is not None:
            topic = other.get_translation_or_none(locale) or other
    return topic


def pieces_for_topic(
    *, topic: Topic, locale: Locale, limit: int | None = None
) -> list[ArticleBase]:
    """Pages tagged with the topic (or its translation), newest first."""
    pieces: list[ArticleBase] = []
    for model in PIECE_MODELS:
        qs = (
            model.objects.live()
            .public()
            .filter(locale=locale, topics__translation_key=topic.translation_key)
            .distinct()
            .order_by("-first_published_at")
            .defer_streamfields()
        )
        pieces.extend(qs[:limit] if limit else qs)
    pieces.sort(key=lambda p: p.first_published_at or timezone.now(), reverse=True)
    return pieces[:limit] if limit else pieces


def section_by_slug(*, language_code: str, slug: str) -> SectionIndexPage | None:
    """A live section index page of the given language, for its feeds."""
    for page in (
        Page.objects.live()
        .public()
        .filter(slug=slug, locale__language_code=language_code, depth=3)
        .specific()
    ):
        if isinstance(page, SectionIndexPage):
            return page
    return None


def feed_items(*, section: SectionIndexPage, limit: int = 20) -> list[Page]:
    model = section.get_item_model()
    if model is None:
        return []
    return list(
        model.objects.child_of(section)
        .live()
        .public()
        .order_by("-first_published_at")
        .defer_streamfields()[:limit]
    )


@dataclass(frozen=True)
class Seats:
    capacity: int
    taken: int
    waitlisted: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def full(self) -> bool:
        return self.left == 0


def event_seats(*, event: EventPage) -> Seats:
    counts = EventRegistration.objects.filter(event_id=event.pk).aggregate(
        taken=Count("pk", filter=Q(status=EventRegistration.Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=EventRegistration.Status.WAITLISTED)),
    )
    return Seats(capacity=event.capacity, taken=counts["taken"], waitlisted=counts["waitlisted"])


def pending_submission_count() -> int:
    return ReaderSubmission.objects.filter(status=ReaderSubmission.Status.PENDING).count()


def page_translations(*, page: Page) -> list[Page]:
    """Live translations of a page, including itself, with their locales."""
    return list(page.get_translations(inclusive=True).live().select_related("locale"))


def schema_authors(authors: Iterable[Author], reader_name: str = "") -> list[dict[str, Any]]:
    people = [{"@type": "Person", "name": a.name} for a in authors]
    if reader_name:
        people.append({"@type": "Person", "name": reader_name})
    return people
