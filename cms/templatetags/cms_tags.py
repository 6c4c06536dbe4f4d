"""Template tags for the public site: main menu, language links, Open Graph and JSON-LD."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info
from wagtail.models import Page

from cms import selectors
from cms.cache import GENERATION_KEY, cache_seconds

register = template.Library()

OG_LOCALES = {"sv": "sv_SE", "en": "en_GB"}
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _language_home_url(code: str) -> str:
    with translation.override(code):
        return reverse("wagtail_serve", args=[""])


@register.inclusion_tag("cms/includes/section_nav.html", takes_context=True)
def cms_section_nav(context: dict[str, Any]) -> dict[str, Any]:
    """The sections of the current home page, cached until the next publish."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    page = context.get("page")
    # A served page knows its home from its tree path, so no query is needed to find it.
    home_path = (
        page.path[: 2 * Page.steplen] if isinstance(page, Page) and page.depth >= 2 else None
    )
    key = f"cms:nav:{cache.get(GENERATION_KEY) or 0}:{language}:{home_path or ''}"
    items = cache.get(key)
    if items is None:
        items = [
            (p.title, p.url)
            for p in selectors.menu_pages(home_path=home_path, language_code=language)
        ]
        cache.set(key, items, cache_seconds() or 60)
    request = context.get("request")
    current = request.path if request is not None else ""
    home_url = _language_home_url(language)
    return {
        "home_url": home_url,
        "sections": [
            {"title": title, "url": url, "current": bool(url) and current.startswith(url)}
            for title, url in items
        ],
        "search_url": f"{home_url}sok/",
        "request": request,
    }


def _language_links(context: dict[str, Any], page: Page | None) -> list[dict[str, Any]]:
    """One link per language: to the page's translation, or to that language's home page.

    Computed once per request (head and menu both need it)."""
    request = context.get("request")
    memo = getattr(request, "_cms_language_links", None)
    if memo is not None:
        return memo
    current = translation.get_language() or settings.LANGUAGE_CODE
    urls = {code: _language_home_url(code) for code, _name in settings.LANGUAGES}
    if page is not None and getattr(page, "pk", None):
        for translated in selectors.page_translations(page=page):
            url = translated.url
            if url:
                urls[translated.locale.language_code] = url
    links = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": urls[code],
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
    if request is not None:
        request._cms_language_links = links
    return links


@register.inclusion_tag("cms/includes/language_links.html", takes_context=True)
def cms_language_links(context: dict[str, Any], page: Page | None = None) -> dict[str, Any]:
    return {"links": _language_links(context, page)}


@register.simple_tag(takes_context=True)
def cms_hreflang(context: dict[str, Any], page: Page | None = None) -> SafeString:
    """<link rel=alternate hreflang> for each language version of the page."""
    request = context.get("request")
    return format_html_join(
        "\n",
        '<link rel="alternate" hreflang="{}" href="{}">',
        (
            (link["code"], request.build_absolute_uri(link["url"]) if request else link["url"])
            for link in _language_links(context, page)
        ),
    )


def _json_default(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _json_ld(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, default=_json_default).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def cms_json_ld(context: dict[str, Any], page: Page) -> SafeString:
    """schema.org JSON-LD: Article/Report with authors, Event with place, WebSite at home."""
    request = context.get("request")
    schema_type = getattr(page, "schema_type", None)
    url = page.get_full_url(request) if request else page.full_url
    # The page is served in its own language, so the active language is the page's.
    language = translation.get_language() or settings.LANGUAGE_CODE
    publisher = {"@type": "Organization", "name": "Vägval"}
    if schema_type in ("Article", "Report"):
        authors = context.get("authors") or []
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": schema_type,
            "headline": page.title[:110],
            "description": page.summary_text,
            "inLanguage": language,
            "url": url,
            "mainEntityOfPage": url,
            "datePublished": page.first_published_at,
            "dateModified": page.last_published_at or page.first_published_at,
            "author": selectors.schema_authors(authors, getattr(page, "reader_author_name", ""))
            or [publisher],
            "publisher": publisher,
        }
        image_url = getattr(request, "_cms_og_image_url", None)
        if image_url:
            data["image"] = [image_url]
        return _json_ld(data)
    if schema_type == "Event":
        location: list[dict[str, Any]] = []
        if page.location_name:
            location.append(
                {"@type": "Place", "name": page.location_name, "address": page.address or ""}
            )
        if page.online_url:
            location.append({"@type": "VirtualLocation", "url": page.online_url})
        mode = (
            "MixedEventAttendanceMode"
            if page.location_name and page.online_url
            else ("OnlineEventAttendanceMode" if page.online_url else "OfflineEventAttendanceMode")
        )
        return _json_ld(
            {
                "@context": "https://schema.org",
                "@type": "Event",
                "name": page.title,
                "description": page.summary_text,
                "startDate": page.starts_at,
                "endDate": page.ends_at,
                "eventAttendanceMode": f"https://schema.org/{mode}",
                "eventStatus": "https://schema.org/EventScheduled",
                "location": location,
                "organizer": publisher,
                "url": url,
                "inLanguage": language,
            }
        )
    if page.depth == 2:
        return _json_ld(
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": "Vägval",
                "url": url,
                "inLanguage": language,
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": f"{url}sok/?q={{search_term_string}}",
                    "query-input": "required name=search_term_string",
                },
            }
        )
    return mark_safe("")


@register.simple_tag(takes_context=True)
def cms_open_graph(context: dict[str, Any], page: Page) -> SafeString:
    """Open Graph meta tags; leaves the image URL on the request for the JSON-LD."""
    request = context.get("request")
    url = page.get_full_url(request) if request else page.full_url
    language = translation.get_language() or settings.LANGUAGE_CODE
    is_article = getattr(page, "schema_type", None) in ("Article", "Report")
    tags = [
        ("og:site_name", "Vägval"),
        ("og:type", "article" if is_article else "website"),
        ("og:title", page.seo_title or page.title),
        ("og:description", page.summary_text),
        ("og:url", url),
        ("og:locale", OG_LOCALES.get(language, language)),
    ]
    image = getattr(page, "social_image", None)
    if image is not None:
        rendition = image.get_rendition("fill-1200x630")
        image_url = request.build_absolute_uri(rendition.url) if request else rendition.url
        if request is not None:
            request._cms_og_image_url = image_url
        tags.append(("og:image", image_url))
        tags.append(("og:image:alt", image.title))
    if is_article and page.first_published_at:
        tags.append(("article:published_time", page.first_published_at.isoformat()))
    html = format_html_join("\n", '<meta property="{}" content="{}">', tags)
    card = format_html(
        '\n<meta name="twitter:card" content="{}">', "summary_large_image" if image else "summary"
    )
    return html + card


@register.simple_tag
def cms_topic_url(topic: Any) -> str:
    """The topic listing on the home page of the current language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"{_language_home_url(language)}amne/{topic.slug}/"


@register.simple_tag
def cms_feed_url(kind: str, slug: str, feed_format: str = "rss") -> str:
    """Feed URL of a section or topic in the current language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    name = f"cms:feed_{kind}_{feed_format}"
    return reverse(name, kwargs={"lang": language, kind: slug})
