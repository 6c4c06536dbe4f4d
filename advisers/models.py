"""Data of the adviser (rådgivare) portal.

- `AdviserProfile`: who an adviser is to clients (photo, presentation) and to intake matching
  (regions, occupation experience as SSYK codes, languages, capacity).
- `Case`: one client's assignment to one adviser, from intake to outcome. At most one open case
  per client. Everything the adviser and the client share hangs from the case.
- `CaseEvent`: case bookkeeping for the timeline (opened, reassigned, change asked, closed).
- `NextStep` (shared, the client ticks off), `AdviserNote` (private to advisers).
- `MeetingSlot` (published free time), `Meeting` (booked in a slot, or ad hoc).
- `Message`: the secure two-way thread of a case.
- `Seminar`, `SeminarRegistration` (capacity, waiting list, attendance).
- `Recommendation`: a lead pushed to the client (an ad, an article, a seminar).
- `Outcome` (how the case ended, linked to the case) and `AnonymisedOutcome` (the same facts
  without anything identifying, kept after erasure for statistics and occupation transitions).
- `SharingChoice`: which parts of the journey a client who shares with their adviser keeps back.

Client and adviser are `accounts.User` rows; the journey is read only through its selectors.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Languages an adviser can counsel in (ISO 639-1). Clients' preferred language is sv or en.
ADVISER_LANGUAGES = [
    ("sv", _("Svenska")),
    ("en", _("Engelska")),
    ("ar", _("Arabiska")),
    ("fi", _("Finska")),
    ("fa", _("Persiska")),
    ("so", _("Somaliska")),
    ("ti", _("Tigrinja")),
    ("pl", _("Polska")),
    ("es", _("Spanska")),
    ("de", _("Tyska")),
    ("fr", _("Franska")),
    ("bs", _("Bosniska/kroatiska/serbiska")),
]


class AdviserProfile(models.Model):
    """An adviser as clients and intake matching see them. Primary key = the user's id."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="adviser_profile",
        verbose_name=_("användare"),
    )
    photo = models.ImageField(_("foto"), upload_to="advisers/photos/", blank=True)
    photo_alt = models.CharField(_("bildbeskrivning"), max_length=200, blank=True)
    title = models.CharField(_("titel"), max_length=100, blank=True, default="Rådgivare")
    presentation_sv = models.TextField(_("presentation (svenska)"), max_length=2000, blank=True)
    presentation_en = models.TextField(_("presentation (engelska)"), max_length=2000, blank=True)
    region_ids = models.JSONField(_("regioner"), default=list, blank=True)  # taxonomy region ids
    # SSYK codes of 1-4 digits ("25" = IT professions, "2512" = software developers).
    occupation_codes = models.JSONField(_("yrkesområden"), default=list, blank=True)
    languages = models.JSONField(_("språk"), default=list, blank=True)  # ADVISER_LANGUAGES codes
    video_room_url = models.URLField(_("länk till mitt videorum"), blank=True)
    default_location = models.CharField(_("mötesplats"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("max antal klienter"), default=60)
    accepts_new_clients = models.BooleanField(_("tar emot nya klienter"), default=True)
    is_team_lead = models.BooleanField(_("teamledare"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rådgivarprofil")
        verbose_name_plural = _("rådgivarprofiler")

    def __str__(self) -> str:
        return str(self.user)

    def presentation(self, language: str) -> str:
        if language == "en" and self.presentation_en:
            return self.presentation_en
        return self.presentation_sv


class Case(models.Model):
    """A client's case with an adviser. Closed when the outcome is recorded."""

    class AssignedBy(models.TextChoices):
        MATCHING = "matching", _("Automatisk matchning")
        TEAM_LEAD = "team_lead", _("Teamledare")
        CLIENT_REQUEST = "client_request", _("Klientens önskemål")

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adviser_cases"
    )
    # None only while an erased adviser's open case waits for intake to find a new adviser.
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caseload",
    )
    assigned_by = models.CharField(
        max_length=16, choices=AssignedBy.choices, default=AssignedBy.MATCHING
    )
    match_reasons = models.JSONField(default=list, blank=True)  # [{"sv": ..., "en": ...}]
    opened_at = models.DateTimeField(default=timezone.now)
    assigned_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Last thing the adviser or the client did in the case (message, note, meeting, step).
    last_activity_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(closed_at__isnull=True),
                name="advisers_one_open_case",
            )
        ]
        indexes = [models.Index(fields=["adviser", "closed_at"], name="advisers_case_caseload")]

    def __str__(self) -> str:
        return f"Case({self.pk}: client {self.client_id}, adviser {self.adviser_id})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CaseEvent(models.Model):
    """Bookkeeping of a case shown on the timeline. Carries no free text about the client."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Ärendet öppnades")
        REASSIGNED = "reassigned", _("Ny rådgivare")
        CHANGE_REQUESTED = "change_requested", _("Klienten bad om en annan rådgivare")
        CLOSED = "closed", _("Ärendet avslutades")
        REOPENED = "reopened", _("Ärendet öppnades igen")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "-at", "-id"]

    def __str__(self) -> str:
        return f"CaseEvent({self.case_id} {self.kind})"


class AdviserChangeRequest(models.Model):
    """A client asks for another adviser; a team lead resolves it by reassigning (or not)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="change_requests")
    reason = models.TextField(_("varför"), max_length=1000, blank=True)
    wished_language = models.CharField(
        _("önskat språk"), max_length=2, choices=ADVISER_LANGUAGES, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["resolved_at", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(resolved_at__isnull=True),
                name="advisers_one_open_change_request",
            )
        ]

    def __str__(self) -> str:
        return f"AdviserChangeRequest({self.case_id})"


