"""Text out of an uploaded old CV (PDF or DOCX), refusing files we should not open.

Pure functions, no database: `cv_text_extract` takes the bytes (as a binary stream and its size)
and returns the plain text, or raises `CvRefused` with a code and a message in Swedish and
English saying what is wrong and what to do. `experience_lines` finds lines that look like a
job with dates ("Projektledare, Volvo Cars 2015 – 2020"), best effort.

What is refused, and how it is checked (in this order, cheapest first):

- too large: the size is checked before anything is read (the view also checks the request's
  Content-Length before Django parses the upload);
- wrong type: the first bytes (magic numbers), never the file name or the browser's content
  type: "%PDF-" is a PDF, "PK\\x03\\x04" a zip that must hold word/document.xml; an old .doc
  (OLE2) and anything else are refused;
- zip bomb: the zip's central directory is read (it is at the end of the file and small) and the
  declared uncompressed sizes and compression ratios are checked before any member is
  decompressed. Python's zipfile stops decompressing at the declared size, so a member that
  lies about its size cannot expand past the limit either;
- encrypted PDF: a PDF that needs a password to open (one with only an owner password, which
  any reader opens, is read as usual);
- broken: anything the PDF or DOCX reader cannot parse;
- no text: a scanned image has no text layer; we do not run OCR.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

MAX_BYTES = 10 * 1024 * 1024  # 10 MB, the limit the page states
MAX_TEXT_CHARS = 100_000  # a CV is a few pages; more than this is not a CV
MAX_PDF_PAGES = 40
MIN_TEXT_CHARS = 40  # fewer letters than this: no text layer (a scanned image)

# Zip bomb limits, on the sizes the zip declares (checked before decompressing anything).
MAX_ZIP_MEMBERS = 2_000
MAX_ZIP_UNCOMPRESSED = 60 * 1024 * 1024  # all members together
MAX_ZIP_MEMBER_RATIO = 200  # uncompressed / compressed, for members larger than 1 MB
RATIO_CHECK_FROM = 1024 * 1024

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc, .xls
DOCX_MAIN = "word/document.xml"


class CvKind:
    PDF = "pdf"
    DOCX = "docx"


@dataclass(frozen=True)
class Refusal:
    code: str
    sv: str
    en: str


REFUSALS: dict[str, Refusal] = {
    r.code: r
    for r in (
        Refusal(
            "too_large",
            "Filen är större än 10 MB. Ett CV brukar vara mycket mindre – spara det som PDF "
            "utan stora bilder, eller ladda upp Word-filen (DOCX).",
            "The file is larger than 10 MB. A CV is usually much smaller: save it as a PDF "
            "without large images, or upload the Word file (DOCX).",
        ),
        Refusal(
            "empty",
            "Filen är tom. Välj filen med ditt CV igen.",
            "The file is empty. Choose the file with your CV again.",
        ),
        Refusal(
            "wrong_type",
            "Filen är inte en PDF eller ett Word-dokument (DOCX). Spara ditt CV som PDF eller "
            "DOCX och försök igen.",
            "The file is not a PDF or a Word document (DOCX). Save your CV as PDF or DOCX and "
            "try again.",
        ),
        Refusal(
            "old_word",
            "Äldre Word-filer (.doc) kan vi inte läsa. Öppna filen i Word och spara den som "
            "DOCX eller PDF, och ladda upp den igen.",
            "We cannot read old Word files (.doc). Open the file in Word, save it as DOCX or "
            "PDF and upload it again.",
        ),
        Refusal(
            "zip_bomb",
            "Filen packas upp till en orimligt stor storlek och öppnas därför inte. Spara ditt "
            "CV på nytt från Word som DOCX eller PDF.",
            "The file unpacks to an unreasonable size, so we do not open it. Save your CV again "
            "from Word as DOCX or PDF.",
        ),
        Refusal(
            "encrypted",
            "PDF-filen är lösenordsskyddad. Ta bort lösenordet (eller spara en ny PDF utan "
            "skydd) och ladda upp den igen.",
            "The PDF is password-protected. Remove the password (or save a new PDF without "
            "protection) and upload it again.",
        ),
        Refusal(
            "broken",
            "Filen verkar vara trasig och går inte att läsa. Öppna den på din dator för att se "
            "att den fungerar, spara den på nytt och försök igen.",
            "The file seems to be damaged and cannot be read. Open it on your computer to check "
            "that it works, save it again and try again.",
        ),
        Refusal(
            "no_text",
            "Vi hittade ingen text i filen – den är troligen en inskannad bild. Ladda upp "
            "originalet från Word, eller en PDF som sparats direkt från ett ordbehandlingsprogram.",
            "We found no text in the file: it is probably a scanned image. Upload the original "
            "from Word, or a PDF saved directly from a word processor.",
        ),
    )
}


class CvRefused(Exception):
    """The upload is refused; `code` is one of REFUSALS, `message(lang)` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def message(self, language: str = "sv") -> str:
        refusal = REFUSALS[self.code]
        return refusal.en if language == "en" else refusal.sv


