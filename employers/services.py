"""Writes of the member-company portal (HackSoft styleguide: `<thing>_<action>`, keyword-only).

Every function that acts for an HR user takes the organisation and checks that the object
belongs to it, so a view cannot write another company's rows even with a forged id. Writes that
concern a person are audited with `vagval.audit.services.audit_record`. E-mails are sent after
the transaction commits (`transaction.on_commit`), bulk invitations by a Celery task.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import IntegrityError, transaction
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vagval.accounts.models import Organisation, User
from vagval.accounts.selectors import user_get_by_email
from vagval.accounts.services import user_create, user_organisation_set
from vagval.audit.services import audit_record
from vagval.consent.models import ConsentPurpose
from vagval.consent.selectors import consent_granted_user_ids, consent_is_granted
from vagval.consent.services import consent_grant, consent_withdraw

from . import staff_lists
from .models import (
    Case,
    CaseKind,
    ContactRequest,
    ContactStatus,
    Enrolment,
    EnrolmentStatus,
    HrInvitation,
    ImportJob,
    ImportStatus,
    MatchDecision,
    Opening,
    OpeningAudience,
    OpeningMatch,
    OpeningStatus,
    Seminar,
    SeminarSignup,
    Site,
    UnionContact,
    new_nonce,
)

logger = logging.getLogger(__name__)

HR_INVITATION_SALT = "employers.hr-invitation"
ENROLMENT_SALT = "employers.enrolment"
SELF_SIGNUP_SALT = "employers.self-signup"
HR_INVITATION_MAX_AGE = 14 * 24 * 3600
ENROLMENT_MAX_AGE = 90 * 24 * 3600
INVITATION_BATCH = 100
IMPORT_BATCH = 500


def _require_active(organisation: Organisation) -> None:
    if organisation.membership != Organisation.Membership.ACTIVE:
        raise PermissionDenied(
            _("Företagets anslutning är inte aktiv. Kontakta Vägval för att ändra något.")
        )


def _require_hr(actor: Any, organisation: Organisation) -> None:
    if (
        getattr(actor, "role", None) != User.Role.HR
        or actor.organisation_id != organisation.pk
        or not actor.is_active
    ):
        raise PermissionDenied("Only HR users of the organisation may do this.")


def _send(*, to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    send_mail(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        message=render_to_string(template, context),
        from_email=None,
        recipient_list=[to],
    )


# --- company account ---------------------------------------------------------------------------


def site_create(
    *, organisation: Organisation, actor: Any, name: str, address: str = "",
    municipality_id: str = "",
) -> Site:  # fmt: skip
    _require_hr(actor, organisation)
    _require_active(organisation)
    site = Site.objects.create(
        organisation=organisation, name=name, address=address, municipality_id=municipality_id
    )
    audit_record(actor=actor, subject=None, action="employers.site.create", obj=site,
                 purpose="Företagskonto: arbetsställe tillagt")  # fmt: skip
    return site


def site_delete(*, organisation: Organisation, actor: Any, site_id: int) -> None:
    _require_hr(actor, organisation)
    deleted, _rows = Site.objects.filter(organisation=organisation, pk=site_id).delete()
    if deleted:
        audit_record(actor=actor, subject=None, action="employers.site.delete",
                     object_type="employers.site", object_id=str(site_id),
                     purpose="Företagskonto: arbetsställe borttaget")  # fmt: skip


def union_contact_create(
    *, organisation: Organisation, actor: Any, name: str, union: str, email: str = "",
    phone: str = "",
) -> UnionContact:  # fmt: skip
    _require_hr(actor, organisation)
    _require_active(organisation)
    contact = UnionContact.objects.create(
        organisation=organisation, name=name, union=union, email=email.lower(), phone=phone
    )
    audit_record(actor=actor, subject=None, action="employers.union_contact.create", obj=contact,
                 purpose="Företagskonto: facklig kontakt tillagd")  # fmt: skip
    return contact


def union_contact_delete(*, organisation: Organisation, actor: Any, contact_id: int) -> None:
    _require_hr(actor, organisation)
    deleted, _rows = UnionContact.objects.filter(organisation=organisation, pk=contact_id).delete()
    if deleted:
        audit_record(actor=actor, subject=None, action="employers.union_contact.delete",
                     object_type="employers.unioncontact", object_id=str(contact_id),
                     purpose="Företagskonto: facklig kontakt borttagen")  # fmt: skip


def hr_invitation_token(invitation: HrInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=HR_INVITATION_SALT)


def hr_invitation_from_token(token: str) -> HrInvitation | None:
    """The open invitation a link points to, or None (expired, tampered, used or revoked)."""
    try:
        data = signing.loads(token, salt=HR_INVITATION_SALT, max_age=HR_INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    invitation = (
        HrInvitation.objects.filter(pk=data.get("i"), nonce=data.get("n"))
        .select_related("organisation")
        .first()
    )
    return invitation if invitation is not None and invitation.is_open else None


def hr_invitation_create(*, organisation: Organisation, invited_by: Any, email: str
                         ) -> HrInvitation:  # fmt: skip
    """Invite a colleague by e-mail to become an HR user of the company."""
    _require_hr(invited_by, organisation)
    _require_active(organisation)
    email = email.strip().lower()
    existing = user_get_by_email(email=email)
    if existing is not None:
        if existing.role == User.Role.HR and existing.organisation_id == organisation.pk:
            raise ValidationError(_("%(email)s är redan HR-användare hos er.") % {"email": email})
        raise ValidationError(
            _("Det finns redan ett konto med %(email)s. Kontakta Vägval för att ändra det.")
            % {"email": email}
        )
    try:
        with transaction.atomic():
            invitation = HrInvitation.objects.create(
                organisation=organisation, email=email, invited_by=invited_by
            )
    except IntegrityError:
        raise ValidationError(
            _("%(email)s har redan en inbjudan som inte är besvarad.") % {"email": email}
        ) from None
    audit_record(actor=invited_by, subject=None, action="employers.hr.invite", obj=invitation,
                 purpose="Företagskonto: HR-användare inbjuden")  # fmt: skip
    url = settings.SITE_URL + reverse(
        "employers:hr_invitation_accept", kwargs={"token": hr_invitation_token(invitation)}
    )
    context = {"organisation": organisation, "invited_by": invited_by, "url": url}
    transaction.on_commit(
        lambda: _send(
            to=email,
            subject=_("Du är inbjuden till %(name)s i Vägval") % {"name": organisation.name},
            template="employers/email/hr_invitation.txt",
            context=context,
        )
    )
    return invitation


def hr_invitation_revoke(*, organisation: Organisation, actor: Any, invitation_id: int) -> None:
    _require_hr(actor, organisation)
    updated = HrInvitation.objects.filter(
        organisation=organisation, pk=invitation_id, accepted_at=None, revoked_at=None
    ).update(revoked_at=timezone.now())
    if updated:
        audit_record(actor=actor, subject=None, action="employers.hr.invite_revoke",
                     object_type="employers.hrinvitation", object_id=str(invitation_id),
                     purpose="Företagskonto: inbjudan återkallad")  # fmt: skip


@transaction.atomic
def hr_invitation_accept(
    *, invitation: HrInvitation, first_name: str, last_name: str, password: str
) -> User:
    """Create the HR account the invitation is for. The link proved control of the mailbox."""
    invitation = HrInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("Inbjudan är redan använd eller återkallad."))
    _require_active(invitation.organisation)
    if user_get_by_email(email=invitation.email) is not None:
        raise ValidationError(_("Det finns redan ett konto med den här e-postadressen."))
    candidate = User(email=invitation.email, first_name=first_name, last_name=last_name)
    validate_password(password, user=candidate)
    user = user_create(
        email=invitation.email,
        password=password,
        role=User.Role.HR,
        organisation=invitation.organisation,
        first_name=first_name,
        last_name=last_name,
        email_verified=True,
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    audit_record(actor=user, subject=user, action="employers.hr.invite_accept", obj=invitation,
                 purpose="HR-konto skapat från inbjudan")  # fmt: skip
    return user


# --- cases and enrolments -----------------------------------------------------------------------

CASE_FIELDS = (
    "kind",
    "title",
    "reason",
    "number_affected",
    "notice_date",
    "last_working_day",
    "site",
    "contact_name",
    "contact_email",
    "contact_phone",
    "self_signup_domain",
)


def _case_check(data: dict[str, Any]) -> None:
    if data.get("kind") == CaseKind.NOTICE:
        missing = [
            name
            for name, label in (("reason", _("orsak")), ("notice_date", _("datum för varsel")))
            if not data.get(name)
        ]
        if missing:
            raise ValidationError(_("Ett varsel behöver orsak och datum för varsel."))
    notice, last = data.get("notice_date"), data.get("last_working_day")
    if notice and last and last < notice:
        raise ValidationError(_("Sista anställningsdagen kan inte vara före varselns datum."))
    domain = (data.get("self_signup_domain") or "").strip().lower().lstrip("@")
    data["self_signup_domain"] = domain


def case_create(*, organisation: Organisation, actor: Any, **data: Any) -> Case:
    _require_hr(actor, organisation)
    _require_active(organisation)
    unknown = set(data) - set(CASE_FIELDS)
    if unknown:
        raise TypeError(f"unknown case fields {sorted(unknown)}")
    _case_check(data)
    site = data.get("site")
    if site is not None and site.organisation_id != organisation.pk:
        raise PermissionDenied("site of another organisation")
    case = Case.objects.create(organisation=organisation, created_by=actor, **data)
    audit_record(actor=actor, subject=None, action="employers.case.create", obj=case,
                 purpose="Ärende skapat")  # fmt: skip
    return case


def case_update(*, case: Case, actor: Any, **data: Any) -> Case:
    _require_hr(actor, case.organisation)
    _require_active(case.organisation)
    unknown = set(data) - set(CASE_FIELDS)
    if unknown:
        raise TypeError(f"unknown case fields {sorted(unknown)}")
    merged = {name: getattr(case, name) for name in CASE_FIELDS} | data
    _case_check(merged)
    site = merged.get("site")
    if site is not None and site.organisation_id != case.organisation_id:
        raise PermissionDenied("site of another organisation")
    for name in data:
        setattr(case, name, merged[name])
    case.save()
    audit_record(actor=actor, subject=None, action="employers.case.update", obj=case,
                 purpose="Ärende ändrat")  # fmt: skip
    return case


def enrolment_token(enrolment: Enrolment) -> str:
    return signing.dumps({"e": enrolment.pk, "n": enrolment.nonce}, salt=ENROLMENT_SALT)


def enrolment_from_token(token: str) -> Enrolment | None:
    """The enrolment an invitation link points to (any status), or None if the link is bad."""
    try:
        data = signing.loads(token, salt=ENROLMENT_SALT, max_age=ENROLMENT_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        Enrolment.objects.filter(pk=data.get("e"), nonce=data.get("n"))
        .select_related("case", "case__organisation")
        .first()
    )


def _invitation_url(enrolment: Enrolment) -> str:
    return settings.SITE_URL + reverse(
        "employers:enrolment_accept", kwargs={"token": enrolment_token(enrolment)}
    )


def enrolment_invitations_send(*, enrolment_ids: Sequence[int], resend: bool = False) -> int:
    """E-mail the invitation to each enrolment not yet invited (all of them with `resend`).

    Safe to run twice: an enrolment is stamped `invited_at` right after its e-mail went out,
    and stamped ones are skipped. Returns how many e-mails were sent. The template is loaded
    once per call and the messages go out over one connection per batch.
    """
    sent = 0
    ids = list(enrolment_ids)
    connection = get_connection()
    template = get_template("employers/email/enrolment_invitation.txt")
    with translation.override("sv"):
        for start in range(0, len(ids), INVITATION_BATCH):
            chunk = ids[start : start + INVITATION_BATCH]
            qs = Enrolment.objects.filter(
                pk__in=chunk, status=EnrolmentStatus.INVITED
            ).select_related("case", "case__organisation")
            if not resend:
                qs = qs.filter(invited_at=None)
            enrolments = list(qs)
            if not enrolments:
                continue
            messages = []
            for enrolment in enrolments:
                case = enrolment.case
                subject = (
                    _("%(company)s erbjuder dig stöd från Vägval")
                    if case.kind == CaseKind.NOTICE
                    else _("%(company)s bjuder in dig att kartlägga dina kompetenser")
                ) % {"company": case.organisation.name}
                context = {
                    "enrolment": enrolment,
                    "case": case,
                    "organisation": case.organisation,
                    "url": _invitation_url(enrolment),
                }
                messages.append(
                    EmailMessage(
                        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
                        body=template.render(context),
                        to=[enrolment.email],
                        connection=connection,
                    )
                )
            connection.send_messages(messages)
            Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(
                invited_at=timezone.now()
            )
            sent += len(enrolments)
    return sent


def _queue_invitations(enrolment_ids: list[int]) -> None:
    from .tasks import enrolment_invitations_send_task

    for start in range(0, len(enrolment_ids), INVITATION_BATCH * 5):
        chunk = enrolment_ids[start : start + INVITATION_BATCH * 5]
        transaction.on_commit(partial(enrolment_invitations_send_task.delay, chunk))


def enrolment_add(
    *,
    case: Case,
    actor: Any,
    email: str,
    first_name: str,
    last_name: str,
    unit: str = "",
    last_working_day: dt.date | None = None,
    self_enrolled: bool = False,
) -> Enrolment:
    """Enrol one person and e-mail them an invitation (after commit)."""
    if not self_enrolled:
        _require_hr(actor, case.organisation)
    _require_active(case.organisation)
    email = email.strip().lower()
    if case.notice_date and last_working_day and last_working_day < case.notice_date:
        raise ValidationError(_("Sista anställningsdagen är före varselns datum."))
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                case=case,
                email=email,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                unit=unit.strip(),
                last_working_day=last_working_day,
                self_enrolled=self_enrolled,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(email)s är redan anmäld i ärendet.") % {"email": email}, code="duplicate"
        ) from None
    if actor is not None:
        audit_record(actor=actor, subject=None, action="employers.enrolment.add", obj=enrolment,
                     purpose="Medarbetare anmäld till ärende")  # fmt: skip
    _queue_invitations([enrolment.pk])
    return enrolment


def enrolment_invite_resend(*, case: Case, actor: Any, enrolment_id: int) -> Enrolment:
    """A new invitation link (the old one stops working) for someone who has not answered."""
    _require_hr(actor, case.organisation)
    enrolment = Enrolment.objects.get(case=case, pk=enrolment_id)
    if enrolment.status != EnrolmentStatus.INVITED:
        raise ValidationError(_("Personen har redan svarat på inbjudan."))
    enrolment.nonce = new_nonce()
    enrolment.invited_at = None
    enrolment.save(update_fields=["nonce", "invited_at"])
    audit_record(actor=actor, subject=None, action="employers.enrolment.resend", obj=enrolment,
                 purpose="Inbjudan skickad igen")  # fmt: skip
    _queue_invitations([enrolment.pk])
    return enrolment


def self_signup_token(case: Case) -> str:
    return signing.dumps({"c": case.pk, "n": case.self_signup_nonce}, salt=SELF_SIGNUP_SALT)


def self_signup_case(token: str) -> Case | None:
    """The proactive case a self-signup link points to, if it still accepts sign-ups."""
    try:
        data = signing.loads(token, salt=SELF_SIGNUP_SALT)
    except signing.BadSignature:
        return None
    case = (
        Case.objects.filter(
            pk=data.get("c"), self_signup_nonce=data.get("n"), kind=CaseKind.PROACTIVE
        )
        .exclude(self_signup_domain="")
        .select_related("organisation")
        .first()
    )
    if case is None or case.closed_at is not None:
        return None
    return case


def enrolment_self_signup(
    *, case: Case, email: str, first_name: str, last_name: str, unit: str = ""
) -> Enrolment | None:
    """An employee asks to join a proactive round with their work address.

    The invitation goes to that address, so only its owner can go on. Someone already enrolled
    gets nothing new (and the page says the same either way, so addresses cannot be probed).
    """
    email = email.strip().lower()
    domain = email.rsplit("@", 1)[-1]
    if not case.self_signup_domain or domain != case.self_signup_domain:
        raise ValidationError(
            _("Använd din e-postadress på jobbet (som slutar på @%(domain)s).")
            % {"domain": case.self_signup_domain}
        )
    if Enrolment.objects.filter(case=case, email=email).exists():
        return None
    return enrolment_add(
        case=case,
        actor=None,
        email=email,
        first_name=first_name,
        last_name=last_name,
        unit=unit,
        self_enrolled=True,
    )


def _link_client(user: Any, organisation: Organisation) -> None:
    # The inviting company is the client's current employer, proven by the invitation link.
    user_organisation_set(
        user=user,
        organisation=organisation,
        actor=user,
        purpose="Kopplad till arbetsgivaren som bjöd in (tackade ja till inbjudan)",
    )


@transaction.atomic
def enrolment_accept(
    *, enrolment: Enrolment, user: Any, statistics_consent: bool, mobility_opt_in: bool
) -> Enrolment:
    """The invited person accepts: their client account is tied to the company.

    HR then sees that they accepted, nothing more. Consent to anonymised statistics (which lets
    their progress count in HR's aggregates) and to being ranked for internal openings
    (`ConsentPurpose.INTERNAL_MOBILITY`) are separate, optional choices, recorded in the
    consent ledger, where the person can withdraw them.
    """
    if getattr(user, "role", None) != User.Role.CLIENT or not user.is_active:
        raise PermissionDenied("Only a client account can accept an enrolment.")
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("case__organisation")
        .get(pk=enrolment.pk)
    )
    if enrolment.user_id not in (None, user.pk):
        raise ValidationError(_("Inbjudan är redan använd av ett annat konto."))
    organisation = enrolment.case.organisation
    _link_client(user, organisation)
    now = timezone.now()
    enrolment.user = user
    enrolment.status = EnrolmentStatus.ACCEPTED
    enrolment.accepted_at = enrolment.accepted_at or now
    enrolment.declined_at = None
    enrolment.save()
    if statistics_consent:
        consent_grant(user=user, purpose=ConsentPurpose.STATISTICS)
    if mobility_opt_in:
        consent_grant(user=user, purpose=ConsentPurpose.INTERNAL_MOBILITY)
    _journey_prefill(user=user, enrolment=enrolment)
    audit_record(actor=user, subject=user, action="employers.enrolment.accept", obj=enrolment,
                 purpose="Tackade ja till arbetsgivarens inbjudan")  # fmt: skip
    if mobility_opt_in:
        _queue_client_ranking(user.pk)
    return enrolment


def _journey_prefill(*, user: Any, enrolment: Enrolment) -> None:
    """Start the journey with what the employer already told us (never overwriting answers)."""
    from journey.services.client import (
        client_profile_employment_sync,
        client_profile_get_or_create,
    )

    profile = client_profile_get_or_create(user=user)
    if profile.status != "unknown":
        return
    case = enrolment.case
    if case.kind == CaseKind.NOTICE:
        client_profile_employment_sync(
            client=profile,
            status="notice",
            notice_date=case.notice_date,
            last_working_day=enrolment.last_working_day or case.last_working_day,
        )
    else:
        client_profile_employment_sync(
            client=profile, status="at_risk", notice_date=None, last_working_day=None
        )


@transaction.atomic
def enrolment_decline(*, enrolment: Enrolment) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.ACCEPTED:
        raise ValidationError(_("Du har redan tackat ja."))
    enrolment.status = EnrolmentStatus.DECLINED
    enrolment.declined_at = timezone.now()
    enrolment.save(update_fields=["status", "declined_at"])
    return enrolment


def client_account_create_for_enrolment(
    *, enrolment: Enrolment, first_name: str, last_name: str, password: str
) -> User:
    """A new client account for the invited address (verified: the link went there)."""
    if user_get_by_email(email=enrolment.email) is not None:
        raise ValidationError(
            _("Det finns redan ett konto med %(email)s. Logga in i stället.")
            % {"email": enrolment.email}
        )
    validate_password(password, user=User(email=enrolment.email, first_name=first_name))
    return user_create(
        email=enrolment.email,
        password=password,
        role=User.Role.CLIENT,
        organisation=enrolment.case.organisation,
        first_name=first_name,
        last_name=last_name,
        email_verified=True,
    )


def client_mobility_set(*, user: Any, opt_in: bool) -> bool:
    """The client's choice to be ranked for their employer's internal openings: their
    internal-mobility consent is granted or withdrawn in the ledger (the same as on their
    consent page). Opting in ranks them at once; opting out removes undecided matches (HR
    stops seeing them for openings they said yes to, through the access rule). Returns whether
    the consent changed."""
    if opt_in:
        had = consent_is_granted(user=user, purpose=ConsentPurpose.INTERNAL_MOBILITY)
        consent_grant(user=user, purpose=ConsentPurpose.INTERNAL_MOBILITY)
        _queue_client_ranking(user.pk)
        return not had
    withdrawn = consent_withdraw(user=user, purpose=ConsentPurpose.INTERNAL_MOBILITY)
    OpeningMatch.objects.filter(client=user, decision=MatchDecision.PENDING).delete()
    return withdrawn is not None


# --- staff-list imports -------------------------------------------------------------------------


def import_job_create(*, case: Case, actor: Any, filename: str, data: bytes) -> ImportJob:
    """Store an upload (after checking size and type) and queue its validation."""
    _require_hr(actor, case.organisation)
    _require_active(case.organisation)
    info = staff_lists.file_check(name=filename, data=data)
    job = ImportJob.objects.create(
        case=case,
        created_by=actor,
        filename=filename[:200],
        kind=info.kind,
        size=info.size,
        content=data,
    )
    audit_record(actor=actor, subject=None, action="employers.import.upload", obj=job,
                 purpose="Lista över berörda laddades upp")  # fmt: skip
    from .tasks import import_job_validate_task

    transaction.on_commit(lambda: import_job_validate_task.delay(job.pk))
    return job


def _progress_writer(job_id: int) -> Any:
    def write(n: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=n, updated_at=timezone.now())

    return write


def import_job_validate(*, job_id: int) -> ImportJob | None:
    """Parse and check an uploaded list (the task body). Idempotent: only an uploaded job runs.

    The raw file is dropped afterwards; the clean rows and the errors stay for the preview.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.UPLOADED).update(
        status=ImportStatus.VALIDATING, updated_at=timezone.now()
    )
    if not claimed:
        return ImportJob.objects.filter(pk=job_id).first()
    job = ImportJob.objects.select_related("case").get(pk=job_id)
    try:
        header, rows = staff_lists.table_read(kind=job.kind, data=bytes(job.content))
    except staff_lists.FileRejected as exc:
        _finish(job, ImportStatus.FAILED, message=str(exc))
        return job
    ImportJob.objects.filter(pk=job_id).update(total_rows=len(rows))
    existing = Enrolment.objects.filter(case=job.case).values_list("email", flat=True)
    result = staff_lists.rows_validate(
        header=header,
        rows=rows,
        existing_emails=existing,
        notice_date=job.case.notice_date,
        today=timezone.localdate(),
        progress=_progress_writer(job_id),
    )
    job.total_rows = result.total
    job.processed_rows = result.total
    job.rows = [r.as_dict() for r in result.rows]
    job.errors = [e.as_dict() for e in result.errors]
    job.warnings = result.warnings
    _finish(job, ImportStatus.VALIDATED, message="", final=False)
    return job


