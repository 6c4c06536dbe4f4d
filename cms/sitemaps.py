"""sitemap.xml covering every language version of the site, not only the default one."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class AllLanguagesSitemap(Sitemap):
    """Wagtail's sitemap lists the site root's descendants; translations of the root (the
    English home page) are siblings of it, so this one walks every translation's tree."""

    def items(self) -> Any:
        root = self.get_wagtail_site().root_page
        trees = Q()
        for home in root.get_translations(inclusive=True).only("path"):
            trees |= Q(path__startswith=home.path)
        return (
            Page.objects.live()
            .public()
            .filter(trees)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
