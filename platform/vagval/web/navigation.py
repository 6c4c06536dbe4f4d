"""The header menu per role, filled in by the apps that own the pages.

vagval cannot import the portals, so each app registers its menu items from its
`AppConfig.ready()` (an explicit registry, not a signal):

    from vagval.web.navigation import nav_register
    nav_register(role="client", key="journey", label=_("Min resa"), url_name="journey:overview",
                 order=10)

Registering the same (role, key) again replaces the item, so a portal can replace the default
entries below (which point at the portals' mount points) with its own named URLs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str = ""
    path: str = ""
    order: int = 50

    def url(self) -> str | None:
        if self.path:
            return self.path
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None  # the app is not mounted: leave the item out rather than break the page


_items: dict[str, dict[str, NavItem]] = {}


def nav_register(
    *,
    role: str,
    key: str,
    label: str | Promise,
    url_name: str = "",
    path: str = "",
    order: int = 50,
) -> None:
    """Add (or replace) the menu item `key` for users with `role`; give a URL name or a path."""
    if not (url_name or path):
        raise ValueError("A menu item needs url_name or path")
    _items.setdefault(role, {})[key] = NavItem(
        key=key, label=label, url_name=url_name, path=path, order=order
    )


def nav_items(*, role: str | None) -> list[tuple[str | Promise, str]]:
    """(label, url) pairs for a role's menu, in order; items whose URL does not resolve are left
    out."""
    if role is None:
        return []
    items = sorted(_items.get(role, {}).values(), key=lambda item: (item.order, item.key))
    return [(item.label, url) for item in items if (url := item.url())]


def _register_defaults() -> None:
    nav_register(role="client", key="journey", label=_("Min resa"), path="/resa/", order=10)
    nav_register(
        role="client",
        key="privacy",
        label=_("Mina uppgifter"),
        url_name="consent:overview",
        order=80,
    )
    nav_register(
        role="adviser", key="portal", label=_("Mina klienter"), path="/radgivare/", order=10
    )
    nav_register(role="hr", key="portal", label=_("Företagsportalen"), path="/foretag/", order=10)
    nav_register(
        role="editor", key="cms", label=_("Redigera webbplatsen"), path="/cms-admin/", order=10
    )
    nav_register(
        role="staff", key="admin", label=_("Administration"), path="/django-admin/", order=10
    )
    for role in ("adviser", "hr", "editor", "staff"):
        nav_register(role=role, key="security", label=_("Säkerhet"), url_name="mfa_index", order=90)


_register_defaults()
