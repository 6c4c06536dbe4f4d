"""RSS 2.0 and Atom feeds per section and per topic (django.contrib.syndication)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from cms import selectors
from cms.cache import mark_cacheable
from cms.models import SectionIndexPage, Topic

FEED_SIZE = 20
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class _CmsFeed(Feed):
    """Common parts: the feed speaks the language in its URL and may be page-cached."""

    feed_type: type = Rss201rev2Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = kwargs.get("lang", "")
        if language not in LANGUAGE_CODES:
            raise Http404
        self.request = request
        with translation.override(language):
            return mark_cacheable(super().__call__(request, *args, **kwargs))

    def feed_url(self, obj: Any) -> str:
        # The request's own address, not django.contrib.sites' placeholder domain.
        return self.request.build_absolute_uri()

    def item_title(self, item: Page) -> str:
        return item.title

    def item_description(self, item: Page) -> str:
        return item.search_description or getattr(item, "intro", "") or ""

    def item_link(self, item: Page) -> str:
        return item.get_full_url(self.request) or ""

    def item_guid(self, item: Page) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: Page) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Page) -> datetime | None:
        return item.last_published_at

    def item_author_name(self, item: Page) -> str | None:
        authors = getattr(item, "_prefetched_objects_cache", {}).get("authors")
        names = [a.name for a in authors] if authors is not None else []
        reader = getattr(item, "reader_author_name", "")
        if reader:
            names.append(reader)
        return ", ".join(names) or None


class SectionFeed(_CmsFeed):
    def get_object(self, request: HttpRequest, lang: str, section: str) -> SectionIndexPage:
        page = selectors.section_by_slug(language_code=lang, slug=section)
        if page is None:
            raise Http404
        return page

    def title(self, obj: SectionIndexPage) -> str:
        return f"{obj.title} – Vägval"

    def link(self, obj: SectionIndexPage) -> str:
        return obj.get_full_url(self.request) or "/"

    def description(self, obj: SectionIndexPage) -> str:
        return obj.intro or _("Det senaste från %(section)s på Vägval") % {"section": obj.title}

    def items(self, obj: SectionIndexPage) -> list[Page]:
        items = selectors.feed_items(section=obj, limit=FEED_SIZE)
        _prefetch_authors(items)
        return items


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: SectionIndexPage) -> str:
        return self.description(obj)


class TopicFeed(_CmsFeed):
    def get_object(self, request: HttpRequest, lang: str, topic: str) -> Topic:
        locale = Locale.objects.filter(language_code=lang).first()
        found = selectors.topic_by_slug(slug=topic, locale=locale) if locale else None
        if found is None or locale is None:
            raise Http404
        self.locale = locale
        return found

    def title(self, obj: Topic) -> str:
        return _("Ämne: %(topic)s – Vägval") % {"topic": obj.name}

    def link(self, obj: Topic) -> str:
        home = selectors.home_for_locale(language_code=self.locale.language_code)
        if home is None:
            return "/"
        return (home.get_full_url(self.request) or "/") + f"amne/{obj.slug}/"

    def description(self, obj: Topic) -> str:
        return obj.description or _("Allt om %(topic)s på Vägval") % {"topic": obj.name}

    def items(self, obj: Topic) -> list[Page]:
        items = selectors.pieces_for_topic(topic=obj, locale=self.locale, limit=FEED_SIZE)
        _prefetch_authors(items)
        return items


class TopicAtomFeed(TopicFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Topic) -> str:
        return self.description(obj)


def _prefetch_authors(items: list[Page]) -> None:
    from django.db.models import prefetch_related_objects

    by_model: dict[type, list[Page]] = {}
    for item in items:
        if hasattr(item, "authors"):
            by_model.setdefault(type(item), []).append(item)
    for group in by_model.values():
        prefetch_related_objects(group, "authors")