@dataclass(frozen=True)
class CvText:
    kind: str  # CvKind value
    text: str
    truncated: bool = False


def sniff_kind(head: bytes) -> str:
    """The file's kind from its first bytes; raises CvRefused for anything but PDF or zip."""
    if head.startswith(PDF_MAGIC):
        return CvKind.PDF
    if head.startswith(ZIP_MAGIC):
        return CvKind.DOCX
    if head.startswith(OLE2_MAGIC):
        raise CvRefused("old_word")
    raise CvRefused("wrong_type")


def cv_text_extract(*, stream: BinaryIO, size: int) -> CvText:
    """The text of a CV file. `size` is the file's size in bytes as received.

    Raises CvRefused (see the module docstring for what and why).
    """
    if size > MAX_BYTES:
        raise CvRefused("too_large")
    if size <= 0:
        raise CvRefused("empty")
    stream.seek(0)
    kind = sniff_kind(stream.read(8))
    stream.seek(0)
    # Never more than the limit, even if `size` was wrong.
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CvRefused("too_large")
    text = _pdf_text(data) if kind == CvKind.PDF else _docx_text(data)
    text = clean_text(text)
    if sum(ch.isalpha() for ch in text) < MIN_TEXT_CHARS:
        raise CvRefused("no_text")
    truncated = len(text) > MAX_TEXT_CHARS
    return CvText(kind=kind, text=text[:MAX_TEXT_CHARS], truncated=truncated)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # An owner-password-only PDF opens with the empty user password.
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # unsupported algorithm, missing crypto backend
                raise CvRefused("encrypted") from exc
            if not opened:
                raise CvRefused("encrypted")
        parts = []
        for number, page in enumerate(reader.pages):
            if number >= MAX_PDF_PAGES:
                break
            parts.append(page.extract_text() or "")
        return "\n".join(parts)
    except CvRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise CvRefused("broken") from exc
    except RecursionError as exc:  # deeply nested objects in a hostile file
        raise CvRefused("broken") from exc


def zip_check(archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose declared sizes are absurd, before decompressing any member."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise CvRefused("zip_bomb")
    total = 0
    for info in members:
        total += info.file_size
        if total > MAX_ZIP_UNCOMPRESSED:
            raise CvRefused("zip_bomb")
        if info.file_size > RATIO_CHECK_FROM:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_ZIP_MEMBER_RATIO:
                raise CvRefused("zip_bomb")


def _docx_text(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CvRefused("broken") from exc
    with archive:
        zip_check(archive)
        names = set(archive.namelist())
        if DOCX_MAIN not in names or "[Content_Types].xml" not in names:
            raise CvRefused("wrong_type")  # another zip: xlsx, odt, a plain archive
        try:
            import docx
            from docx.opc.exceptions import PackageNotFoundError

            document = docx.Document(io.BytesIO(data))
        except ValueError as exc:  # python-docx: "not a Word file" (e.g. .docm, .dotx)
            raise CvRefused("wrong_type") from exc
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, OSError) as exc:
            raise CvRefused("broken") from exc
        except Exception as exc:  # lxml XMLSyntaxError and friends: a damaged document
            raise CvRefused("broken") from exc
    lines: list[str] = []
    for paragraph in document.paragraphs:
        lines.append(paragraph.text)
    for table in document.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                if cell.text not in cells:  # merged cells repeat their text
                    cells.append(cell.text)
            lines.append(" | ".join(cells))
    return "\n".join(lines)


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b]+")


