"""Page types of the public site and the rules for where each may be created.

The tree is fixed by `parent_page_types`/`subpage_types`: a home page per language, under it one
index per section (Debatt, Analys, Rapporter, Evenemang), an about page and the accessibility
statement; each section holds only its own kind of page. Reads for templates go through
`cms.selectors`; a page's `serve` marks its response as safe for the page cache.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from cms.blocks import BodyBlock, KeyFigureBlock, KnownBarrierBlock

LISTING_PAGE_SIZE = 10


def _redirect_view(url: str) -> Any:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponseRedirect(url)

    return view


class CmsPage(Page):
    """Base of every page on the public site: social image, cache marking, JSON-LD."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("bild för delning"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Visas när sidan delas i sociala medier (Open Graph)."),
    )

    promote_panels = [*Page.promote_panels, FieldPanel("social_image")]

    #: schema.org type used in JSON-LD; None means no JSON-LD for this page type.
    schema_type: str | None = None

    class Meta:
        abstract = True

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().serve(request, *args, **kwargs)
        # Only the normal public view of a page may be stored by the page cache; previews and
        # password prompts never reach this method.
        response.cms_cacheable = True  # type: ignore[attr-defined]
        return response

    @property
    def summary_text(self) -> str:
        """Plain-text description for meta tags, feeds and teasers."""
        return self.search_description or getattr(self, "intro", "") or ""


class ArticleBase(CmsPage):
    """Shared fields of articles, debate pieces and reports."""

    intro = models.TextField(_("ingress"), max_length=600, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("brödtext"), blank=True)
    authors = ParentalManyToManyField("cms.Author", verbose_name=_("skribenter"), blank=True)
    topics = ParentalManyToManyField("cms.Topic", verbose_name=_("ämnen"), blank=True)
    allow_comments = models.BooleanField(_("tillåt kommentarer"), default=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("authors"),
        FieldPanel("topics"),
        FieldPanel("body"),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("allow_comments")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro", boost=1.5),
        index.SearchField("body"),
        index.RelatedFields("authors", [index.SearchField("name")]),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]
    schema_type = "Article"

    class Meta:
        abstract = True

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms import selectors
        from cms.forms import SubmissionForm

        context = super().get_context(request, *args, **kwargs)
        context["authors"] = selectors.page_authors(page=self)
        context["topics"] = selectors.page_topics(page=self)
        context["comments"] = selectors.approved_comments(page=self)
        if self.allow_comments:
            context["submission_form"] = SubmissionForm(page=self)
        return context


