"""Step 5's records, the job feed (lediga jobb).

- `FeedSnapshot`: the client's ranked feed as computed (nightly, or when an upstream step
  changed): the top ads with score, reasons and what a card shows (all its sources), plus the
  upstream revisions and ad-index version it came from. `first_seen` per item says when the ad
  first entered the client's feed, which gives "nytt sedan igår" and "N nya träffar" without a
  per-ad table. A few recent snapshots are kept per client, older ones are pruned.
- `HiddenAd`: an ad the client does not want to see again.
- `Application`: the application tracker; saving an ad creates one ("intresserad"). It keeps a
  copy of the headline, employer and link, so it outlives the ad.
- `FeedSettings`: alert frequency (e-mail digest), when the last digest went out, when the
  client last looked at the feed.

Ad ids are `vagval.jobs` JobAd primary keys, stored as plain integers (not foreign keys): an ad
may be expired or removed at the source while the client's tracker entry stays.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .client import ClientProfile

FEED_SNAPSHOT_SCHEMA_VERSION = 1


class FeedSnapshot(models.Model):
    """One computed feed of one client (see the module docstring for `items`).

    items: [{"ad_id": int, "cluster_id": int | None, "score": float, "reasons": [{"code", "sv",
    "en"}], "first_seen": iso | None, "headline", "employer", "location", "municipality_id",
    "region_id", "occupation_id", "group_id", "published_at": iso | None, "deadline": iso |
    None, "remote": bool, "sources": [{"ad_id", "source", "url", "apply_url"}]}], best first.
    """

    client = models.ForeignKey(
        ClientProfile, on_delete=models.CASCADE, related_name="feed_snapshots"
    )
    schema_version = models.PositiveSmallIntegerField(default=FEED_SNAPSHOT_SCHEMA_VERSION)
    computed_at = models.DateTimeField(auto_now_add=True)
    # What the feed was computed from: equal keys mean recomputing would give the same feed.
    inputs_key = models.CharField(max_length=200)
    index_version = models.CharField(max_length=100, blank=True)
    state_revision = models.PositiveIntegerField(null=True, blank=True)
    competence_revision = models.PositiveIntegerField(null=True, blank=True)
    search_revision = models.PositiveIntegerField(null=True, blank=True)
    items = models.JSONField(default=list)
    # The MatchProfile it was ranked with (`journey.matchprofile.match_profile_as_dict`): the
    # feed page re-ranks with it over the current ads without reading steps 1-3 again.
    profile = models.JSONField(default=dict)
    # Why it was computed: "nightly", "refresh", "search", "visit", "demo".
    reason = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["client", "-computed_at", "-id"]
        get_latest_by = "computed_at"
        verbose_name = _("jobbflöde")
        verbose_name_plural = _("jobbflöden")
        indexes = [models.Index(fields=["client", "-computed_at"], name="journey_feed_latest")]

    def __str__(self) -> str:
        return f"FeedSnapshot({self.client_id} {self.computed_at:%Y-%m-%d %H:%M})"

    @property
    def ad_ids(self) -> list[int]:
        return [int(item["ad_id"]) for item in self.items]


class HiddenAd(models.Model):
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="hidden_ads")
    ad_id = models.PositiveBigIntegerField()
    hidden_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["client", "-hidden_at"]
        verbose_name = _("dold annons")
        verbose_name_plural = _("dolda annonser")
        constraints = [
            models.UniqueConstraint(fields=["client", "ad_id"], name="journey_hidden_unique")
        ]

    def __str__(self) -> str:
        return f"HiddenAd({self.client_id}: {self.ad_id})"


class ApplicationStatus(models.TextChoices):
    INTERESTED = "interested", _("Intresserad")
    APPLIED = "applied", _("Ansökt")
    INTERVIEW = "interview", _("Intervju")
    OFFER = "offer", _("Erbjudande")
    REJECTED = "rejected", _("Inte aktuell")
    WITHDRAWN = "withdrawn", _("Återkallad")


class Application(models.Model):
    """One job the client is interested in or has applied for (the application tracker)."""

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="applications")
    ad_id = models.PositiveBigIntegerField()
    cluster_id = models.PositiveBigIntegerField(null=True, blank=True)
    # A copy of what identifies the job, kept when the ad expires or disappears.
    headline = models.CharField(_("rubrik"), max_length=500)
    employer_name = models.CharField(_("arbetsgivare"), max_length=300, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    occupation_id = models.CharField(max_length=32, blank=True)
    group_id = models.CharField(max_length=32, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.INTERESTED,
    )
    note = models.TextField(_("anteckning"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateField(_("ansökt den"), null=True, blank=True)
    # [{"status": "...", "at": iso}]: every status the application has had, oldest first.
    history = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["client", "-updated_at", "-id"]
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")
        constraints = [
            models.UniqueConstraint(fields=["client", "ad_id"], name="journey_application_unique")
        ]
        indexes = [models.Index(fields=["client", "status"], name="journey_application_status")]

    def __str__(self) -> str:
        return f"Application({self.client_id}: {self.ad_id} {self.status})"


class AlertFrequency(models.TextChoices):
    OFF = "off", _("Inga e-postmeddelanden")
    DAILY = "daily", _("Varje dag")
    WEEKLY = "weekly", _("En gång i veckan")


class FeedSettings(models.Model):
    """The client's feed preferences and bookkeeping (one row per client)."""

    client = models.OneToOneField(
        ClientProfile, primary_key=True, on_delete=models.CASCADE, related_name="feed_settings"
    )
    alert_frequency = models.CharField(
        _("bevakning via e-post"),
        max_length=8,
        choices=AlertFrequency.choices,
        default=AlertFrequency.OFF,
    )
    last_alert_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)  # last visit of the feed page
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inställningar för jobbflödet")
        verbose_name_plural = _("inställningar för jobbflödet")

    def __str__(self) -> str:
        return f"FeedSettings({self.client_id}: {self.alert_frequency})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "alert_frequency": self.alert_frequency,
            "last_alert_at": self.last_alert_at,
            "unsubscribed_at": self.unsubscribed_at,
            "last_seen_at": self.last_seen_at,
        }
