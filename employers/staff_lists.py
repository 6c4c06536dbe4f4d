"""Reading and checking an uploaded staff list (CSV or XLSX) before anything is imported.

Pure functions, no database: `file_check` looks at the upload itself (size, type, encoding),
`table_read` turns it into a header and rows of text, and `rows_validate` checks every row and
returns the clean rows plus, per row, clear Swedish errors. The caller (a Celery task) imports
only a list without errors, all at once.

What a list holds: e-mail (required), first and last name (or one "namn" column), unit and last
working day (optional). A personnummer is never wanted: a column that looks like one is refused,
and so is a row with a value that looks like one, so it cannot slip in by mistake.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_XLSX_UNCOMPRESSED = 40 * 1024 * 1024  # a zip bomb is refused before openpyxl opens it
KINDS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx"}

# Header (normalised: lower case, no accents, no punctuation) -> field.
HEADERS: dict[str, str] = {}
for _field, _names in {
    "email": ("e-post", "epost", "e-postadress", "epostadress", "email", "e-mail", "mejl", "mail",
              "e-mailadress", "arbetsmejl"),
    "first_name": ("fornamn", "first name", "firstname", "first_name", "tilltalsnamn"),
    "last_name": ("efternamn", "last name", "lastname", "last_name", "surname"),
    "name": ("namn", "name", "fullstandigt namn", "full name", "medarbetare"),
    "unit": ("enhet", "avdelning", "unit", "department", "organisationsenhet", "team"),
    "last_working_day": ("sista anstallningsdag", "sista arbetsdag", "last working day",
                         "last_working_day", "slutdatum"),
}.items():  # fmt: skip
    for _name in _names:
        HEADERS[re.sub(r"[^a-z0-9]+", " ", _name).strip()] = _field
PERSONNUMMER_HEADERS = {"personnummer", "personnr", "pnr", "personal identity number", "ssn",
                        "samordningsnummer"}  # fmt: skip
PERSONNUMMER_RE = re.compile(r"(?<!\d)(?:19|20)?\d{6}[-+ ]?\d{4}(?!\d)")
DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")


class FileRejected(ValueError):
    """The upload as a whole cannot be read; the message says why, in Swedish."""


@dataclass
class FileInfo:
    kind: str  # "csv" or "xlsx"
    size: int


@dataclass
class RowError:
    row: int  # the line number in the file, header = 1
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class CleanRow:
    row: int
    email: str
    first_name: str
    last_name: str
    unit: str = ""
    last_working_day: str = ""  # ISO date or ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "unit": self.unit,
            "last_working_day": self.last_working_day,
        }


@dataclass
class ValidationResult:
    rows: list[CleanRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    total: int = 0


def _normalise_header(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def file_check(*, name: str, data: bytes) -> FileInfo:
    """Check size and type of an upload from its name and its first bytes."""
    size = len(data)
    if size == 0:
        raise FileRejected(_("Filen är tom."))
    if size > MAX_BYTES:
        raise FileRejected(
            _("Filen är för stor (%(size)s MB). Största tillåtna storlek är %(max)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "max": MAX_BYTES // 1024 // 1024}
        )
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == ".xls":
        raise FileRejected(
            _("Det gamla Excel-formatet .xls kan inte läsas. Spara filen som .xlsx eller CSV.")
        )
    kind = KINDS.get(suffix)
    if kind is None:
        raise FileRejected(_("Ladda upp en CSV-fil (.csv) eller en Excel-fil (.xlsx)."))
    is_zip = data[:4] == b"PK\x03\x04"
    if kind == "xlsx" and not is_zip:
        raise FileRejected(_("Filen heter .xlsx men är inte en Excel-fil."))
    if kind == "csv" and (is_zip or b"\x00" in data[:4096]):
        raise FileRejected(
            _("Filen heter .csv men innehåller inte text. Spara den som CSV (semikolonseparerad).")
        )
    return FileInfo(kind=kind, size=size)


def decode_text(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else Windows-1252/Latin-1 (old Excel)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def table_read(*, kind: str, data: bytes) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a CSV or the first sheet of an XLSX, as text cells."""
    if kind == "csv":
        text = decode_text(data)
        first = text.split("\n", 1)[0]
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
        try:
            table = [[c.strip() for c in row] for row in reader]
        except csv.Error as exc:
            raise FileRejected(_("CSV-filen kunde inte läsas: %(error)s") % {"error": exc}) from exc
    else:
        table = _xlsx_rows(data)
    table = [row for row in table if any(cell for cell in row)]
    if not table:
        raise FileRejected(_("Filen innehåller inga rader."))
    return table[0], table[1:]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise FileRejected(_("Excel-filen är skadad och kan inte öppnas.")) from exc
    if unpacked > MAX_XLSX_UNCOMPRESSED:
        raise FileRejected(_("Excel-filen är för stor när den packas upp."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign file
        raise FileRejected(_("Excel-filen kunde inte öppnas. Spara den igen som .xlsx.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _parse_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def header_map(header: Sequence[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """(field -> column index, errors about the header, warnings about ignored columns)."""
    columns: dict[str, int] = {}
    errors: list[str] = []
    warnings: list[str] = []
    for i, raw in enumerate(header):
        name = _normalise_header(raw)
        if not name:
            continue
        if name in PERSONNUMMER_HEADERS or "personnummer" in name:
            errors.append(
                _(
                    "Kolumnen ”%(column)s” ser ut att innehålla personnummer. Vi behöver inte "
                    "personnummer: ta bort kolumnen och ladda upp filen igen."
                )
                % {"column": raw}
            )
            continue
        known = HEADERS.get(name)
        if known is None:
            warnings.append(
                _("Kolumnen ”%(column)s” används inte och läses inte in.") % {"column": raw}
            )
        elif known in columns:
            errors.append(_("Kolumnen för %(field)s finns två gånger.") % {"field": raw})
        else:
            columns[known] = i
    if "email" not in columns:
        errors.append(_("Filen saknar en kolumn för e-postadress (till exempel ”E-post”)."))
    has_names = "first_name" in columns and "last_name" in columns
    if not has_names and "name" not in columns:
        errors.append(_("Filen saknar kolumner för namn: ”Förnamn” och ”Efternamn”, eller ”Namn”."))
    return columns, errors, warnings


def rows_validate(
    *,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    existing_emails: Iterable[str] = (),
    notice_date: dt.date | None = None,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 250,
) -> ValidationResult:
    """Check every row; the result holds clean rows and every error with its row number."""
    result = ValidationResult(total=len(rows))
    columns, header_errors, result.warnings = header_map(header)
    if header_errors:
        result.errors = [RowError(row=1, column="", message=m) for m in header_errors]
        return result
    if len(rows) > MAX_ROWS:
        result.errors = [
            RowError(
                row=0,
                column="",
                message=_("Listan har %(n)s rader. Högst %(max)s rader kan läsas in åt gången.")
                % {"n": len(rows), "max": MAX_ROWS},
            )
        ]
        return result
    today = today or dt.date.today()
    existing = {e.strip().lower() for e in existing_emails}
    first_seen: dict[str, int] = {}

    def get(row: Sequence[str], name: str) -> str:
        i = columns.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    for n, row in enumerate(rows):
        line = n + 2
        if progress is not None and n and n % progress_every == 0:
            progress(n)
        errors: list[RowError] = []
        if any(PERSONNUMMER_RE.search(cell) for cell in row if cell):
            errors.append(
                RowError(
                    line,
                    "",
                    _(
                        "Raden verkar innehålla ett personnummer. Vi behöver det inte: ta bort "
                        "det ur filen."
                    ),
                )
            )
        email = get(row, "email").lower()
        if not email:
            errors.append(RowError(line, "email", _("E-postadress saknas.")))
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    RowError(
                        line,
                        "email",
                        _("”%(value)s” är inte en giltig e-postadress.") % {"value": email},
                    )
                )
            else:
                if email in first_seen:
                    errors.append(
                        RowError(
                            line,
                            "email",
                            _("Samma e-postadress som på rad %(row)s.")
                            % {"row": first_seen[email]},
                        )
                    )
                elif email in existing:
                    errors.append(
                        RowError(
                            line,
                            "email",
                            _("%(email)s är redan anmäld i ärendet.") % {"email": email},
                        )
                    )
                first_seen.setdefault(email, line)
        if "first_name" in columns and "last_name" in columns:
            first, last = get(row, "first_name"), get(row, "last_name")
        else:
            parts = get(row, "name").split()
            first, last = (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else ("", "")
            if len(parts) == 1:
                first = parts[0]
        if not first:
            errors.append(RowError(line, "first_name", _("Förnamn saknas.")))
        if not last:
            errors.append(RowError(line, "last_name", _("Efternamn saknas.")))
        if len(first) > 100 or len(last) > 100:
            errors.append(RowError(line, "name", _("Namnet är längre än 100 tecken.")))
        unit = get(row, "unit")
        if len(unit) > 120:
            errors.append(RowError(line, "unit", _("Enheten är längre än 120 tecken.")))
        day_text = get(row, "last_working_day")
        day_iso = ""
        if day_text:
            day = _parse_date(day_text)
            if day is None:
                errors.append(
                    RowError(
                        line,
                        "last_working_day",
                        _("”%(value)s” är inget datum. Skriv till exempel 2026-03-31.")
                        % {"value": day_text},
                    )
                )
            elif notice_date is not None and day < notice_date:
                errors.append(
                    RowError(
                        line,
                        "last_working_day",
                        _("Sista anställningsdagen är före varselns datum (%(date)s).")
                        % {"date": notice_date.isoformat()},
                    )
                )
            elif abs((day - today).days) > 3 * 366:
                errors.append(
                    RowError(
                        line,
                        "last_working_day",
                        _("%(date)s ligger mer än tre år bort. Stämmer datumet?")
                        % {"date": day.isoformat()},
                    )
                )
            else:
                day_iso = day.isoformat()
        if errors:
            result.errors.extend(errors)
        else:
            result.rows.append(CleanRow(line, email, first, last, unit, day_iso))
    if progress is not None:
        progress(len(rows))
    return result


def errors_by_row(errors: Iterable[Mapping[str, Any]]) -> list[tuple[int, list[str]]]:
    """Errors grouped per row number, in order (for the preview page)."""
    grouped: dict[int, list[str]] = {}
    for e in errors:
        grouped.setdefault(int(e["row"]), []).append(str(e["message"]))
    return sorted(grouped.items())
