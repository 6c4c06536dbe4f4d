"""StreamField blocks for the body of articles, debate pieces, reports and events.

Every block renders accessible HTML without JavaScript: images must carry alt text, charts
are drawn with CSS and always come with the numbers as a table, and the live-figures block
shows only groups at or above the suppression threshold.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "blockquote"]


class QuoteBlock(blocks.StructBlock):
    """A pull quote with an optional attribution."""

    text = blocks.TextBlock(label=_("Citat"))
    attribution = blocks.CharBlock(required=False, max_length=200, label=_("Vem sa det"))

    class Meta:
        icon = "openquote"
        label = _("Citat")
        template = "cms/blocks/quote.html"


class AccessibleImageBlock(blocks.StructBlock):
    """An image whose alt text is required: screen-reader users must get the same content."""

    image = ImageChooserBlock(label=_("Bild"))
    alt_text = blocks.CharBlock(
        max_length=250,
        label=_("Alternativtext"),
        help_text=_("Beskriv vad bilden visar för den som inte ser den. Obligatorisk."),
    )
    caption = blocks.CharBlock(required=False, max_length=300, label=_("Bildtext"))
    credit = blocks.CharBlock(required=False, max_length=120, label=_("Foto"))

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "cms/blocks/image.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not (value.get("alt_text") or "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={"alt_text": ValidationError(_("Alternativtext krävs."))}
            )
        return value


class FactBoxBlock(blocks.StructBlock):
    """A boxed aside with facts that support the text."""

    title = blocks.CharBlock(max_length=120, label=_("Rubrik"), default=_("Fakta"))
    body = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"], label=_("Text"))

    class Meta:
        icon = "info-circle"
        label = _("Faktaruta")
        template = "cms/blocks/fact_box.html"


class ChartRowBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=80, label=_("Etikett"))
    value = blocks.FloatBlock(label=_("Värde"))


class ChartBlock(blocks.StructBlock):
    """A horizontal bar chart drawn with CSS, with its data table for screen readers."""

    title = blocks.CharBlock(max_length=160, label=_("Rubrik"))
    unit = blocks.CharBlock(required=False, max_length=20, label=_("Enhet"), help_text="%, st, kr")
    source = blocks.CharBlock(required=False, max_length=200, label=_("Källa"))
    rows = blocks.ListBlock(ChartRowBlock(), min_num=1, max_num=30, label=_("Rader"))

    class Meta:
        icon = "table"
        label = _("Diagram")
        template = "cms/blocks/chart.html"

    def get_context(self, value: Any, parent_context: dict | None = None) -> dict:
        context = super().get_context(value, parent_context=parent_context)
        rows = list(value["rows"])
        top = max((abs(r["value"]) for r in rows), default=0) or 1
        context["bars"] = [
            {
                "label": r["label"],
                "value": r["value"],
                "percent": round(abs(r["value"]) / top * 100),
            }
            for r in rows
        ]
        return context


class LiveFiguresBlock(blocks.StructBlock):
    """Anonymised figures from Vägval's own job-ad data, recomputed at most once an hour."""

    VIEW_CHOICES = [
        ("occupation_field", _("Aktiva annonser per yrkesområde")),
        ("region", _("Aktiva annonser per län")),
        ("trend", _("Öppna annonser per publiceringsvecka")),
    ]

    title = blocks.CharBlock(max_length=160, label=_("Rubrik"))
    view = blocks.ChoiceBlock(choices=VIEW_CHOICES, default="occupation_field", label=_("Visa"))
    limit = blocks.IntegerBlock(
        default=10, min_value=3, max_value=25, label=_("Antal rader"), required=True
    )

    class Meta:
        icon = "order"
        label = _("Siffror från Vägval")
        template = "cms/blocks/live_figures.html"

    def get_context(self, value: Any, parent_context: dict | None = None) -> dict:
        from cms.livedata import live_figures

        context = super().get_context(value, parent_context=parent_context)
        context["figures"] = live_figures(view=value["view"], limit=value["limit"])
        return context


class BodyBlock(blocks.StreamBlock):
    """The body of articles and debate pieces."""

    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Text"))
    quote = QuoteBlock()
    image = AccessibleImageBlock()
    embed = EmbedBlock(label=_("Inbäddning"), help_text=_("Länk till en video eller ett inlägg"))
    fact_box = FactBoxBlock()
    chart = ChartBlock()
    live_figures = LiveFiguresBlock()


class KeyFigureBlock(blocks.StructBlock):
    """One of a report's key figures: a number and what it means."""

    value = blocks.CharBlock(max_length=30, label=_("Siffra"), help_text="43 %, 12 000")
    label = blocks.CharBlock(max_length=200, label=_("Vad siffran visar"))

    class Meta:
        icon = "pick"
        label = _("Nyckeltal")


class KnownBarrierBlock(blocks.StructBlock):
    """A known accessibility barrier, as the Swedish statement model asks for."""

    title = blocks.CharBlock(max_length=200, label=_("Brist"))
    description = blocks.TextBlock(label=_("Beskrivning"))
    wcag = blocks.CharBlock(
        required=False, max_length=60, label=_("WCAG-kriterium"), help_text="1.4.3"
    )
    fix_by = blocks.DateBlock(required=False, label=_("Planerad åtgärd senast"))

    class Meta:
        icon = "warning"
        label = _("Känd brist")
