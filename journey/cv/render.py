"""CV and cover-letter documents: one view of the content, three outputs.

`cv_document(...)` turns a CV's content and sections into what every output shows (visible
sections in order, with headings in the CV's language and dates written out). From it:

- HTML (`cv_html`): the live preview on the site and the input of the PDF; real headings (h1 for
  the name, h2 per section), real text, no images, one column unless the client chose two;
- PDF (`cv_pdf`): WeasyPrint, tagged (PDF/UA-1: structure tree, document language and title in
  the metadata), DejaVu fonts (Debian `fonts-dejavu-core`) so å, ä and ö always render;
- DOCX (`cv_docx`): python-docx with Word's own Title and Heading styles, so a recruiter's
  system and a screen reader see the same structure; core properties carry title and language.

Cover letters use the same three looks (`letter_html`, `letter_pdf`, `letter_docx`).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from .builder import LANGUAGE_LEVELS, SECTION_HEADINGS

# WeasyPrint logs every rendering step at INFO; one CV is not news.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

STATIC_DIR = Path(__file__).resolve().parent / "static" / "journey_cv"
PDF_VARIANT = "pdf/ua-1"

MONTHS = {
    "sv": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
NOW = {"sv": "nu", "en": "present"}
SKILL_LEVELS = {
    "sv": {1: "grundläggande", 2: "viss erfarenhet", 3: "god", 4: "mycket god", 5: "expert"},
    "en": {1: "basic", 2: "some experience", 3: "good", 4: "very good", 5: "expert"},
}
LETTER_WORDS = {
    "sv": {"re": "Ansökan", "letter": "Personligt brev"},
    "en": {"re": "Application", "letter": "Cover letter"},
}


def month_text(yyyymm: str, language: str) -> str:
    if not yyyymm:
        return ""
    try:
        year, mon = int(yyyymm[:4]), int(yyyymm[5:7])
    except ValueError:
        return yyyymm
    if not 1 <= mon <= 12:
        return str(year)
    return f"{MONTHS[language][mon - 1]} {year}"


MONTH_NAMES = {
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip


def date_text(day: dt.date, language: str) -> str:
    """ "22 november 2026" / "22 November 2026"."""
    return f"{day.day} {MONTH_NAMES['en' if language == 'en' else 'sv'][day.month - 1]} {day.year}"


def period_text(start: str, end: str, current: bool, language: str) -> str:
    first, last = month_text(start, language), month_text(end, language)
    if current and first:
        return f"{first} – {NOW[language]}"
    return " – ".join(p for p in (first, last) if p)


@dataclass
class DocSection:
    key: str
    heading: str
    items: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""  # the profile section's paragraph(s)


@dataclass
class CvDocument:
    language: str
    template: str
    layout: str
    title: str
    name: str
    headline: str
    contact: list[str]
    main: list[DocSection]
    side: list[DocSection]  # empty in one-column layout

    @property
    def sections(self) -> list[DocSection]:
        return [*self.main, *self.side]


SIDE_SECTIONS = frozenset({"skills", "languages", "licences"})


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def cv_document(
    *,
    content: dict[str, Any],
    sections: list[dict[str, Any]],
    language: str,
    template: str,
    layout: str,
    title: str = "",
) -> CvDocument:
    """What every output of the CV shows, in order (see the module docstring)."""
    language = "en" if language == "en" else "sv"
    basics = content.get("basics") or {}
    headings = SECTION_HEADINGS[language]
    main: list[DocSection] = []
    side: list[DocSection] = []
    for section in sections:
        key = section.get("key", "")
        if section.get("hidden") or key not in headings:
            continue
        heading = (section.get("heading") or "").strip() or headings[key]
        doc = DocSection(key=key, heading=heading)
        if key == "profile":
            doc.text = basics.get("summary", "")
            if not doc.text.strip():
                continue
        elif key == "experience":
            for e in content.get("experience", []):
                if e.get("hidden"):
                    continue
                doc.items.append(
                    {
                        "title": e.get("title", ""),
                        "employer": e.get("employer", ""),
                        "period": period_text(
                            e.get("start", ""), e.get("end", ""), e.get("current", False), language
                        ),
                        "paragraphs": _paragraphs(e.get("description", "")),
                    }
                )
        elif key == "education":
            for e in content.get("education", []):
                if e.get("hidden"):
                    continue
                years = [str(y) for y in (e.get("start_year"), e.get("end_year")) if y]
                doc.items.append(
                    {
                        "title": e.get("name", ""),
                        "employer": e.get("institution", ""),
                        "period": " – ".join(years),
                        "paragraphs": [],
                    }
                )
        elif key == "skills":
            for s in content.get("skills", []):
                if not s.get("hidden"):
                    level = SKILL_LEVELS[language].get(s.get("level") or 0, "")
                    doc.items.append({"label": s.get("label", ""), "detail": level})
        elif key == "languages":
            for s in content.get("languages", []):
                if not s.get("hidden"):
                    level = LANGUAGE_LEVELS[language].get(s.get("level") or "", "")
                    doc.items.append({"label": s.get("label", ""), "detail": level})
        elif key == "licences":
            for s in content.get("licences", []):
                if not s.get("hidden"):
                    doc.items.append({"label": s.get("label", ""), "detail": ""})
        if key != "profile" and not doc.items:
            continue
        if layout == "two" and key in SIDE_SECTIONS:
            side.append(doc)
        else:
            main.append(doc)
    contact = [
        str(basics.get(k, "")).strip()
        for k in ("email", "phone", "city")
        if str(basics.get(k, "")).strip()
    ]
    name = str(basics.get("name", "")).strip()
    return CvDocument(
        language=language,
        template=template,
        layout=layout,
        title=title or name or "CV",
        name=name,
        headline=str(basics.get("headline", "")).strip(),
        contact=contact,
        main=main,
        side=side,
    )


# ---- HTML and PDF ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def document_css() -> str:
    """The stylesheet of the three looks (the same file the site's preview links to)."""
    return (STATIC_DIR / "cvdoc.css").read_text(encoding="utf-8")


PRINT_CSS = """
@page { size: A4; margin: 18mm 17mm 18mm 17mm; }
html { font-size: 10.5pt; }
.cvdoc { box-shadow: none; border: 0; padding: 0; max-width: none; }
"""


def cv_body_html(doc: CvDocument) -> str:
    """The CV's body (the preview's fragment and the PDF's body)."""
    return render_to_string("journey_cv/doc/_cv.html", {"doc": doc})


def standalone_html(*, body: str, title: str, language: str) -> str:
    return render_to_string(
        "journey_cv/doc/standalone.html",
        {"body": body, "title": title, "language": language},
    )


def cv_html(doc: CvDocument) -> str:
    return standalone_html(body=cv_body_html(doc), title=doc.title, language=doc.language)


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1) of a standalone document. Fonts are the system's DejaVu."""
    from weasyprint import CSS, HTML

    stylesheets = [CSS(string=document_css()), CSS(string=PRINT_CSS)]
    # No base URL: the document has no images or links to fetch, and must fetch nothing.
    pdf = HTML(string=html, base_url=None).write_pdf(
        stylesheets=stylesheets, pdf_variant=PDF_VARIANT
    )
    assert pdf is not None
    return bytes(pdf)


