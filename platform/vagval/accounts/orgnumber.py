"""Swedish organisation numbers (organisationsnummer): validation and normal form.

No models here, so code that must not load the accounts app (job-ad normalisation runs in
the batch commands' lean settings and in worker processes) can check numbers too.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def org_number_is_valid(digits: str) -> bool:
    """Ten digits whose last digit is the Luhn check digit of the first nine."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(digits[:9]):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10 == int(digits[9])


def validate_org_number(value: str) -> None:
    """A Swedish organisation number: ten digits whose last digit is a Luhn check digit."""
    digits = value.replace("-", "")
    if len(digits) != 10 or not digits.isdigit():
        raise ValidationError(
            _("Ett organisationsnummer har tio siffror, till exempel 556074-3089.")
        )
    if not org_number_is_valid(digits):
        raise ValidationError(_("Organisationsnumret har fel kontrollsiffra."))


def normalise_org_number(value: str) -> str:
    """Return the ten digits of an organisation number, without the dash."""
    return "".join(ch for ch in value if ch.isdigit())
