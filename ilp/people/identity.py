"""NIK and KK number checks (issue #3, "Families and persons").

NIK (PP 37/2007 art. 37; ILP.md §4, ✅ Dukcapil sources): 16 digits; digits 1-6 are the kecamatan
where the NIK was first registered (it does not change when the person moves); 7-12 the birth date as
DDMMYY with 40 added to the day for women (41-71); 13-16 a serial from 0001. The date and sex inside
a NIK are a plausibility check only, never the truth: a NIK is for life and is not reissued when a
birth date is corrected, so a mismatch is a warning a user may confirm, while a malformed NIK is an
error.

KK number (ILP.md §4): 16 digits issued by Dukcapil. Its inner structure (region + issue date +
serial) is ❓ unconfirmed, so only the length and the region prefix are checked, the prefix as a
warning.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SEX_FEMALE = "F"
SEX_MALE = "M"
FEMALE_DAY_OFFSET = 40

ERR_NIK_DIGITS = _("NIK: must be exactly 16 digits.")
ERR_NIK_REGION = _("NIK: the first 6 digits (%(code)s) are not a known kecamatan code.")
ERR_NIK_DATE = _("NIK: digits 7-12 (%(part)s) are not a valid birth date (DDMMYY, day + 40 for women).")
ERR_NIK_SERIAL = _("NIK: the last 4 digits cannot be 0000.")
WARN_NIK_SEX = _("NIK: the day of birth in the NIK says %(nik_sex)s, but the recorded sex is %(sex)s.")
WARN_NIK_BIRTH_DATE = _("NIK: the birth date in the NIK (%(nik_date)s) differs from the recorded birth date.")
ERR_KK_DIGITS = _("KK number: must be exactly 16 digits.")
WARN_KK_REGION = _("KK number: the first 6 digits (%(code)s) are not a known kecamatan code.")

_DIGITS16 = re.compile(r"^\d{16}$")


@dataclass(frozen=True)
class IdentityCheck:
    """Result of a NIK/KK check: errors refuse the value, warnings need the user's confirmation."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    district_code: str | None = None
    birth_date: dt.date | None = None
    sex: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise(value: str) -> str:
    """Digits only: NIKs are often typed or pasted with spaces, dots or dashes."""
    return re.sub(r"[\s.\-]", "", value or "")


def search_key(name: str) -> str:
    """A name folded for search: accents stripped, lower case, punctuation dropped, spaces collapsed.

    "Nurhayati" then finds "NURHAYATİ", "Rahmi" finds "Rahmî" and "st. aisyah" finds "St Aisyah": the same
    key is computed for the stored name and for what the user types.
    """
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w\s]|_", " ", ascii_only).split())


def name_keys(key: str) -> list[str]:
    """The keys a name is found by: its search key read from each word on.

    "siti nurhaliza" -> ["siti nurhaliza", "nurhaliza"]. Stored one per row (`PersonNameKey`), they let a
    search for the start of any word ("nur") be one range scan of one index, in the order it is shown.
    """
    words = key.split()
    return [" ".join(words[i:]) for i in range(len(words))]


def district_code_of(number: str) -> str:
    """`1306031204870001` -> `13.06.03`, the Kemendagri kecamatan code form."""
    return f"{number[0:2]}.{number[2:4]}.{number[4:6]}"


def nik_birth_date_and_sex(nik: str, *, today: dt.date) -> tuple[dt.date | None, str | None]:
    """Birth date and sex encoded in a 16-digit NIK, or (None, None) when digits 7-12 are no date.

    The two-digit year is read as the latest year not after `today` (a NIK of 1930 and of 2030
    cannot both exist yet).
    """
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = SEX_MALE
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
        sex = SEX_FEMALE
    year = 2000 + year2
    if year > today.year:
        year -= 100
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return None, None
    if born > today:
        born = dt.date(year - 100, month, day) if not (month == 2 and day == 29) else None
    return born, (sex if born else None)


def check_nik(
    value: str,
    *,
    district_exists: Callable[[str], bool],
    sex: str | None = None,
    birth_date: dt.date | None = None,
    today: dt.date | None = None,
) -> IdentityCheck:
    """Check a NIK's structure, and compare its encoded date and sex with the recorded ones."""
    today = today or dt.date.today()  # noqa: DTZ011 (a calendar date, compared with birth dates)
    nik = normalise(value)
    if not _DIGITS16.match(nik):
        return IdentityCheck(errors=[str(ERR_NIK_DIGITS)])
    errors: list[str] = []
    warnings: list[str] = []
    district = district_code_of(nik)
    if not district_exists(district):
        errors.append(str(ERR_NIK_REGION) % {"code": nik[0:6]})
    born, nik_sex = nik_birth_date_and_sex(nik, today=today)
    if born is None:
        errors.append(str(ERR_NIK_DATE) % {"part": nik[6:12]})
    if nik[12:16] == "0000":
        errors.append(str(ERR_NIK_SERIAL))
    if born is not None:
        if sex and nik_sex and sex != nik_sex:
            warnings.append(str(WARN_NIK_SEX) % {"nik_sex": _sex_label(nik_sex), "sex": _sex_label(sex)})
        if birth_date and birth_date != born:
            warnings.append(str(WARN_NIK_BIRTH_DATE) % {"nik_date": born.strftime("%d-%m-%Y")})
    return IdentityCheck(errors=errors, warnings=warnings, district_code=district, birth_date=born, sex=nik_sex)


def check_kk(value: str, *, district_exists: Callable[[str], bool]) -> IdentityCheck:
    """Check a KK number: 16 digits (error), region prefix a known kecamatan (warning, structure ❓)."""
    kk = normalise(value)
    if not _DIGITS16.match(kk):
        return IdentityCheck(errors=[str(ERR_KK_DIGITS)])
    district = district_code_of(kk)
    warnings = [] if district_exists(district) else [str(WARN_KK_REGION) % {"code": kk[0:6]}]
    return IdentityCheck(warnings=warnings, district_code=district)


def build_nik(*, district_code: str, birth_date: dt.date, sex: str, serial: int) -> str:
    """The NIK a person with these attributes would get (the demo generator and tests use it)."""
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == SEX_FEMALE else 0)
    if not 1 <= serial <= 9999:
        raise ValueError("serial must be 1-9999")
    return f"{district_code.replace('.', '')}{day:02d}{birth_date:%m}{birth_date:%y}{serial:04d}"


def _sex_label(sex: str) -> str:
    return str(_("female")) if sex == SEX_FEMALE else str(_("male"))


def mask_nik(nik: str | None) -> str:
    """`1306031204870001` -> `130603********01`: the kecamatan stays readable, the birth date does not.

    Lists and exports show this to roles that may not see full NIKs (issue #3, "Export").
    """
    if not nik:
        return ""
    return f"{nik[:6]}{'*' * (len(nik) - 8)}{nik[-2:]}" if len(nik) > 8 else "*" * len(nik)