class NextStep(models.Model):
    """A next step agreed between adviser and client; both see it, either ticks it off."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="next_steps")
    text = models.CharField(_("nästa steg"), max_length=300)
    due_date = models.DateField(_("klart senast"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["done_at", "due_date", "created_at", "id"]
        verbose_name = _("nästa steg")
        verbose_name_plural = _("nästa steg")

    def __str__(self) -> str:
        return f"NextStep({self.case_id}: {self.text[:40]})"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("Fysiskt möte")
    PHONE = "phone", _("Telefon")
    VIDEO = "video", _("Video")


class MeetingSlot(models.Model):
    """A free time an adviser publishes; a client books it as a meeting."""

    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_slots"
    )
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    # Which kinds of meeting this time can be: a list of MeetingMode values.
    modes = models.JSONField(_("mötesform"), default=list)
    location = models.CharField(_("plats"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("ledig tid")
        verbose_name_plural = _("lediga tider")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_order"
            )
        ]
        indexes = [models.Index(fields=["adviser", "starts_at"], name="advisers_slot_adviser")]

    def __str__(self) -> str:
        return f"Slot({self.adviser_id} {self.starts_at:%Y-%m-%d %H:%M})"


class Meeting(models.Model):
    """A meeting between an adviser and a client, usually in a published slot."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Bokat")
        CANCELLED = "cancelled", _("Avbokat")
        HELD = "held", _("Genomfört")
        NO_SHOW = "no_show", _("Uteblev")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    slot = models.ForeignKey(
        MeetingSlot, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    mode = models.CharField(_("mötesform"), max_length=12, choices=MeetingMode.choices)
    location = models.CharField(_("plats"), max_length=200, blank=True)
    video_url = models.URLField(_("videolänk"), blank=True)
    agenda = models.CharField(_("vad vill du ta upp?"), max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE: bumped on each move

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        constraints = [
            # A published slot holds at most one booked meeting.
            models.UniqueConstraint(
                fields=["slot"], condition=Q(status="booked"), name="advisers_slot_booked_once"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_order"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="advisers_meeting_due"),
            models.Index(fields=["case", "starts_at"], name="advisers_meeting_case"),
        ]

    def __str__(self) -> str:
        return f"Meeting({self.pk} {self.starts_at:%Y-%m-%d %H:%M})"

    @property
    def is_booked(self) -> bool:
        return self.status == self.Status.BOOKED


class AdviserNote(models.Model):
    """A private note of the adviser (never shown to the client), optionally a meeting's notes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("anteckning"), max_length=8000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("anteckning")
        verbose_name_plural = _("anteckningar")

    def __str__(self) -> str:
        return f"AdviserNote({self.case_id} {self.created_at:%Y-%m-%d})"


class Message(models.Model):
    """One message in a case's thread between client and adviser."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_client = models.BooleanField()
    body = models.TextField(_("meddelande"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("meddelande")
        verbose_name_plural = _("meddelanden")
        indexes = [models.Index(fields=["case", "read_at"], name="advisers_msg_unread")]

    def __str__(self) -> str:
        return f"Message({self.case_id} {self.created_at:%Y-%m-%d %H:%M})"


class SeminarTopic(models.TextChoices):
    CV = "cv", _("CV")
    LINKEDIN = "linkedin", _("LinkedIn")
    INTERVIEW = "interview", _("Intervjuträning")
    BUSINESS = "business", _("Starta eget")
    MARKET = "market", _("Arbetsmarknaden")
    OTHER = "other", _("Annat")


class Seminar(models.Model):
    """A seminar or group session advisers run; clients sign up, with a waiting list."""

    title = models.CharField(_("rubrik"), max_length=200)
    topic = models.CharField(_("ämne"), max_length=12, choices=SeminarTopic.choices)
    description = models.TextField(_("beskrivning"), max_length=4000, blank=True)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    location = models.CharField(_("plats"), max_length=200, blank=True)
    video_url = models.URLField(_("videolänk"), blank=True)
    capacity = models.PositiveIntegerField(_("antal platser"), default=20)
    language = models.CharField(_("språk"), max_length=2, choices=ADVISER_LANGUAGES, default="sv")
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_seminars",
    )
    is_cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("seminarium")
        verbose_name_plural = _("seminarier")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="seminar_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class SeminarRegistration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Anmäld")
        WAITLISTED = "waitlisted", _("På väntelista")
        CANCELLED = "cancelled", _("Avanmäld")

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="registrations")
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seminar_registrations"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(null=True, blank=True)  # None until recorded

    class Meta:
        ordering = ["seminar", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "client"], name="advisers_one_registration")
        ]

    def __str__(self) -> str:
        return f"SeminarRegistration({self.seminar_id}, {self.client_id}, {self.status})"


