"""Template tags of the shared layout: the role's header menu."""

from __future__ import annotations

from typing import Any

from django import template

from vagval.web.navigation import nav_items

register = template.Library()


@register.inclusion_tag("vagval/_nav_items.html", takes_context=True)
def role_nav(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else None
    current = request.path if request is not None else ""
    items = [
        {
            "label": label,
            "url": url,
            "current": current == url or (url != "/" and current.startswith(url)),
        }
        for label, url in nav_items(role=role)
    ]
    return {"items": items}
