"""URLs of the public site outside the Wagtail page tree: feeds, sitemap, robots.txt, the
newsletter, and the endpoints that reader forms post to. Pages themselves (and search, at
`sok/` on each home page) are served by Wagtail under `/` (Swedish) and `/en/` (English).
"""

from django.urls import path

from cms import feeds, views

app_name = "cms"
urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    # Feeds: /flode/sv/debatt/rss/ and /flode/en/amne/ai-and-work/atom/
    path("flode/<str:lang>/amne/<slug:topic>/rss/", feeds.TopicFeed(), name="feed_topic_rss"),
    path("flode/<str:lang>/amne/<slug:topic>/atom/", feeds.TopicAtomFeed(), name="feed_topic_atom"),
    path("flode/<str:lang>/<slug:section>/rss/", feeds.SectionFeed(), name="feed_section_rss"),
    path(
        "flode/<str:lang>/<slug:section>/atom/", feeds.SectionAtomFeed(), name="feed_section_atom"
    ),
    path("nyhetsbrev/", views.newsletter_signup, name="newsletter"),
    path("nyhetsbrev/bekrafta/<str:token>/", views.newsletter_confirm, name="newsletter_confirm"),
    path(
        "nyhetsbrev/avregistrera/<str:token>/",
        views.newsletter_unsubscribe,
        name="newsletter_unsubscribe",
    ),
    path("bidrag/<int:page_id>/", views.submission_create, name="submit"),
    path("anmalan/<int:page_id>/", views.event_register, name="event_register"),
    path("kalender/<int:page_id>.ics", views.event_calendar, name="event_ics"),
    path("anmalan/avboka/<str:token>/", views.event_cancel, name="event_cancel"),
    path("tillganglighetsbrist/<int:page_id>/", views.barrier_report, name="barrier_report"),
]
