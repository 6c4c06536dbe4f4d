"""Models of vagval.jobs: job ads, their duplicate clusters, quarantine, runs and cursors.

Concept ids (municipality, region, occupation, skill) are plain JobTech id strings, not foreign
keys to `vagval.taxonomy`: ingestion stays fast (no lookups per row) and the two apps stay loosely
coupled. Rows are written only by `services.py` / `pipeline.py`, in bulk.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where an ad came from. The order is also the preference for the ad a cluster shows."""

    # An opening a member company published through Vägval: the employer's own words, and
    # marked in the feed as from a member company, so it is preferred over every copy.
    MEMBER_COMPANY = "member-company", _("Medlemsföretag i Vägval")
    JOBTECH = "jobtech", _("JobTech (Platsbanken, JobSearch/JobStream)")
    PLATSBANKEN_WEB = "platsbanken-web", _("Platsbanken (webbsidor)")
    JOBPOSTING = "jobposting", _("Karriärsidor (schema.org JobPosting)")
    RSS = "rss", _("RSS/Atom-flöden")


SOURCE_RANK = {s.value: i for i, s in enumerate(Source)}


class RemoteWork(models.TextChoices):
    """What an ad says about working away from the workplace ("" = nothing said)."""

    NOT_STATED = "", _("Inte angivet")
    HYBRID = "hybrid", _("Delvis på distans")
    FULL = "full", _("Helt på distans")


class ExpiryReason(models.TextChoices):
    DEADLINE = "deadline", _("Sista ansökningsdag har passerat")
    REMOVED = "removed", _("Borttagen hos källan")


