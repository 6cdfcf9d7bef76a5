"""Chinese resident ID numbers (GB 11643-1999): 17 digits, then a check character computed from them
(0–9 or X). Digits 7–14 are the birth date; the 17th is odd for men, even for women. Old 15-digit
numbers carry no check character and are accepted as digits only.

Masked (docs/privacy.md), a number keeps at most its first six digits, the region of issue shared by everyone
born in the same county: the birth date, the sequence and the check character are hidden, so the number
cannot be rebuilt from the birth date a page shows beside it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
REGION_DIGITS = 6  # what a masked number keeps: 330102************


def check_char(first17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def id_number_birth_date(value: str) -> date | None:
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def id_number_gender(value: str) -> str:
    return "male" if int(value[16]) % 2 else "female"


def validate_id_number(value: str) -> None:
    value = (value or "").strip().upper()
    if len(value) == 15 and value.isdigit():
        return
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise ValidationError(_("An ID number has 18 characters: 17 digits and a digit or X."), code="id_format")
    if id_number_birth_date(value) is None:
        raise ValidationError(_("The birth date inside the ID number is not a real date."), code="id_birth_date")
    if check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The ID number's check character is wrong: please check the number."), code="id_checksum"
        )


def mask_id_number(value) -> str:
    """An ID number as shown to those who may not read it: the region prefix, then a star for every other
    character ("330102************"). Anything shorter than an old 15-digit number is starred in full."""
    value = str(value or "")
    keep = REGION_DIGITS if len(value) >= 15 else 0
    return value[:keep] + "*" * (len(value) - keep)


def make_id_number(region: str, born: date, sequence: int) -> str:
    """A valid number for demo data and tests (region: 6 digits; sequence: 0–999)."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
