"""Models of the member-company (HR) portal.

Everything here belongs to one member company (`vagval.accounts.Organisation`) and is read by
HR users of that company only; every selector filters on the organisation, so a row of another
company is never reachable by id.

- `Site`, `UnionContact`, `HrInvitation`: the company account.
- `Case` (a redundancy notice, varsel, or a proactive competence-mapping round before notice),
  `Enrolment` (one affected or invited employee) and `ImportJob` (an uploaded staff list on its
  way through validation and an all-or-nothing import).
- `Opening` (an internal or member-network opening) and `OpeningMatch` (a ranked employee, who
  decides whether HR may see them: double opt-in).
- `ContactRequest`: HR asks an anonymous, visible client of another company to get in touch.
- `Seminar` and `SeminarSignup`: the council's seminars for managers and union representatives.

Journey data (stage, competences, outcomes) is never copied here: it is read through
`journey.selectors.employers_api` and aggregated with suppression (`employers.stats`).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vagval.accounts.models import Organisation


def new_nonce() -> str:
    """The secret part of an invitation link; replaced when a link is re-sent or revoked."""
    return secrets.token_urlsafe(16)


class Site(models.Model):
    """A workplace (arbetsställe) of the company."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("namn"), max_length=200)
    address = models.CharField(_("adress"), max_length=300, blank=True)
    municipality_id = models.CharField(_("kommun"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("arbetsställe")
        verbose_name_plural = _("arbetsställen")

    def __str__(self) -> str:
        return self.name


class UnionContact(models.Model):
    """A local union representative (facklig kontakt) the council and HR work with."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("namn"), max_length=200)
    union = models.CharField(_("fackförbund"), max_length=120)
    email = models.EmailField(_("e-postadress"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "union", "name"]
        verbose_name = _("facklig kontakt")
        verbose_name_plural = _("fackliga kontakter")

    def __str__(self) -> str:
        return f"{self.name} ({self.union})"


class HrInvitation(models.Model):
    """An e-mail invitation for a colleague to become an HR user of the company."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("e-postadress"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    nonce = models.CharField(max_length=32, default=new_nonce)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inbjudan av HR-användare")
        verbose_name_plural = _("inbjudningar av HR-användare")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="employers_hr_invitation_open_unique",
            )
        ]

    def __str__(self) -> str:
        return f"HrInvitation({self.email})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class CaseKind(models.TextChoices):
    NOTICE = "notice", _("Varsel om uppsägning")
    PROACTIVE = "proactive", _("Före varsel: kompetenskartläggning")