def _finish(job: ImportJob, status: str, *, message: str, final: bool = True) -> None:
    job.status = status
    job.message = message[:500]
    job.content = b""
    if final:
        job.finished_at = timezone.now()
    job.save()


def import_job_confirm(*, job: ImportJob, actor: Any) -> ImportJob:
    """HR confirms a checked list without errors: queue the all-or-nothing import."""
    _require_hr(actor, job.case.organisation)
    _require_active(job.case.organisation)
    if job.status != ImportStatus.VALIDATED:
        raise ValidationError(_("Listan är inte färdigkontrollerad."))
    if job.errors:
        raise ValidationError(
            _("Listan har fel. Rätta filen och ladda upp den igen; inget har lästs in.")
        )
    if not job.rows:
        raise ValidationError(_("Listan innehåller inga personer att läsa in."))
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATED).update(
        status=ImportStatus.IMPORTING, processed_rows=0, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("Listan läses redan in."))
    audit_record(actor=actor, subject=None, action="employers.import.confirm", obj=job,
                 purpose="Lista över berörda lästes in")  # fmt: skip
    from .tasks import import_job_commit_task

    transaction.on_commit(lambda: import_job_commit_task.delay(job.pk))
    job.refresh_from_db()
    return job


def import_job_discard(*, job: ImportJob, actor: Any) -> bool:
    """Drop a checked list that HR does not want to import (nothing was imported)."""
    _require_hr(actor, job.case.organisation)
    deleted, _rows = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportStatus.VALIDATED, ImportStatus.FAILED]
    ).delete()
    return bool(deleted)