class HomePage(RoutablePageMixin, CmsPage):
    """The front page of one language version; also serves search and topic listings."""

    intro = models.TextField(_("ingress"), max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.DebateIndexPage",
        "cms.AnalysisIndexPage",
        "cms.ReportIndexPage",
        "cms.EventIndexPage",
        "cms.AboutPage",
        "cms.AccessibilityStatementPage",
    ]
    schema_type = None

    class Meta:
        verbose_name = _("startsida")

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Routed views (search, topics) bypass CmsPage.serve, so mark them here too.
        response = super().serve(request, *args, **kwargs)
        response.cms_cacheable = True  # type: ignore[attr-defined]
        return response

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        context["latest"] = selectors.latest_pieces(locale=self.locale, limit=6)
        context["upcoming_events"] = selectors.upcoming_events(locale=self.locale, limit=3)
        return context

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        try:
            return super().route(request, path_components)
        except Http404:
            # The language switcher keeps the path, so /en/analys/x/ arrives here for a Swedish
            # page: send the reader to the page's translation (or this language's home page).
            from cms import selectors

            url = selectors.translated_url_for_path(home=self, path_components=path_components)
            if url is None:
                raise
            return RouteResult(self, args=(_redirect_view(url), [], {}))

    @path("sok/", name="search")
    def search_view(self, request: HttpRequest) -> HttpResponse:
        from cms import selectors

        query = (request.GET.get("q") or "").strip()[:200]
        results = selectors.site_search(query=query, locale=self.locale) if query else []
        paginator = Paginator(results, LISTING_PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
        response = self.render(
            request,
            template="cms/search.html",
            context_overrides={"query": query, "page_obj": page_obj},
        )
        return response

    @path("amne/<slug:slug>/", name="topic")
    def topic_view(self, request: HttpRequest, slug: str) -> HttpResponse:
        from cms import selectors

        topic = selectors.topic_by_slug(slug=slug, locale=self.locale)
        if topic is None:
            raise Http404
        pieces = selectors.pieces_for_topic(topic=topic, locale=self.locale)
        page_obj = Paginator(pieces, LISTING_PAGE_SIZE).get_page(request.GET.get("page"))
        return self.render(
            request,
            template="cms/topic.html",
            context_overrides={"topic": topic, "page_obj": page_obj},
        )


class SectionIndexPage(CmsPage):
    """A section (Debatt, Analys, Rapporter, Evenemang): lists its pages, newest first."""

    intro = models.TextField(_("ingress"), max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    max_count_per_parent = 1
    schema_type = None

    class Meta:
        abstract = True

    #: The page type this section holds ("app_label.ModelName").
    item_model_name: str = ""

    def get_template(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return "cms/section_index_page.html"

    def get_item_model(self) -> type[Page] | None:
        from django.apps import apps

        return apps.get_model(self.item_model_name) if self.item_model_name else None

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        # A section holds one page type, so its child is fetched as that type in one query
        # (with its social image) instead of Wagtail's generic lookup followed by .specific.
        model = self.get_item_model()
        if path_components and model is not None:
            child = (
                model.objects.child_of(self)
                .select_related("social_image")
                .filter(slug=path_components[0])
                .first()
            )
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        items = selectors.section_items(section=self)
        page_obj: PaginatorPage = Paginator(items, LISTING_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context["page_obj"] = page_obj
        return context


class DebateIndexPage(SectionIndexPage):
    subpage_types = ["cms.DebatePage"]
    item_model_name = "cms.DebatePage"

    class Meta:
        verbose_name = _("sektion: Debatt")


class AnalysisIndexPage(SectionIndexPage):
    subpage_types = ["cms.ArticlePage"]
    item_model_name = "cms.ArticlePage"

    class Meta:
        verbose_name = _("sektion: Analys")


class ReportIndexPage(SectionIndexPage):
    subpage_types = ["cms.ReportPage"]
    item_model_name = "cms.ReportPage"

    class Meta:
        verbose_name = _("sektion: Rapporter")


class EventIndexPage(SectionIndexPage):
    subpage_types = ["cms.EventPage"]
    item_model_name = "cms.EventPage"

    class Meta:
        verbose_name = _("sektion: Evenemang")


class ArticlePage(ArticleBase):
    """An analysis or feature article."""

    parent_page_types = ["cms.AnalysisIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("artikel")


class DebatePage(ArticleBase):
    """A debate piece, or a reply (replik) or final reply (slutreplik) to one.

    `responds_to` links a reply to the piece it answers; `thread_root` (kept by `save`) points
    every reply at the opening piece so a whole thread is read with one query.
    """

    class Kind(models.TextChoices):
        OPENING = "debattartikel", _("Debattartikel")
        REPLY = "replik", _("Replik")
        FINAL_REPLY = "slutreplik", _("Slutreplik")

    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices, default=Kind.OPENING)
    responds_to = models.ForeignKey(
        "self",
        verbose_name=_("svarar på"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
        help_text=_("Debattinlägget som den här repliken svarar på."),
    )
    thread_root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="thread_members",
    )
    reader_author_name = models.CharField(
        _("läsarens namn"),
        max_length=120,
        blank=True,
        help_text=_("För repliker från läsare, som inte har en skribentprofil."),
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("responds_to")]),
        FieldPanel("intro"),
        FieldPanel("authors"),
        FieldPanel("reader_author_name"),
        FieldPanel("topics"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.DebateIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("debattinlägg")
        verbose_name_plural = _("debattinlägg")

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.OPENING and self.responds_to_id:
            raise ValidationError(
                {"kind": _("En replik eller slutreplik ska ha typen Replik eller Slutreplik.")}
            )
        if self.kind != self.Kind.OPENING and not self.responds_to_id:
            raise ValidationError({"responds_to": _("Välj inlägget som repliken svarar på.")})
        if self.responds_to_id and self.pk:
            target = self.responds_to
            assert target is not None
            if target.pk == self.pk or target.thread_root_id == self.pk:
                raise ValidationError(
                    {
                        "responds_to": _(
                            "Ett inlägg kan inte svara på sig självt eller sina repliker."
                        )
                    }
                )

    def save(self, *args: Any, **kwargs: Any) -> None:
        target = self.responds_to
        if target is not None and self.locale_id and target.locale_id != self.locale_id:
            # A translated reply answers the translation of the piece, when there is one.
            self.responds_to = target.get_translation_or_none(self.locale) or target
            target = self.responds_to
        self.thread_root_id = (target.thread_root_id or target.pk) if target is not None else None
        super().save(*args, **kwargs)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        context["thread"] = selectors.debate_thread(page=self)
        return context


class ReportPage(ArticleBase):
    """A published report: summary, key figures and the full report as a PDF."""

    summary = RichTextField(_("sammanfattning"), features=["bold", "italic", "link", "ul", "ol"])
    key_figures = StreamField(
        [("figure", KeyFigureBlock())], verbose_name=_("nyckeltal"), blank=True, max_num=8
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("rapporten (PDF)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("authors"),
        FieldPanel("topics"),
        FieldPanel("summary"),
        FieldPanel("key_figures"),
        FieldPanel("document"),
        FieldPanel("body"),
    ]
    search_fields = [*ArticleBase.search_fields, index.SearchField("summary")]
    parent_page_types = ["cms.ReportIndexPage"]
    subpage_types: list[str] = []
    schema_type = "Report"

    class Meta:
        verbose_name = _("rapport")


class EventPage(CmsPage):
    """A seminar or meeting, on site or online, with registration and a waiting list."""

    intro = models.TextField(_("ingress"), max_length=600, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("beskrivning"), blank=True)
    topics = ParentalManyToManyField("cms.Topic", verbose_name=_("ämnen"), blank=True)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    location_name = models.CharField(_("plats"), max_length=160, blank=True)
    address = models.CharField(_("adress"), max_length=250, blank=True)
    online_url = models.URLField(_("länk för att delta digitalt"), blank=True)
    capacity = models.PositiveIntegerField(
        _("antal platser"),
        default=50,
        help_text=_("När platserna är slut hamnar nya på väntelista."),
    )
    registration_open = models.BooleanField(_("anmälan öppen"), default=True)
    registration_deadline = models.DateTimeField(_("sista anmälningsdag"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("location_name"),
                FieldPanel("address"),
                FieldPanel("online_url"),
            ],
            heading=_("Tid och plats"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldPanel("registration_open"),
                FieldPanel("registration_deadline"),
            ],
            heading=_("Anmälan"),
        ),
        FieldPanel("topics"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("location_name"),
        index.FilterField("starts_at"),
    ]
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types: list[str] = []
    schema_type = "Event"

    class Meta:
        verbose_name = _("evenemang")
        verbose_name_plural = _("evenemang")

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Evenemanget måste sluta efter att det börjar.")})
        if not (self.location_name or self.online_url):
            raise ValidationError(
                {"location_name": _("Ange en plats, en länk för digitalt deltagande eller båda.")}
            )

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    def registration_is_open(self, *, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if not self.registration_open or self.starts_at <= now:
            return False
        return self.registration_deadline is None or now <= self.registration_deadline

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms import selectors
        from cms.forms import EventRegistrationForm

        context = super().get_context(request, *args, **kwargs)
        context["seats"] = selectors.event_seats(event=self)
        context["registration_form"] = EventRegistrationForm()
        return context


class AboutPage(CmsPage):
    """About the council and the site."""

    intro = models.TextField(_("ingress"), max_length=600, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("brödtext"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.AccessibilityStatementPage"]

    class Meta:
        verbose_name = _("om-sida")


class AccessibilityStatementPage(CmsPage):
    """The accessibility statement (tillgänglighetsredogörelse) following DIGG's model.

    Sections in DIGG's order: who stands behind the site, how accessible it is (compliance with
    lagen (2018:1937) om tillgänglighet till digital offentlig service), what to do if you
    cannot use part of it, how to report a barrier, supervision (DIGG), content that is not
    accessible (non-compliance, disproportionate burden, out of scope), how we tested, dates.
    """

    class Compliance(models.TextChoices):
        FULL = "full", _("helt förenlig")
        PARTIAL = "partial", _("delvis förenlig")
        NONE = "none", _("inte förenlig")

    organisation_name = models.CharField(_("organisation"), max_length=160, default="Vägval")
    compliance = models.CharField(
        _("förenlighet med lagkraven"),
        max_length=10,
        choices=Compliance.choices,
        default=Compliance.PARTIAL,
    )
    contact_email = models.EmailField(_("e-post för tillgänglighet"))
    contact_phone = models.CharField(_("telefon"), max_length=40, blank=True)
    response_time = models.CharField(
        _("svarstid"), max_length=120, default="Vi svarar normalt inom fem arbetsdagar."
    )
    known_barriers = StreamField(
        [("barrier", KnownBarrierBlock())], verbose_name=_("kända brister"), blank=True
    )
    disproportionate_burden = RichTextField(
        _("oskäligt betungande anpassning"), blank=True, features=["bold", "italic", "link", "ul"]
    )
    out_of_scope = RichTextField(
        _("innehåll som inte omfattas av lagstiftningen"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
    )
    test_method = RichTextField(
        _("hur vi testat webbplatsen"), features=["bold", "italic", "link", "ul"]
    )
    last_assessed = models.DateField(_("senaste bedömning"))
    site_published = models.DateField(_("webbplatsen publicerades"))
    statement_updated = models.DateField(_("redogörelsen uppdaterades senast"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("organisation_name"),
        FieldPanel("compliance"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("response_time")],
            heading=_("Kontakt"),
        ),
        FieldPanel("known_barriers"),
        FieldPanel("disproportionate_burden"),
        FieldPanel("out_of_scope"),
        FieldPanel("test_method"),
        FieldRowPanel(
            [
                FieldPanel("last_assessed"),
                FieldPanel("site_published"),
                FieldPanel("statement_updated"),
            ]
        ),
    ]
    parent_page_types = ["cms.HomePage", "cms.AboutPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("tillgänglighetsredogörelse")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms.forms import BarrierReportForm

        context = super().get_context(request, *args, **kwargs)
        context["barrier_form"] = BarrierReportForm(initial={"page_url": ""})
        return context