def clean_text(text: str) -> str:
    """NFC, no control characters, single spaces, at most one empty line in a row."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


# ---- experiences: lines with a date range ---------------------------------------------------

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "maj": 5,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_WORD = r"(?:jan|feb|mar|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec)[a-zåäö]*\.?"
_POINT = rf"(?:{_MONTH_WORD}\s+\d{{4}}|\d{{4}}[-/.]\d{{1,2}}|\d{{1,2}}[-/.]\d{{4}}|\d{{4}})"
_ONGOING = r"(?:nu|idag|i dag|pågående|tills vidare|present|now|current|today)"
DATE_RANGE = re.compile(
    rf"(?P<start>{_POINT})\s*(?:-|–|—|till|to)\s*(?P<end>{_POINT}|{_ONGOING}|(?=\s*$))",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s+(?:på|hos|at|vid)\s+|\s*[,|•·]\s*|\s+[-–—]\s+", re.IGNORECASE)
_STRIP = " \t-–—,|:•·()"


@dataclass(frozen=True)
class ExperienceLine:
    """A job found in a CV, as written: title and employer text, and (year, month) dates."""

    title: str
    employer: str
    start: tuple[int, int] | None
    end: tuple[int, int] | None  # None: ongoing (or not given)
    ongoing: bool
    line: str
    # The line split at commas, bars and "på"/"at": a title may itself hold a comma
    # ("Projektledare, IT"), so the caller may join the first parts back.
    parts: tuple[str, ...] = ()


def parse_point(text: str) -> tuple[int, int] | None:
    """(year, month) of "2019", "2019-03", "03/2019", "mars 2019"; None if not a date."""
    text = text.strip().lower().rstrip(".")
    match = re.fullmatch(r"(\d{4})(?:[-/.](\d{1,2}))?", text)
    if match:
        year, month = int(match[1]), int(match[2] or 1)
    elif match := re.fullmatch(r"(\d{1,2})[-/.](\d{4})", text):
        year, month = int(match[2]), int(match[1])
    elif match := re.fullmatch(r"([a-zåäö]+)\.?\s+(\d{4})", text):
        month = _MONTHS.get(match[1][:3], 0)
        year = int(match[2])
    else:
        return None
    if not (1950 <= year <= 2100 and 1 <= month <= 12):
        return None
    return year, month


def experience_lines(text: str, *, limit: int = 10) -> list[ExperienceLine]:
    """Lines that look like a job with a date range, best effort, in the order of the CV.

    "Projektledare IT, Volvo Cars 2015-03 – 2020-08" gives title "Projektledare IT", employer
    "Volvo Cars". A line with only the dates takes its title from the line above.
    """
    found: list[ExperienceLine] = []
    lines = text.splitlines()
    for at, line in enumerate(lines):
        match = DATE_RANGE.search(line)
        if match is None:
            continue
        start = parse_point(match["start"])
        end_text = (match["end"] or "").strip()
        ongoing = bool(re.fullmatch(_ONGOING, end_text, re.IGNORECASE)) if end_text else True
        end = None if ongoing else parse_point(end_text)
        if end is not None and re.fullmatch(r"\d{4}", end_text):
            end = (end[0], 12)  # "2010 - 2015": through 2015
        if start is None or (not ongoing and end is None) or (end is not None and end < start):
            continue
        rest = _SPACES.sub(" ", line[: match.start()] + " " + line[match.end() :]).strip(_STRIP)
        if len(rest) < 3 and at > 0:
            above = lines[at - 1]
            if DATE_RANGE.search(above):
                continue  # the line above is another job, not this one's title
            rest = above.strip(_STRIP)
        parts = [p.strip(_STRIP) for p in _SPLIT.split(rest) if p.strip(_STRIP)]
        if not parts or len(parts[0]) > 120 or not any(ch.isalpha() for ch in parts[0]):
            continue
        found.append(
            ExperienceLine(
                title=parts[0][:200],
                employer=(parts[1] if len(parts) > 1 else "")[:200],
                start=start,
                end=end,
                ongoing=ongoing,
                line=line.strip()[:300],
                parts=tuple(p[:200] for p in parts[:4]),
            )
        )
        if len(found) >= limit:
            break
    return found