class Recommendation(models.Model):
    """A lead the adviser pushes to the client: an ad, an article or a seminar."""

    class Kind(models.TextChoices):
        AD = "ad", _("Annons")
        ARTICLE = "article", _("Artikel")
        SEMINAR = "seminar", _("Seminarium")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recommendations")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    ad_id = models.BigIntegerField(null=True, blank=True)  # vagval.jobs JobAd id
    seminar = models.ForeignKey(
        Seminar, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("rubrik"), max_length=300)
    url = models.CharField(_("länk"), max_length=2000, blank=True)
    note = models.CharField(_("hälsning från rådgivaren"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tips från rådgivaren")
        verbose_name_plural = _("tips från rådgivaren")

    def __str__(self) -> str:
        return f"Recommendation({self.case_id} {self.kind})"


class OutcomeKind(models.TextChoices):
    JOB = "job", _("Nytt jobb")
    STUDIES = "studies", _("Studier")
    BUSINESS = "business", _("Eget företag")
    OTHER = "other", _("Annat")


class AnonymisedOutcome(models.Model):
    """How a case ended, without anything that identifies the client.

    Written together with `Outcome` and kept when the client's account is erased: no client id,
    no free text, the month instead of the date, time to outcome in whole weeks. The adviser
    link stays (an adviser's own figures); the employer is the member company (aggregated with
    the suppression threshold before anyone sees it).
    """

    kind = models.CharField(max_length=12, choices=OutcomeKind.choices)
    occupation_id = models.CharField(max_length=32, blank=True)  # new occupation concept id
    occupation_group_code = models.CharField(max_length=4, blank=True)  # its SSYK-4 code
    from_occupation_id = models.CharField(max_length=32, blank=True)  # the client's last one
    from_occupation_group_code = models.CharField(max_length=4, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region_id = models.CharField(max_length=32, blank=True)
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    month = models.DateField()  # first day of the outcome's month
    weeks_from_notice = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("anonymiserat utfall")
        verbose_name_plural = _("anonymiserade utfall")
        indexes = [
            models.Index(fields=["organisation", "month"], name="advisers_anon_org"),
            models.Index(fields=["from_occupation_id"], name="advisers_anon_from"),
        ]

    def __str__(self) -> str:
        return f"AnonymisedOutcome({self.kind} {self.month:%Y-%m})"


class Outcome(models.Model):
    """How a client's case ended. Recording it closes the case."""

    class RecordedBy(models.TextChoices):
        ADVISER = "adviser", _("Rådgivaren")
        CLIENT = "client", _("Klienten")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="outcome")
    kind = models.CharField(_("utfall"), max_length=12, choices=OutcomeKind.choices)
    occupation_id = models.CharField(_("yrke"), max_length=32, blank=True)
    employer_name = models.CharField(_("arbetsgivare"), max_length=200, blank=True)
    date = models.DateField(_("datum"))
    comment = models.CharField(_("kommentar"), max_length=500, blank=True)
    recorded_by = models.CharField(max_length=8, choices=RecordedBy.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    anonymised = models.OneToOneField(
        AnonymisedOutcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")

    def __str__(self) -> str:
        return f"Outcome({self.case_id} {self.kind})"


class SharingChoice(models.Model):
    """Parts of the journey a client keeps back from the adviser (all shared by default)."""

    class Part(models.TextChoices):
        WELLBEING = "wellbeing", _("Mående, energi och ekonomi")
        COMPETENCE = "competence", _("Kompetenser och erfarenheter")
        APPLICATIONS = "applications", _("Sökta jobb och flödet")

    client = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="adviser_sharing",
    )
    hidden_parts = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"SharingChoice({self.client_id})"
