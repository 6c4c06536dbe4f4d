"""Models of the public debate site: snippets, page types and reader participation."""

from cms.models.pages import (
    AboutPage,
    AccessibilityStatementPage,
    AnalysisIndexPage,
    ArticlePage,
    CmsPage,
    DebateIndexPage,
    DebatePage,
    EventIndexPage,
    EventPage,
    HomePage,
    ReportIndexPage,
    ReportPage,
    SectionIndexPage,
)
from cms.models.participation import (
    BarrierReport,
    EventRegistration,
    NewsletterSubscription,
    ReaderSubmission,
)
from cms.models.snippets import Author, Topic

__all__ = [
    "AboutPage",
    "AccessibilityStatementPage",
    "AnalysisIndexPage",
    "ArticlePage",
    "Author",
    "BarrierReport",
    "CmsPage",
    "DebateIndexPage",
    "DebatePage",
    "EventIndexPage",
    "EventPage",
    "EventRegistration",
    "HomePage",
    "NewsletterSubscription",
    "ReaderSubmission",
    "ReportIndexPage",
    "ReportPage",
    "SectionIndexPage",
    "Topic",
]
