"""Page cache for the public site: a stored page is served without touching the database.

`PageCacheMiddleware` (placed after LocaleMiddleware, CsrfViewMiddleware and the auth
middleware) stores the rendered HTML of responses that a CMS page or feed marked with
`response.cms_cacheable = True`, keyed by host, path and language. Only anonymous GETs are
served from or written to the cache: a request with a session cookie (signed in, or with a
message waiting) or a messages cookie always goes to the view. The anti-CSRF token of a stored
page is swapped for the current visitor's own token on every hit, so the forms on a cached page
keep working.

Invalidation is by generation: every key carries a generation number and `page_cache_clear()`
bumps it, which makes every stored page stale at once. Wagtail's publish/unpublish/delete/move
signals call it (that is infrastructure, not business logic); services that change what a page
shows (an approved comment, an event registration) call it explicitly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

GENERATION_KEY = "cms:pagecache:generation"
# Bumped when an author or topic changes: keys of cached snippet lookups carry it.
SNIPPET_GENERATION_KEY = "cms:snippets:generation"
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
_CSRF_PLACEHOLDER = b"__CMS_CSRF_TOKEN__"
_SKIPPED_PREFIXES = (
    "/cms-admin/",
    "/django-admin/",
    "/konto/",
    "/resa/",
    "/radgivare/",
    "/foretag/",
    "/api/",
    "/static/",
    "/media/",
    "/documents/",
    "/i18n/",
)
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Link")


def cache_seconds() -> int:
    return int(getattr(settings, "CMS_PAGE_CACHE_SECONDS", 600))


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        # No generation yet (fresh cache): any new value differs from the implicit 0.
        cache.set(key, 1, None)


def page_cache_clear() -> None:
    """Make every stored page stale (called on publish, unpublish and reader-visible changes)."""
    _bump(GENERATION_KEY)


def snippet_cache_clear() -> None:
    """Forget cached author/topic lookups, and the pages that show them."""
    _bump(SNIPPET_GENERATION_KEY)
    _bump(GENERATION_KEY)


def mark_cacheable(response: HttpResponse) -> HttpResponse:
    """Let the page cache store this response (for anonymous visitors only)."""
    response.cms_cacheable = True  # type: ignore[attr-defined]
    return response


def request_is_cacheable(request: HttpRequest) -> bool:
    """An anonymous GET without a session, pending messages, htmx or a non-paging query."""
    if request.method != "GET" or cache_seconds() <= 0:
        return False
    if request.path.startswith(_SKIPPED_PREFIXES):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META or "HTTP_HX_REQUEST" in request.META:
        return False
    # Only plain pages and their numbered listing pages; search results are never stored.
    query = request.GET
    return not query or (list(query.keys()) == ["page"] and query.get("page", "").isdigit())


def _key(request: HttpRequest) -> str:
    generation = cache.get(GENERATION_KEY) or 0
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"cms:page:{generation}:{language}:{request.get_host()}:{request.get_full_path()}"


class PageCacheMiddleware:
    """Serve stored CMS pages to anonymous visitors; store the ones marked cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request_is_cacheable(request):
            return self.get_response(request)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            return self._from_stored(request, stored)
        response = self.get_response(request)
        if self._storable(response):
            cache.set(key, self._freeze(response), cache_seconds())
        return response

    @staticmethod
    def _storable(response: HttpResponse) -> bool:
        return (
            getattr(response, "cms_cacheable", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "no-store" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def _freeze(response: HttpResponse) -> dict[str, Any]:
        content = _CSRF_FIELD.sub(rb"\1" + _CSRF_PLACEHOLDER + rb"\2", response.content)
        headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
        return {"content": content, "headers": headers}

    @staticmethod
    def _from_stored(request: HttpRequest, stored: dict[str, Any]) -> HttpResponse:
        content: bytes = stored["content"]
        if _CSRF_PLACEHOLDER in content:
            content = content.replace(_CSRF_PLACEHOLDER, get_token(request).encode("ascii"))
        response = HttpResponse(content)
        for name, value in stored["headers"].items():
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response


def connect_invalidation() -> None:
    """Clear the page cache whenever Wagtail changes what is public, or a snippet changes."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from cms.models import Author, Topic

    def _clear(**kwargs: Any) -> None:
        page_cache_clear()

    def _clear_snippets(**kwargs: Any) -> None:
        snippet_cache_clear()

    def _clear_on_page_delete(sender: type, **kwargs: Any) -> None:
        from wagtail.models import Page

        if issubclass(sender, Page):
            page_cache_clear()

    page_published.connect(_clear, dispatch_uid="cms_cache_published", weak=False)
    page_unpublished.connect(_clear, dispatch_uid="cms_cache_unpublished", weak=False)
    post_page_move.connect(_clear, dispatch_uid="cms_cache_moved", weak=False)
    post_delete.connect(_clear_on_page_delete, dispatch_uid="cms_cache_deleted", weak=False)
    for model in (Author, Topic):
        uid = model.__name__
        post_save.connect(
            _clear_snippets, sender=model, dispatch_uid=f"cms_cache_{uid}", weak=False
        )
        post_delete.connect(
            _clear_snippets, sender=model, dispatch_uid=f"cms_cache_del_{uid}", weak=False
        )