class Case(models.Model):
    """A redundancy notice (varsel) or a proactive round before any notice."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("typ"), max_length=16, choices=CaseKind.choices, default=CaseKind.NOTICE
    )
    title = models.CharField(_("namn på ärendet"), max_length=200)
    reason = models.TextField(_("orsak"), max_length=4000, blank=True)
    number_affected = models.PositiveIntegerField(_("antal berörda"), null=True, blank=True)
    notice_date = models.DateField(_("datum för varsel"), null=True, blank=True)
    last_working_day = models.DateField(_("sista anställningsdag"), null=True, blank=True)
    site = models.ForeignKey(
        Site,
        verbose_name=_("arbetsställe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktpersonens e-post"), blank=True)
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=40, blank=True)
    # Proactive rounds may let employees enrol themselves with an address in this domain.
    self_signup_domain = models.CharField(
        _("e-postdomän för egen anmälan"), max_length=120, blank=True
    )
    self_signup_nonce = models.CharField(max_length=32, default=new_nonce)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "-created_at", "-id"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_working_day__isnull=True)
                | models.Q(notice_date__isnull=True)
                | models.Q(last_working_day__gte=models.F("notice_date")),
                name="employers_case_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_notice(self) -> bool:
        return self.kind == CaseKind.NOTICE


class EnrolmentStatus(models.TextChoices):
    INVITED = "invited", _("Inbjuden")
    ACCEPTED = "accepted", _("Har tackat ja")
    DECLINED = "declined", _("Har tackat nej")


class Enrolment(models.Model):
    """One employee enrolled in a case by HR (or by themself in a proactive round).

    Holds only what HR already knows (name, work e-mail, unit, dates) and whether the person
    accepted. No personnummer is ever collected. The link to the client's account is set when
    they accept; from then on HR sees that they accepted, never their journey.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="enrolments")
    email = models.EmailField(_("e-postadress"))
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    unit = models.CharField(_("enhet"), max_length=120, blank=True)
    last_working_day = models.DateField(_("sista anställningsdag"), null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.INVITED
    )
    self_enrolled = models.BooleanField(default=False)
    nonce = models.CharField(max_length=32, default=new_nonce)
    invited_at = models.DateTimeField(null=True, blank=True)  # when the e-mail went out
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    # Whether the employee wants to be ranked for the employer's internal openings is their
    # consent `ConsentPurpose.INTERNAL_MOBILITY` in the ledger (versioned, withdrawable), not
    # a field here.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "last_name", "first_name", "id"]
        verbose_name = _("anmäld medarbetare")
        verbose_name_plural = _("anmälda medarbetare")
        constraints = [
            models.UniqueConstraint(fields=["case", "email"], name="employers_enrolment_unique")
        ]
        indexes = [
            models.Index(fields=["case", "status"], name="employers_enrol_case_status"),
            models.Index(fields=["user"], name="employers_enrol_user"),
        ]

    def __str__(self) -> str:
        return f"Enrolment({self.case_id}: {self.email})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uppladdad")
    VALIDATING = "validating", _("Kontrolleras")
    VALIDATED = "validated", _("Kontrollerad")
    IMPORTING = "importing", _("Läses in")
    DONE = "done", _("Inläst")
    FAILED = "failed", _("Misslyckades")


