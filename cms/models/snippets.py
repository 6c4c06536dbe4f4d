"""Authors and topics: snippets shared by many pages, translatable like the pages themselves."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index


class Author(TranslatableMixin, index.Indexed, models.Model):
    """A writer of articles and debate pieces (staff or guest)."""

    name = models.CharField(_("namn"), max_length=120)
    role = models.CharField(
        _("roll"), max_length=120, blank=True, help_text=_("Till exempel chefsekonom")
    )
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("foto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("kort presentation"), blank=True, max_length=1000)

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("organisation"),
        FieldPanel("photo"),
        FieldPanel("bio"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("skribent")
        verbose_name_plural = _("skribenter")

    def __str__(self) -> str:
        return self.name

    @property
    def byline(self) -> str:
        """Name, role and organisation in one line, as bylines are printed."""
        extra = ", ".join(part for part in (self.role, self.organisation) if part)
        return f"{self.name}, {extra}" if extra else self.name


class Topic(TranslatableMixin, models.Model):
    """A subject that runs across sections (e.g. AI and work); each topic has its own feed."""

    name = models.CharField(_("namn"), max_length=80)
    slug = models.SlugField(_("kortnamn i adressen"), max_length=80, allow_unicode=False)
    description = models.TextField(_("beskrivning"), blank=True, max_length=500)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("ämne")
        verbose_name_plural = _("ämnen")
        constraints = [
            models.UniqueConstraint(
                fields=["locale", "slug"], name="cms_topic_unique_slug_per_locale"
            )
        ]

    def __str__(self) -> str:
        return self.name