def import_job_commit(*, job_id: int) -> ImportJob | None:
    """Create every enrolment of a confirmed list in one transaction, or none of them.

    Rows are checked again against the enrolments that exist now (someone may have been added
    by hand since the preview). Invitations are queued after the commit.
    """
    job = ImportJob.objects.select_related("case").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.IMPORTING:
        return job
    case = job.case
    rows = list(job.rows)
    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job_id)
            if locked.status != ImportStatus.IMPORTING:
                return locked
            emails = [r["email"] for r in rows]
            taken = set(
                Enrolment.objects.filter(case=case, email__in=emails).values_list(
                    "email", flat=True
                )
            )
            if taken:
                raise ValidationError(
                    _(
                        "%(n)s personer på listan har anmälts på annat sätt sedan kontrollen, "
                        "till exempel %(email)s. Inget har lästs in; ladda upp listan igen."
                    )
                    % {"n": len(taken), "email": sorted(taken)[0]}
                )
            created: list[Enrolment] = []
            for start in range(0, len(rows), IMPORT_BATCH):
                batch = [
                    Enrolment(
                        case=case,
                        email=r["email"],
                        first_name=r["first_name"],
                        last_name=r["last_name"],
                        unit=r.get("unit", ""),
                        last_working_day=(
                            dt.date.fromisoformat(r["last_working_day"])
                            if r.get("last_working_day")
                            else None
                        ),
                    )
                    for r in rows[start : start + IMPORT_BATCH]
                ]
                created.extend(Enrolment.objects.bulk_create(batch))
            ids = list(
                Enrolment.objects.filter(case=case, email__in=emails).values_list("pk", flat=True)
            )
            locked.imported = len(created)
            locked.processed_rows = len(created)
            locked.rows = []
            locked.status = ImportStatus.DONE
            locked.finished_at = timezone.now()
            locked.save()
            _queue_invitations(ids)
            return locked
    except (ValidationError, IntegrityError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else _(
            "Listan kunde inte läsas in eftersom någon på den redan är anmäld. Inget har lästs "
            "in; ladda upp listan igen."
        )  # fmt: skip
        job.refresh_from_db()
        job.rows = []
        _finish(job, ImportStatus.FAILED, message=message)
        return job


# --- openings and internal mobility --------------------------------------------------------------


def _network_check(*, audience: str, description: str) -> None:
    if audience == OpeningAudience.NETWORK and not description.strip():
        raise ValidationError(
            _("En tjänst som visas för andra medlemsföretags medarbetare behöver en "
              "beskrivning: den blir annonsen i deras flöde.")
        )  # fmt: skip


def opening_create(
    *,
    organisation: Organisation,
    actor: Any,
    title: str,
    description: str = "",
    occupation_id: str = "",
    occupation_label: str = "",
    skill_ids: Iterable[str] = (),
    unit: str = "",
    site: Site | None = None,
    municipality_id: str = "",
    audience: str = OpeningAudience.INTERNAL,
    closes_on: dt.date | None = None,
    apply_url: str = "",
) -> Opening:
    """Post an opening; it is ranked for the company's consenting staff after commit, and a
    network opening is published in every client's feed as from a member company."""
    _require_hr(actor, organisation)
    _require_active(organisation)
    if site is not None and site.organisation_id != organisation.pk:
        raise PermissionDenied("site of another organisation")
    _network_check(audience=audience, description=description)
    opening = Opening.objects.create(
        organisation=organisation,
        created_by=actor,
        title=title,
        description=description,
        occupation_id=occupation_id,
        occupation_label=occupation_label,
        skill_ids=list(dict.fromkeys(skill_ids)),
        unit=unit,
        site=site,
        municipality_id=municipality_id or (site.municipality_id if site else ""),
        audience=audience,
        closes_on=closes_on,
        apply_url=apply_url,
    )
    audit_record(actor=actor, subject=None, action="employers.opening.create", obj=opening,
                 purpose="Ledig tjänst publicerad")  # fmt: skip
    from .tasks import opening_rank_task

    transaction.on_commit(lambda: opening_rank_task.delay(opening.pk))
    if audience == OpeningAudience.NETWORK:
        _queue_feed_sync(opening.pk)
    return opening


def opening_close(*, organisation: Organisation, actor: Any, opening_id: int) -> Opening:
    """Close an opening: undecided matches go, and its ad leaves every client's feed."""
    _require_hr(actor, organisation)
    opening = Opening.objects.get(organisation=organisation, pk=opening_id)
    if opening.status != OpeningStatus.CLOSED:
        opening.status = OpeningStatus.CLOSED
        opening.save(update_fields=["status", "updated_at"])
        OpeningMatch.objects.filter(opening=opening, decision=MatchDecision.PENDING).delete()
        audit_record(actor=actor, subject=None, action="employers.opening.close", obj=opening,
                     purpose="Ledig tjänst stängd")  # fmt: skip
        if opening.audience == OpeningAudience.NETWORK or opening.feed_ad_id:
            _queue_feed_sync(opening.pk)
    return opening


def opening_audience_set(
    *, organisation: Organisation, actor: Any, opening_id: int, audience: str
) -> Opening:
    """HR chooses whether an open opening is also offered to other member companies' clients
    (published in their feeds) or to the company's own staff only (taken out of the feeds)."""
    _require_hr(actor, organisation)
    _require_active(organisation)
    if audience not in OpeningAudience.values:
        raise ValidationError(_("Okänt val av vem som får se tjänsten."))
    opening = Opening.objects.get(organisation=organisation, pk=opening_id)
    if not opening.is_open:
        raise ValidationError(_("Tjänsten är stängd."))
    if opening.audience != audience:
        _network_check(audience=audience, description=opening.description)
        opening.audience = audience
        opening.save(update_fields=["audience", "updated_at"])
        audit_record(actor=actor, subject=None, action="employers.opening.audience", obj=opening,
                     purpose="Vem som får se tjänsten ändrad")  # fmt: skip
        _queue_feed_sync(opening.pk)
    return opening


def opening_feed_ref(opening_id: int) -> str:
    """The opening's stable id as a job ad (`JobAd.source_id` of source member-company)."""
    return f"employers-opening-{opening_id}"


def _queue_feed_sync(opening_id: int) -> None:
    from .tasks import opening_feed_sync_task

    transaction.on_commit(partial(opening_feed_sync_task.delay, opening_id))


def opening_feed_sync(*, opening_id: int) -> bool:
    """Make the clients' feeds agree with the opening (the task body; idempotent).

    An open network opening is published, or updated, as a member-company job ad through
    `vagval.jobs.member_ads` (the ingestion pipeline's cleaning, enrichment, dedup and
    clusters); a closed or internal-only one is withdrawn. Returns whether the opening is in
    the feeds now. An opening the pipeline refuses stays out, with the reason logged.
    """
    from vagval.jobs.member_ads import (
        MemberAdRejectedError,
        member_ad_upsert,
        member_ad_withdraw,
    )

    opening = Opening.objects.select_related("organisation", "site").filter(pk=opening_id).first()
    if opening is None:
        return False
    ref = opening_feed_ref(opening.pk)
    if not (
        opening.is_open
        and opening.audience == OpeningAudience.NETWORK
        and opening.organisation.membership == Organisation.Membership.ACTIVE
    ):
        member_ad_withdraw(opening_ref=ref)  # nothing happens if it was never published
        if opening.feed_ad_id:
            Opening.objects.filter(pk=opening.pk).update(feed_ad_id="")
        return False
    try:
        ad = member_ad_upsert(
            opening_ref=ref,
            headline=opening.title,
            description_text=opening.description,
            employer_name=opening.organisation.name,
            employer_org_number=opening.organisation.org_number,
            municipality_id=opening.municipality_id,
            occupation_id=opening.occupation_id,
            skill_ids=list(opening.skill_ids),
            application_deadline=opening.closes_on,
            published_at=opening.created_at,
            apply_url=opening.apply_url,
        )
    except MemberAdRejectedError as exc:
        logger.warning("opening %s not published to the feed: %s", opening.pk, exc.message)
        return False
    if opening.feed_ad_id != str(ad.pk):
        Opening.objects.filter(pk=opening.pk).update(feed_ad_id=str(ad.pk))
    return True


def _mobility_candidates(organisation_id: int, client_ids: Iterable[int] | None = None
                         ) -> list[int]:  # fmt: skip
    """Clients of the company who accepted an enrolment and have an internal-mobility consent
    in force (the ledger decides, so a consent withdrawn on the consent page counts)."""
    qs = Enrolment.objects.filter(
        case__organisation_id=organisation_id,
        status=EnrolmentStatus.ACCEPTED,
        user__isnull=False,
        user__is_active=True,
        user__organisation_id=organisation_id,
    )
    if client_ids is not None:
        qs = qs.filter(user_id__in=list(client_ids))
    enrolled = set(qs.values_list("user_id", flat=True))
    consenting = consent_granted_user_ids(
        purpose=ConsentPurpose.INTERNAL_MOBILITY, user_ids=enrolled
    )
    return sorted(enrolled & consenting)


def _opening_ad_record(opening: Opening) -> Any:
    from vagval.matching.feed import AdRecord

    occupations = (opening.occupation_id,) if opening.occupation_id else ()
    return AdRecord(
        ad_id=str(opening.pk),
        occupation_ids=occupations,
        skill_ids=tuple(opening.skill_ids),
        municipality_id=opening.municipality_id,
        published_at=opening.created_at,
        headline=opening.title,
        text=opening.description,
    )


# Reasons that say something about fit; an opening matched only on place or recency is not
# worth showing to an employee as "chosen for you".
FIT_REASONS = {
    "skills",
    "target_occupation",
    "target_group",
    "related_occupation",
    "held_occupation",
    "held_group",
    "text",
}


def opening_rank(*, opening_id: int, client_ids: Iterable[int] | None = None) -> int:
    """Rank the company's consenting staff for one opening with the feed's matching engine.

    Upserts an `OpeningMatch` per employee with a fitting score and keeps decisions already
    made; undecided matches that no longer fit are removed. Returns the number of matches.
    """
    from journey.selectors.employers_api import match_profiles
    from vagval.matching.feed import AdIndex, feed_rank_many

    opening = Opening.objects.select_related("organisation").filter(pk=opening_id).first()
    if opening is None or not opening.is_open:
        return 0
    candidates = _mobility_candidates(opening.organisation_id, client_ids)
    profiles = match_profiles(client_ids=candidates)
    index = AdIndex.build([_opening_ad_record(opening)], version=f"opening-{opening.pk}")
    ids = list(profiles)
    ranked = feed_rank_many([profiles[i] for i in ids], k=1, index=index) if ids else []
    wanted = set(opening.skill_ids)
    fits: dict[int, Any] = {}
    for client_id, result in zip(ids, ranked, strict=True):
        if result and any(r.code in FIT_REASONS for r in result[0].reasons):
            fits[client_id] = result[0]
    with transaction.atomic():
        existing = {
            m.client_id: m
            for m in OpeningMatch.objects.select_for_update().filter(
                opening=opening, **({"client_id__in": candidates} if client_ids else {})
            )
        }
        for client_id, ad in fits.items():
            reasons = [r.as_dict() for r in ad.reasons if r.code in FIT_REASONS][:4]
            matched = sorted(wanted & set(profiles[client_id].skills))
            match = existing.get(client_id)
            if match is None:
                OpeningMatch.objects.create(
                    opening=opening,
                    client_id=client_id,
                    score=ad.score,
                    reasons=reasons,
                    matched_skill_ids=matched,
                )
            else:
                match.score, match.reasons, match.matched_skill_ids = ad.score, reasons, matched
                match.save(update_fields=["score", "reasons", "matched_skill_ids", "computed_at"])
        stale = [
            m.pk
            for cid, m in existing.items()
            if cid not in fits and m.decision == MatchDecision.PENDING
        ]
        OpeningMatch.objects.filter(pk__in=stale).delete()
        Opening.objects.filter(pk=opening.pk).update(ranked_at=timezone.now())
    return len(fits)


def openings_rank_open(*, batch_size: int = 200) -> int:
    """Rank every open opening again (nightly): employees' competences and consents change,
    and a consent given on the consent page ranks its giver here. Returns the matches."""
    total = 0
    last_id = 0
    while True:
        ids = list(
            Opening.objects.filter(status=OpeningStatus.OPEN, pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return total
        for opening_id in ids:
            total += opening_rank(opening_id=opening_id)
        last_id = ids[-1]


def _queue_client_ranking(client_id: int) -> None:
    from .tasks import client_openings_rank_task

    transaction.on_commit(lambda: client_openings_rank_task.delay(client_id))


def client_openings_rank(*, client_id: int) -> int:
    """Rank one client (who just opted in) for every open opening of their employer."""
    user = User.objects.filter(pk=client_id, is_active=True).first()
    if user is None or user.organisation_id is None:
        return 0
    total = 0
    for opening_id in Opening.objects.filter(
        organisation_id=user.organisation_id, status=OpeningStatus.OPEN
    ).values_list("pk", flat=True):
        total += opening_rank(opening_id=opening_id, client_ids=[client_id])
    return total


def opening_match_decide(*, match_id: int, client: Any, show: bool) -> OpeningMatch:
    """The employee's answer: be shown to HR for this opening (or not). Changeable later."""
    match = OpeningMatch.objects.select_related("opening").get(pk=match_id, client=client)
    if not match.opening.is_open:
        raise ValidationError(_("Tjänsten är inte längre öppen."))
    if show and not consent_is_granted(user=client, purpose=ConsentPurpose.INTERNAL_MOBILITY):
        raise ValidationError(
            _("Du har tagit tillbaka ditt samtycke till intern rörlighet. Ge det igen för att "
              "kunna visas för HR.")
        )  # fmt: skip
    match.decision = MatchDecision.SHOWN if show else MatchDecision.DECLINED
    match.decided_at = timezone.now()
    match.seen_at = match.seen_at or match.decided_at
    match.save(update_fields=["decision", "decided_at", "seen_at"])
    audit_record(actor=client, subject=client, action="employers.match.decide", obj=match,
                 purpose="Visas för HR" if show else "Visas inte för HR")  # fmt: skip
    return match


# --- onward: contact requests --------------------------------------------------------------------


def contact_request_create(
    *,
    organisation: Organisation,
    actor: Any,
    client_id: int,
    message: str,
    opening: Opening | None = None,
) -> ContactRequest:
    """Ask an anonymous visible client to get in touch. Their identity stays hidden until they
    accept. Only clients who chose `employer_visibility`, of other companies, can be asked."""
    _require_hr(actor, organisation)
    _require_active(organisation)
    client = User.objects.filter(pk=client_id, role=User.Role.CLIENT, is_active=True).first()
    if (
        client is None
        or client.organisation_id == organisation.pk
        or not consent_is_granted(user=client, purpose=ConsentPurpose.EMPLOYER_VISIBILITY)
    ):
        raise PermissionDenied("client not visible to this employer")
    if opening is not None and opening.organisation_id != organisation.pk:
        raise PermissionDenied("opening of another organisation")
    message = message.strip()
    if not message:
        raise ValidationError(_("Skriv ett kort meddelande om varför ni vill ha kontakt."))
    try:
        with transaction.atomic():
            request = ContactRequest.objects.create(
                organisation=organisation,
                requested_by=actor,
                client=client,
                opening=opening,
                message=message[:2000],
            )
    except IntegrityError:
        raise ValidationError(
            _("Ni har redan en obesvarad förfrågan till den här personen.")
        ) from None
    audit_record(actor=actor, subject=client, action="employers.contact.request", obj=request,
                 purpose="Kontaktförfrågan från arbetsgivare")  # fmt: skip
    url = settings.SITE_URL + reverse("employers:client_home")
    context = {"organisation": organisation, "url": url, "message": request.message}
    transaction.on_commit(
        lambda: _send(
            to=client.email,
            subject=_("En arbetsgivare vill komma i kontakt med dig"),
            template="employers/email/contact_request.txt",
            context=context,
        )
    )
    return request


def contact_request_decide(*, request_id: int, client: Any, accept: bool) -> ContactRequest:
    request = ContactRequest.objects.get(pk=request_id, client=client)
    if request.status != ContactStatus.PENDING:
        raise ValidationError(_("Förfrågan är redan besvarad."))
    request.status = ContactStatus.ACCEPTED if accept else ContactStatus.DECLINED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    audit_record(actor=client, subject=client, action="employers.contact.decide", obj=request,
                 purpose="Kontaktuppgifter delade" if accept else "Kontakt avböjd")  # fmt: skip
    return request


def contact_request_withdraw(*, organisation: Organisation, actor: Any, request_id: int) -> None:
    _require_hr(actor, organisation)
    ContactRequest.objects.filter(
        organisation=organisation, pk=request_id, status=ContactStatus.PENDING
    ).update(status=ContactStatus.WITHDRAWN, decided_at=timezone.now())


# --- seminars ---------------------------------------------------------------------------------


@transaction.atomic
def seminar_signup(
    *, seminar_id: int, organisation: Organisation, actor: Any, name: str, email: str, role: str
) -> SeminarSignup:
    """Sign up a manager or union representative; refused when the seminar is full."""
    _require_hr(actor, organisation)
    _require_active(organisation)
    seminar = Seminar.objects.select_for_update().get(
        pk=seminar_id, is_published=True, starts_at__gt=timezone.now()
    )
    if seminar.signups.count() >= seminar.capacity:
        raise ValidationError(_("Seminariet är fullt."))
    try:
        with transaction.atomic():
            signup = SeminarSignup.objects.create(
                seminar=seminar,
                organisation=organisation,
                signed_up_by=actor,
                name=name.strip(),
                email=email.strip().lower(),
                role=role,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(email)s är redan anmäld till seminariet.") % {"email": email}
        ) from None
    audit_record(actor=actor, subject=None, action="employers.seminar.signup", obj=signup,
                 purpose="Anmälan till seminarium")  # fmt: skip
    return signup


def seminar_signup_cancel(*, organisation: Organisation, actor: Any, signup_id: int) -> None:
    _require_hr(actor, organisation)
    SeminarSignup.objects.filter(
        organisation=organisation, pk=signup_id, seminar__starts_at__gt=timezone.now()
    ).delete()