class ImportJob(models.Model):
    """An uploaded staff list: checked row by row in a task, then imported all or nothing.

    The raw file is kept only until it has been parsed; the parsed rows only until they have
    been imported (then the enrolments hold them).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=200)
    kind = models.CharField(max_length=8)  # "csv" or "xlsx"
    size = models.PositiveIntegerField()
    content = models.BinaryField(default=b"", blank=True)
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    rows = models.JSONField(default=list, blank=True)  # valid rows, as plain values
    errors = models.JSONField(default=list, blank=True)  # [{"row", "column", "message"}]
    warnings = models.JSONField(default=list, blank=True)  # [str]
    imported = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("uppladdad lista")
        verbose_name_plural = _("uppladdade listor")

    def __str__(self) -> str:
        return f"ImportJob({self.pk}: {self.filename} {self.status})"

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.VALIDATED, ImportStatus.DONE):
            return 100
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_running(self) -> bool:
        return self.status in (
            ImportStatus.UPLOADED,
            ImportStatus.VALIDATING,
            ImportStatus.IMPORTING,
        )


class OpeningAudience(models.TextChoices):
    INTERNAL = "internal", _("Intern: bara egna medarbetare")
    NETWORK = "network", _("Även till andra medlemsföretags medarbetare")


class OpeningStatus(models.TextChoices):
    OPEN = "open", _("Öppen")
    CLOSED = "closed", _("Stängd")


class Opening(models.Model):
    """A vacancy HR posts: offered first to the company's own enrolled staff.

    A network opening is also published as a job ad in every client's feed, marked as from a
    member company, while it is open (`services.opening_feed_sync`; `feed_ad_id` is the ad).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), max_length=8000, blank=True)
    occupation_id = models.CharField(_("yrke"), max_length=32, blank=True)
    occupation_label = models.CharField(max_length=200, blank=True)
    skill_ids = models.JSONField(default=list, blank=True)
    unit = models.CharField(_("enhet"), max_length=120, blank=True)
    site = models.ForeignKey(
        Site,
        verbose_name=_("arbetsställe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    municipality_id = models.CharField(_("ort"), max_length=32, blank=True)
    audience = models.CharField(
        _("vem får se tjänsten"),
        max_length=12,
        choices=OpeningAudience.choices,
        default=OpeningAudience.INTERNAL,
    )
    status = models.CharField(max_length=8, choices=OpeningStatus.choices, default="open")
    closes_on = models.DateField(_("sista ansökningsdag"), null=True, blank=True)
    # Where other companies' clients apply (the ad in their feed links to it).
    apply_url = models.URLField(_("länk till ansökan"), max_length=500, blank=True)
    feed_ad_id = models.CharField(max_length=64, blank=True)  # JobAd id once in the feed
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    ranked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "-created_at", "-id"]
        verbose_name = _("ledig tjänst")
        verbose_name_plural = _("lediga tjänster")
        indexes = [models.Index(fields=["organisation", "status"], name="employers_open_org")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == OpeningStatus.OPEN


class MatchDecision(models.TextChoices):
    PENDING = "pending", _("Inte besvarad")
    SHOWN = "shown", _("Vill visas för HR")
    DECLINED = "declined", _("Vill inte visas")


class OpeningMatch(models.Model):
    """An employee ranked for an opening. HR sees the row only when decision is SHOWN."""

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="matches")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(default=0.0)
    reasons = models.JSONField(default=list, blank=True)  # Reason.as_dict() for the employee
    matched_skill_ids = models.JSONField(default=list, blank=True)
    decision = models.CharField(
        max_length=12, choices=MatchDecision.choices, default=MatchDecision.PENDING
    )
    computed_at = models.DateTimeField(auto_now=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opening", "-score", "id"]
        verbose_name = _("matchning mot intern tjänst")
        verbose_name_plural = _("matchningar mot interna tjänster")
        constraints = [
            models.UniqueConstraint(fields=["opening", "client"], name="employers_match_unique")
        ]
        indexes = [models.Index(fields=["client", "decision"], name="employers_match_client")]

    def __str__(self) -> str:
        return f"OpeningMatch({self.opening_id}, {self.client_id}: {self.decision})"


class ContactStatus(models.TextChoices):
    PENDING = "pending", _("Väntar på svar")
    ACCEPTED = "accepted", _("Accepterad")
    DECLINED = "declined", _("Avböjd")
    WITHDRAWN = "withdrawn", _("Återkallad")


class ContactRequest(models.Model):
    """HR of one member company asks a visible client of another to get in touch."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opening = models.ForeignKey(
        Opening, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("meddelande"), max_length=2000)
    status = models.CharField(
        max_length=12, choices=ContactStatus.choices, default=ContactStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("kontaktförfrågan")
        verbose_name_plural = _("kontaktförfrågningar")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client"],
                condition=models.Q(status="pending"),
                name="employers_contact_one_pending",
            )
        ]
        indexes = [models.Index(fields=["client", "status"], name="employers_contact_client")]

    def __str__(self) -> str:
        return f"ContactRequest({self.organisation_id} -> {self.client_id}: {self.status})"


class SeminarAudience(models.TextChoices):
    MANAGERS = "managers", _("Chefer")
    UNION = "union", _("Fackliga företrädare")
    BOTH = "both", _("Chefer och fackliga företrädare")


class Seminar(models.Model):
    """A seminar the council runs for managers and union representatives of member companies."""

    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    audience = models.CharField(
        _("för vem"), max_length=12, choices=SeminarAudience.choices, default="both"
    )
    starts_at = models.DateTimeField(_("börjar"))
    location = models.CharField(_("plats"), max_length=200)
    capacity = models.PositiveIntegerField(_("antal platser"))
    is_published = models.BooleanField(_("publicerad"), default=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("seminarium")
        verbose_name_plural = _("seminarier")

    def __str__(self) -> str:
        return self.title


class SignupRole(models.TextChoices):
    MANAGER = "manager", _("Chef")
    UNION = "union", _("Facklig företrädare")


class SeminarSignup(models.Model):
    """One participant signed up by HR of a member company."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="signups")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-postadress"))
    role = models.CharField(_("roll"), max_length=12, choices=SignupRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seminar", "created_at", "id"]
        verbose_name = _("anmälan till seminarium")
        verbose_name_plural = _("anmälningar till seminarier")
        constraints = [
            models.UniqueConstraint(fields=["seminar", "email"], name="employers_signup_unique")
        ]

    def __str__(self) -> str:
        return f"SeminarSignup({self.seminar_id}: {self.email})"