class JobCluster(models.Model):
    """One job. Every ad (source link) of the job points here; one of them is shown."""

    canonical = models.ForeignKey(
        "JobAd", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member_count = models.PositiveIntegerField(default=0)
    # True while at least one member is active.
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("jobb (kluster av annonser)")
        verbose_name_plural = _("jobb (kluster av annonser)")
        indexes = [models.Index(fields=["member_count"], name="jobs_cluster_members")]

    def __str__(self) -> str:
        return f"cluster {self.pk} ({self.member_count} ads)"


class JobAd(models.Model):
    """One ad as published by one source. Duplicates of one job share a `cluster`."""

    source = models.CharField(max_length=32, choices=Source.choices)
    source_id = models.CharField(max_length=255)
    url = models.URLField(max_length=2000, blank=True, default="")
    # A second link to the same ad, e.g. the employer's application page.
    apply_url = models.URLField(max_length=2000, blank=True, default="")

    headline = models.CharField(max_length=500)
    description_text = models.TextField(blank=True, default="")
    # The sanitised HTML the source published; empty when the source gave plain text, whose
    # HTML is derived from `description_text` (`description_as_html`), not stored twice.
    description_html = models.TextField(blank=True, default="")
    language = models.CharField(max_length=8, blank=True, default="")

    employer_name = models.CharField(max_length=300, blank=True, default="")
    employer_org_number = models.CharField(max_length=10, blank=True, default="")

    location_label = models.CharField(max_length=200, blank=True, default="")
    municipality_concept_id = models.CharField(max_length=32, blank=True, default="")
    region_concept_id = models.CharField(max_length=32, blank=True, default="")
    country_code = models.CharField(max_length=8, blank=True, default="")

    # As the source gave them (JobTech ads carry them); empty for scraped sources.
    occupation_concept_id = models.CharField(max_length=32, blank=True, default="")
    occupation_group_concept_id = models.CharField(max_length=32, blank=True, default="")
    occupation_field_concept_id = models.CharField(max_length=32, blank=True, default="")
    # Found in the text by the taxonomy matcher (plus the source's own occupation).
    occupation_ids = models.JSONField(default=list, blank=True)
    skill_ids = models.JSONField(default=list, blank=True)

    employment_type = models.CharField(max_length=200, blank=True, default="")
    working_hours = models.CharField(max_length=200, blank=True, default="")
    duration = models.CharField(max_length=200, blank=True, default="")
    remote_work = models.CharField(
        max_length=8, choices=RemoteWork.choices, blank=True, default=RemoteWork.NOT_STATED
    )

    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    application_deadline = models.DateTimeField(null=True, blank=True)  # see jobs_ad_deadline
    removed_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    expired_reason = models.CharField(
        max_length=16, choices=ExpiryReason.choices, blank=True, default=""
    )

    # Dedup keys. `content_hash`: normalised employer + headline + text (exact duplicates);
    # `record_hash`: everything stored (a re-run with an unchanged record changes nothing);
    # `minhash`: 128 uint32 MinHash values (512 bytes); `title_key`/`employer_key`: normalised
    # tokens the near-duplicate check compares.
    # Indexed in Meta, not with db_index: on PostgreSQL db_index on a CharField adds a second,
    # `varchar_pattern_ops` index for LIKE queries we never make, and every insert pays for it.
    content_hash = models.CharField(max_length=32)
    record_hash = models.CharField(max_length=32)
    minhash = models.BinaryField()
    title_key = models.CharField(max_length=500, blank=True, default="")
    employer_key = models.CharField(max_length=300, blank=True, default="")

    cluster = models.ForeignKey(
        JobCluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="ads"
    )
    is_canonical = models.BooleanField(default=False)

    first_seen_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("platsannons")
        verbose_name_plural = _("platsannonser")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="jobs_ad_source_id")
        ]
        indexes = [
            models.Index(fields=["is_canonical", "is_active"], name="jobs_ad_canonical_active"),
            models.Index(fields=["is_active", "application_deadline"], name="jobs_ad_deadline"),
            models.Index(fields=["content_hash"], name="jobs_ad_content_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.headline} ({self.source}:{self.source_id})"

    @property
    def description_as_html(self) -> str:
        """Safe HTML of the description: the source's own (sanitised) HTML, else paragraphs
        made from the plain text."""
        from vagval.jobs.normalise import text_to_html

        return self.description_html or text_to_html(self.description_text)


class LshBand(models.Model):
    """One LSH band key of one ad: the persistent near-duplicate index.

    A new ad's band keys are looked up with one indexed `IN` query, so a daily delta is matched
    against everything stored without loading the index into memory. The composite primary key
    (key, ad) is the lookup index and the table's only index: with 26 rows per ad, a foreign-key
    check and a second index per row would double the cost of every insert. Rows of an ad are
    deleted by their (key, ad) pairs, which the writer recomputes from the ad's stored MinHash;
    a row whose ad is gone is ignored by the matcher.
    """

    pk = models.CompositePrimaryKey("key", "ad_id")
    key = models.BigIntegerField()
    ad = models.ForeignKey(
        JobAd, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )

    class Meta:
        verbose_name = _("LSH-nyckel")
        verbose_name_plural = _("LSH-nycklar")

    def __str__(self) -> str:
        return f"{self.key} -> ad {self.ad_id}"


class IngestRun(models.Model):
    """One run of the pipeline over some input, with its counts and timings."""

    source = models.CharField(max_length=32, choices=Source.choices)
    inputs = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    read = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    quarantined = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0)
    # Seconds spent per stage (read, parse, dedup, write...).
    timings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("inläsning")
        verbose_name_plural = _("inläsningar")

    def __str__(self) -> str:
        return f"{self.source} run {self.pk} ({self.read} read)"


class QuarantineReason(models.TextChoices):
    MALFORMED = "malformed", _("Ogiltig JSON/XML/HTML")
    MISSING_FIELD = "missing_field", _("Obligatoriskt fält saknas")
    WRONG_TYPE = "wrong_type", _("Fält har fel typ")
    TOO_LARGE = "too_large", _("Annonsen är för stor")
    HOSTILE_HTML = "hostile_html", _("Skript eller farlig HTML")
    UNKNOWN_MUNICIPALITY = "unknown_municipality", _("Okänd kommun")
    DUPLICATE_ID = "duplicate_id", _("Samma id förekommer flera gånger i inläsningen")
    UNSUPPORTED = "unsupported", _("Okänt format")


class QuarantinedRecord(models.Model):
    """A record that could not be ingested, with the reason and the raw payload.

    `fingerprint` (source, reason, raw payload) is unique, so re-running the same input adds no
    rows. Huge payloads are truncated to `RAW_LIMIT` characters and say so (`raw_truncated`,
    `raw_size`).
    """

    RAW_LIMIT = 64 * 1024

    source = models.CharField(max_length=32, choices=Source.choices)
    source_id = models.CharField(max_length=255, blank=True, default="")
    reason = models.CharField(max_length=32, choices=QuarantineReason.choices)
    message = models.TextField()
    raw_payload = models.TextField(blank=True, default="")
    raw_truncated = models.BooleanField(default=False)
    raw_size = models.PositiveIntegerField(default=0)
    origin = models.CharField(max_length=1000, blank=True, default="")
    run = models.ForeignKey(
        IngestRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quarantined_records",
    )
    batch = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("karantänpost")
        verbose_name_plural = _("karantänposter")
        indexes = [models.Index(fields=["source", "reason"], name="jobs_quarantine_reason")]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id or '?'} {self.reason}"


class SourceCursor(models.Model):
    """Where a live source was read up to, so the next sync resumes from there."""

    source = models.CharField(max_length=64, unique=True)
    last_timestamp = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.source} @ {self.last_timestamp}"