def cv_pdf(doc: CvDocument) -> bytes:
    return html_to_pdf(cv_html(doc))


# ---- DOCX -----------------------------------------------------------------------------------

FONTS = {"classic": "DejaVu Serif", "modern": "DejaVu Sans", "compact": "DejaVu Sans"}
ACCENT = {
    "classic": (0x1B, 0x1F, 0x24),
    "modern": (0x0B, 0x5C, 0xAD),
    "compact": (0x1B, 0x1F, 0x24),
}


def _docx_new(*, title: str, language: str, template: str) -> Any:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    props = document.core_properties
    props.title = title
    props.language = "en-GB" if language == "en" else "sv-SE"
    props.author = ""
    props.comments = ""
    font_name = FONTS.get(template, "DejaVu Sans")
    size = Pt(10) if template == "compact" else Pt(11)
    for style in document.styles:
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        if style.name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet"):
            style.font.name = font_name
            rpr = style.element.get_or_add_rPr()
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = rpr.makeelement(qn("w:rFonts"), {})
                rpr.append(fonts)
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attr), font_name)
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = rpr.makeelement(qn("w:lang"), {})
                rpr.append(lang)
            lang.set(qn("w:val"), props.language)
    document.styles["Normal"].font.size = size
    red, green, blue = ACCENT.get(template, ACCENT["classic"])
    for name in ("Title", "Heading 1", "Heading 2"):
        document.styles[name].font.color.rgb = RGBColor(red, green, blue)
    return document


