"""Demo data of step 4: the demo client gets one CV targeted at their chosen occupation (step 3's
first target, else the occupation they hold) and a cover letter for their newest saved job.

Runs after the journey's demo (INSTALLED_APPS order), through the same services the pages use.
Idempotent: once the demo client has a CV, nothing is changed.
"""

from __future__ import annotations

from typing import TextIO

from vagval.accounts.demo import DEMO_CLIENT_EMAIL
from vagval.accounts.selectors import user_get_by_email
from vagval.web.demoloader import DemoLogin


def load_demo_data(*, stdout: TextIO) -> list[DemoLogin]:
    from journey.selectors.client import client_profile_get

    from . import selectors, services
    from .builder import Target
    from .models import Cv

    user = user_get_by_email(email=DEMO_CLIENT_EMAIL)
    client = client_profile_get(user=user) if user is not None else None
    if client is None:
        stdout.write("  hoppar över CV: demoklienten har ingen resa än\n")
        return []
    if Cv.objects.filter(client=client).exists():
        stdout.write("  demoklientens CV finns redan\n")
        return []
    inputs = selectors.cv_inputs_get(client=client, user=user)
    if not (inputs.experiences or inputs.skills):
        stdout.write("  hoppar över CV: demoklienten har ingen kompetensinventering\n")
        return []
    choices = selectors.target_choices(inputs=inputs)
    target = (
        selectors.target_resolve(concept_id=choices[0].concept_id, choices=choices)
        if choices
        else Target()
    )
    groups, substitutes = selectors.target_context(target=target)
    cv = services.cv_create(
        client=client,
        inputs=inputs,
        target=target,
        language="sv",
        template="modern",
        groups=groups,
        substitutes=substitutes,
    )
    services.cv_basics_save(cv=cv, data={"phone": "070-123 45 67", "city": "Göteborg"})
    applications = selectors.applications_for_letters(client=client)
    letter = services.letter_create(
        client=client,
        language="sv",
        cv=cv,
        application=applications[0] if applications else None,
        inputs=inputs,
    )
    stdout.write(
        f"  demoklienten har ett CV riktat mot {target.label or 'sina yrken'} "
        f"och ett personligt brev ({letter.title})\n"
    )
    return []
