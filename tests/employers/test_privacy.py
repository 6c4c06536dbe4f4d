"""The portal's part of the portable profile and of account erasure."""

from __future__ import annotations

import datetime as dt

from employers import services
from employers.models import Case, Enrolment, ImportJob, Opening, OpeningMatch, Seminar
from tests.privacy_markers import assert_no_marker_in_database
from vagval.consent.privacy import user_account_delete, user_data_export

from .conftest import enrol_accepted

MARKER = "zqxmarkerq"


def test_export_and_erasure_leave_nothing_behind(notice_case: Case, hr_a) -> None:
    enrolment, user = enrol_accepted(notice_case, 1, prefix=MARKER, unit=MARKER)
    user.first_name = MARKER
    user.save()
    opening = Opening.objects.create(organisation=notice_case.organisation, title="T")
    OpeningMatch.objects.create(opening=opening, client=user, reasons=[{"text_sv": MARKER}])
    seminar = Seminar.objects.create(
        title="S", starts_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC), location="L", capacity=5
    )
    services.seminar_signup(seminar_id=seminar.pk, organisation=notice_case.organisation,
                            actor=hr_a, name=MARKER, email=user.email, role="manager")  # fmt: skip
    ImportJob.objects.create(
        case=notice_case, filename="x.csv", kind="csv", size=1, status="validated",
        rows=[{"email": user.email, "first_name": MARKER}, {"email": "other@example.se"}],
    )  # fmt: skip
    data = user_data_export(user=user)["employers"]
    assert data["enrolments"][0]["unit"] == MARKER
    assert data["internal_opening_matches"][0]["reasons"] == [MARKER]
    assert data["seminar_signups"][0]["name"] == MARKER
    user_account_delete(user=user)
    assert_no_marker_in_database(MARKER)
    assert not Enrolment.objects.filter(pk=enrolment.pk).exists()
    assert ImportJob.objects.get().rows == [{"email": "other@example.se"}]