def _docx_bytes(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def cv_docx(doc: CvDocument) -> bytes:
    """The CV as a Word document: Title (the name), Heading 1 per section, Heading 2 per job."""
    document = _docx_new(title=doc.title, language=doc.language, template=doc.template)
    document.add_heading(doc.name or doc.title, level=0)
    if doc.headline:
        document.add_paragraph(doc.headline)
    if doc.contact:
        document.add_paragraph(" · ".join(doc.contact))
    # Word has no sidebar that parsers read reliably: two-column CVs become one column here.
    for section in doc.sections:
        document.add_heading(section.heading, level=1)
        if section.key == "profile":
            for paragraph in _paragraphs(section.text):
                document.add_paragraph(paragraph)
        elif section.key in ("experience", "education"):
            for item in section.items:
                heading = ", ".join(p for p in (item["title"], item["employer"]) if p)
                document.add_heading(heading, level=2)
                if item["period"]:
                    document.add_paragraph(item["period"])
                for paragraph in item["paragraphs"]:
                    document.add_paragraph(paragraph)
        else:
            for item in section.items:
                text = item["label"] + (f" – {item['detail']}" if item["detail"] else "")
                document.add_paragraph(text, style="List Bullet")
    return _docx_bytes(document)


# ---- cover letters --------------------------------------------------------------------------


@dataclass
class LetterDocument:
    language: str
    template: str
    title: str
    name: str
    contact: list[str]
    recipient: str
    subject: str
    date: str
    paragraphs: list[str]


def letter_document(
    *,
    body: str,
    language: str,
    template: str,
    name: str,
    contact: list[str],
    recipient: str,
    job_title: str,
    date: str,
    title: str = "",
) -> LetterDocument:
    language = "en" if language == "en" else "sv"
    words = LETTER_WORDS[language]
    subject = f"{words['re']}: {job_title}" if job_title else words["letter"]
    return LetterDocument(
        language=language,
        template=template,
        title=title or subject,
        name=name,
        contact=contact,
        recipient=recipient,
        subject=subject,
        date=date,
        paragraphs=_paragraphs(body.replace("\r\n", "\n")),
    )


def letter_body_html(doc: LetterDocument) -> str:
    return render_to_string("journey_cv/doc/_letter.html", {"doc": doc})


def letter_pdf(doc: LetterDocument) -> bytes:
    html = standalone_html(body=letter_body_html(doc), title=doc.title, language=doc.language)
    return html_to_pdf(html)


def letter_docx(doc: LetterDocument) -> bytes:
    document = _docx_new(title=doc.title, language=doc.language, template=doc.template)
    document.add_heading(doc.name or doc.title, level=0)
    if doc.contact:
        document.add_paragraph(" · ".join(doc.contact))
    if doc.recipient:
        document.add_paragraph(doc.recipient)
    if doc.date:
        document.add_paragraph(doc.date)
    document.add_heading(doc.subject, level=1)
    for paragraph in doc.paragraphs:
        document.add_paragraph(paragraph)
    return _docx_bytes(document)


def pdf_text(data: bytes) -> str:
    """The text a parser gets out of a PDF (what an applicant tracking system would read)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join((page.extract_text() or "") for page in reader.pages).strip()


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)
