"""The columns of the people file and the per-row error messages (module constants, asserted by tests).

Every message names the row (the header is row 1) and the column, e.g.
"Baris 7, tanggal_lahir: bukan tanggal YYYY-MM-DD." once translated.
"""

from django.utils.translation import gettext_lazy as _

REQUIRED_COLUMNS = ("no_kk", "nik", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan", "kode_desa")
ADDRESS_COLUMNS = ("dusun", "rw", "rt", "alamat")
OPTIONAL_COLUMNS = (
    "no_hp",
    "no_jkn",
    "no_ihs",
    "disabilitas",
    "alasan_tanpa_nik",
    "alasan_tanpa_kk",
    "perkiraan_tanggal_lahir",
    "posyandu",
    "external_id",
)
COLUMNS = REQUIRED_COLUMNS + ADDRESS_COLUMNS + OPTIONAL_COLUMNS
# The column the error sheet adds to the rejected rows.
ERRORS_COLUMN = "kesalahan"

SEX_CODES = {"L": "M", "P": "F"}
YES = frozenset({"ya", "y", "yes", "1", "true"})
NO = frozenset({"tidak", "t", "no", "0", "false", ""})

ERR_FILE_TYPE = _("The file must be a .csv or .xlsx file.")
ERR_FILE_EMPTY = _("The file has no header row.")
ERR_FILE_UNREADABLE = _("The file cannot be read: %(error)s")
ERR_MISSING_COLUMNS = _("Row 1: missing columns: %(columns)s.")
ERR_NO_PERSON_DATA = _("Your role cannot import families and persons.")
ERR_ALREADY_COMMITTED = _("This import was already saved to the register.")

ERR_REQUIRED = _("Row %(row)s, %(field)s: required.")
ERR_TOO_LONG = _("Row %(row)s, %(field)s: at most %(max)s characters.")
ERR_DATE = _("Row %(row)s, %(field)s: not a date YYYY-MM-DD.")
ERR_DATE_FUTURE = _("Row %(row)s, %(field)s: cannot be in the future.")
ERR_SEX = _("Row %(row)s, %(field)s: use L or P.")
ERR_CHOICE = _("Row %(row)s, %(field)s: %(value)s is not one of %(choices)s.")
ERR_YES_NO = _("Row %(row)s, %(field)s: use ya or tidak.")
ERR_REGION_CODE = _("Row %(row)s, %(field)s: not a 10-digit desa/kelurahan code.")
ERR_REGION_UNKNOWN = _("Row %(row)s, %(field)s: no desa/kelurahan has the code %(value)s.")
ERR_REGION_SCOPE = _("Row %(row)s, %(field)s: this desa/kelurahan is outside your working area.")
ERR_POSYANDU_UNKNOWN = _("Row %(row)s, %(field)s: no posyandu of this desa/kelurahan is called %(value)s.")
ERR_POSYANDU_SCOPE = _("Row %(row)s, %(field)s: you register families of your own posyandu only.")
ERR_IDENTITY = _("Row %(row)s, %(field)s: %(message)s")
ERR_NIK_TWICE = _("Row %(row)s, %(field)s: the same NIK is on row %(other)s.")
ERR_NIK_TAKEN = _("Row %(row)s, %(field)s: already registered for another person.")
ERR_NIK_REASON = _("Row %(row)s, %(field)s: required when the NIK is empty.")
ERR_KK_REASON = _("Row %(row)s, %(field)s: required when no_kk is empty.")
ERR_EXTERNAL_ID = _("Row %(row)s, %(field)s: not a valid id.")
ERR_EXTERNAL_ID_TWICE = _("Row %(row)s, %(field)s: the same id is on row %(other)s.")
ERR_EXTERNAL_ID_UNKNOWN = _("Row %(row)s, %(field)s: no person in your working area has this id.")
ERR_EXTERNAL_ID_NIK = _("Row %(row)s, %(field)s: the NIK belongs to another person than this id.")
ERR_NO_HEAD = _("Row %(row)s, %(field)s: the family of this row has no kepala_keluarga row.")
ERR_TWO_HEADS = _("Row %(row)s, %(field)s: the family already has a kepala_keluarga on row %(other)s.")
ERR_HEAD_EXISTS = _("Row %(row)s, %(field)s: the registered family already has a head of family.")
ERR_FAMILY_DESA = _("Row %(row)s, %(field)s: differs from the kode_desa of the head of family (row %(other)s).")
ERR_OTHER_FAMILY = _("Row %(row)s, %(field)s: the person belongs to another family; record a move instead.")
ERR_FAMILY_REJECTED = _("Row %(row)s, %(field)s: another row of this family has errors (row %(other)s).")
ERR_SERVICE = _("Row %(row)s, %(field)s: %(message)s")
