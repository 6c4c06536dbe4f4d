"""A large, deterministic job-ad corpus with known duplicates, built from the 790 real ads.

The ingestion and deduplication benchmarks need far more ads than the real snapshot has, and
they need ground truth: which ads are the same job. This module scales the real Platsbanken ads
in `$VAGVAL_DATA_DIR/jobads/` up to N ads (default 100,000):

- **Real ads**, verbatim, with their real duplicate groups as ground-truth clusters. Two real ads
  are the same job when their texts overlap strongly (word 5-shingle Jaccard >= 0.5) *and* one
  title's words contain the other's (so "Senior ITprojektledare" = "Senior ITprojektledare till
  Castra!", but PRESIS's "Senior Java Developer" != "Senior Software developer" although the
  texts differ by one word: that is a real hard negative).
- **Distinct synthetic jobs**, each recombined from paragraphs of 3-4 real ads of the same role
  family and language, with its own employer (a generated name and a valid organisation
  number), municipality, title, employer intro and closing. They share no more text with each
  other than real distinct ads do.
- **Hard negatives**: jobs at the same employer that share its intro and closing ("employer
  siblings"), and consultancy-style "template siblings" that share most of the text but are a
  different role with a different title.
- **Near-duplicates** of some jobs: reposts with new ids, reordered paragraphs, changed
  boilerplate, trimmed or appended text, other sites' wrappers (a "Hittad via Jobbsafari:"
  header, a recruiter footer or a recruiter as the advertiser, an HTML page wrapper),
  typo-level edits, and title or employer-name variants; often in another source format.

Ads are written in the three formats `manage.py ingest` reads: `platsbanken-web` JSONL (the real
scraped shape), `jobtech` JSONL (the JobSearch ad object of the data README §6) and `jobposting`
JSONL (schema.org JobPosting objects with HTML descriptions). `truth.jsonl` maps every
(source, source_id, url) to its job id and the variant that made it. A "daily delta" of extra
ads (new jobs, plus reposts of jobs already in the base) is written beside the base.

Everything follows from the seed, N, the delta size and a reference date (default: today, so
deadlines lie in the future). Generated files go to a temporary or bench folder, never into git.

Command line: `python -m tests.bench.corpus --n 100000 --out /tmp/vagval-corpus`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import html
import itertools
import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

SOURCES = ("platsbanken-web", "jobtech", "jobposting")
REAL_ADS_FILE = "jobads/platsbanken_web_2023-08_stockholm_it.jsonl.gz"
MUNICIPALITIES_FILE = "taxonomy/municipalities_sweden.csv"
SSYK_FILE = "taxonomy/jobtech_datasets/the-ssyk-hierarchy-with-occupations.json.gz"

# Where each synthetic ad is published (the original and each copy draw independently).
SOURCE_WEIGHTS = {"platsbanken-web": 0.35, "jobtech": 0.45, "jobposting": 0.20}
# How many ads a synthetic job has: most appear once, a long tail is posted on several sites.
COPIES_WEIGHTS = {1: 0.66, 2: 0.21, 3: 0.08, 4: 0.03, 5: 0.015, 6: 0.005}
# The main change a near-duplicate copy makes (one or two per copy).
PERTURBATION_WEIGHTS = {
    "repost": 0.20,
    "reorder": 0.08,
    "boilerplate": 0.14,
    "trim": 0.12,
    "append": 0.12,
    "wrapper_jobsafari": 0.07,
    "wrapper_recruiter": 0.10,
    "wrapper_html": 0.06,
    "typo": 0.11,
}
SHARE_EMPLOYER_SIBLINGS = 0.08  # same employer intro and closing, different role
SHARE_TEMPLATE_SIBLINGS = 0.04  # same consultancy template text, different role and title
SHARE_REAL_JOB_COPIES = 0.30  # real jobs that are also reposted elsewhere in the corpus
SHARE_DELTA_REPOSTS = 0.25  # of the delta: copies of jobs already in the base

ROLE_FAMILIES: dict[str, tuple[str, ...]] = {
    "data": (
        "data",
        "analytics",
        "analys",
        "business intelligence",
        " bi ",
        "machine learning",
        " ml",
        " ai",
        "scientist",
        "power bi",
        "etl",
        "warehouse",
    ),
    "test": ("test", " qa", "quality", "kvalitet", "verification", "validation"),
    "devops": (
        "devops",
        "cloud",
        "platform",
        "sre",
        "infrastructure",
        "infrastruktur",
        "drift",
        "kubernetes",
        "network",
        "nätverk",
        "servicenow",
        "linux",
    ),
    "design": ("ux", "ui ", "design"),
    "lead": (
        "manager",
        "projektledare",
        "project",
        "scrum",
        "product owner",
        "product manager",
        "team lead",
        "tech lead",
        "chef",
        "agile",
        "release train",
        "arkitekt",
        "architect",
        "owner",
        "ledare",
        "koordinator",
    ),
    "embedded": (
        "embedded",
        "inbyggd",
        "c++",
        "hardware",
        "asic",
        "firmware",
        "mechatronic",
        "radio",
        "baseband",
        "5g",
        "fpga",
        "elektronik",
        "electronics",
    ),
    "frontend": (
        "frontend",
        "front-end",
        "front end",
        "react",
        "vue",
        "angular",
        "javascript",
        "webb",
        "web",
        "ios",
        "android",
        "app ",
        "mobile",
        "flutter",
        "fullstack",
        "full stack",
        "full-stack",
    ),
    "support": (
        "support",
        "tekniker",
        "servicedesk",
        "helpdesk",
        "it-konsult",
        "itkonsult",
        "administratör",
        "windows",
        "klient",
    ),
}
FAMILY_OCCUPATION_LABEL = {
    "dev": "Systemutvecklare/Programmerare",
    "data": "Data scientist",
    "test": "Testutvecklare",
    "devops": "Devops utvecklare",
    "design": "UX-designer",
    "lead": "Projektledare, IT",
    "embedded": "Mjukvaruutvecklare",
    "frontend": "Frontend-utvecklare",
    "support": "IT-tekniker",
}

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s*(?=[A-ZÅÄÖ])")
_SV_WORDS = frozenset(
    [
        "och",
        "att",
        "det",
        "som",
        "för",
        "med",
        "är",
        "vi",
        "du",
        "har",
        "på",
        "en",
        "ett",
        "till",
        "av",
        "om",
        "kommer",
    ]
)
_EN_WORDS = frozenset(
    [
        "and",
        "the",
        "to",
        "of",
        "you",
        "we",
        "with",
        "is",
        "are",
        "our",
        "in",
        "for",
        "will",
        "a",
        "an",
        "be",
    ]
)


# --------------------------------------------------------------------------------------------
# Small value types
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Municipality:
    code: str
    concept_id: str
    name: str
    region_code: str
    region_concept_id: str
    region: str


@dataclass(frozen=True)
class Employer:
    name: str
    org_number: str | None
    slug: str
    intro_sv: str
    intro_en: str
    website: str


@dataclass
class Job:
    """One real-world job (a vacancy). Several ads may announce it."""

    id: str
    lang: str  # "sv" or "en"
    family: str
    title: str
    employer: Employer
    municipality: Municipality
    intro: str | None
    paragraphs: list[str]
    outro: str | None
    published: dt.date
    deadline: dt.date
    apply_url: str
    omfattning: str = "Heltid"
    varaktighet: str = "Tillsvidare"
    real_ads: list[dict[str, Any]] = field(default_factory=list)
    kind: str = "real"  # real, new, employer_sibling (hard negative), template_sibling (harder)
    sibling_of: str | None = None

    def text(self) -> str:
        parts = [p for p in (self.intro, *self.paragraphs, self.outro) if p]
        return "\n\n".join(parts)


@dataclass(frozen=True)
class PlannedAd:
    """An ad to render: which job, which source, which changes, and its own random seed."""

    job: int
    source: str
    variant: tuple[str, ...]
    seed: int
    part: str  # "base" or "delta"


@dataclass
class CorpusInfo:
    """What `build_corpus` wrote, for the benchmarks to read."""

    out_dir: Path
    n_base: int
    n_delta: int
    jobs: int
    seconds: float
    files: dict[str, dict[str, Path]]  # part -> source -> path
    truth_path: Path
    counts: dict[str, dict[str, int]]  # part -> source -> ads

    def manifest(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "n_base": self.n_base,
            "n_delta": self.n_delta,
            "jobs": self.jobs,
            "seconds": round(self.seconds, 2),
            "files": {p: {s: str(f) for s, f in d.items()} for p, d in self.files.items()},
            "truth": str(self.truth_path),
            "counts": self.counts,
        }


# --------------------------------------------------------------------------------------------
# Reading and analysing the real ads
# --------------------------------------------------------------------------------------------
def data_dir() -> Path:
    """The real data folder, from VAGVAL_DATA_DIR or ../shared/data beside the repository."""
    default = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    return Path(os.environ.get("VAGVAL_DATA_DIR", str(default)))


def load_real_ads(path: Path | None = None) -> list[dict[str, Any]]:
    path = path or data_dir() / REAL_ADS_FILE
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def real_ad_id(ad: dict[str, Any]) -> str:
    return str(ad["url"]).rstrip("/").rsplit("/", 1)[-1]


def _shingles(text: str, k: int = 5) -> set[str]:
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}


# The same role word in Swedish and English ("Java-utvecklare" = "Java Developer").
_TITLE_SYNONYMS = {"utvecklare": "developer", "ingenjör": "engineer", "konsult": "consultant"}


def _title_words(title: str) -> frozenset[str]:
    return frozenset(_TITLE_SYNONYMS.get(w, w) for w in _WORD.findall(title.lower()))


def titles_compatible(a: str, b: str) -> bool:
    """One title's words contain the other's ("Senior X" vs "Senior X till Y")."""
    wa, wb = _title_words(a), _title_words(b)
    return bool(wa) and bool(wb) and (wa <= wb or wb <= wa)


def real_duplicate_groups(ads: list[dict[str, Any]], threshold: float = 0.5) -> list[int]:
    """Ground-truth job index per real ad (the smallest ad index of its group).

    Same job = texts overlap (5-shingle Jaccard >= threshold) and titles compatible. Pairs are
    found through an inverted index of shingles; shingles in more than 60 ads (boilerplate) do
    not propose pairs on their own.
    """
    sets = [_shingles(ad["description"]) for ad in ads]
    index: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for g in s:
            index[g].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for ids in index.values():
        if 1 < len(ids) <= 60:
            for a, b in itertools.combinations(ids, 2):
                shared[(a, b)] += 1
    parent = list(range(len(ads)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, b), n in shared.items():
        jaccard = n / (len(sets[a]) + len(sets[b]) - n)
        if jaccard >= threshold and titles_compatible(ads[a]["title"], ads[b]["title"]):
            ra, rb = find(a), find(b)
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(len(ads))]


def split_paragraphs(text: str, target: int = 280) -> list[str]:
    """Cut an ad text into paragraph-sized pieces (lines, or sentences when it has no lines)."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if len(lines) < 3:
        lines = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    out: list[str] = []
    buf: list[str] = []
    size = 0
    for line in lines:
        buf.append(line)
        size += len(line)
        if size >= target:
            out.append("\n".join(buf))
            buf, size = [], 0
    if buf:
        if out and size < target // 3:
            out[-1] = out[-1] + "\n" + "\n".join(buf)
        else:
            out.append("\n".join(buf))
    return out


def language(text: str) -> str:
    words = _WORD.findall(text.lower()[:2000])
    sv = sum(w in _SV_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    return "sv" if sv >= en else "en"


def role_family(title: str) -> str:
    t = f" {title.lower()} "
    for family, keys in ROLE_FAMILIES.items():
        if any(k in t for k in keys):
            return family
    return "dev"


def load_municipalities(path: Path | None = None) -> list[Municipality]:
    path = path or data_dir() / MUNICIPALITIES_FILE
    with path.open(encoding="utf-8") as fh:
        return [
            Municipality(
                code=r["municipality_code"],
                concept_id=r["municipality_concept_id"],
                name=r["municipality"],
                region_code=r["region_code"],
                region_concept_id=r["region_concept_id"],
                region=r["region"],
            )
            for r in csv.DictReader(fh)
        ]


def load_occupations(path: Path | None = None) -> dict[str, tuple[str, str]]:
    """Family -> (occupation-name concept id, label), looked up in the real taxonomy."""
    path = path or data_dir() / SSYK_FILE
    if not path.exists():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        concepts = json.load(fh)["data"]["concepts"]
    labels: dict[str, str] = {}
    stack = list(concepts)
    while stack:
        c = stack.pop()
        if c.get("type") == "occupation-name":
            labels[c["preferred_label"]] = c["id"]
        stack.extend(c.get("narrower") or [])
    return {
        fam: (labels[label], label)
        for fam, label in FAMILY_OCCUPATION_LABEL.items()
        if label in labels
    }


# --------------------------------------------------------------------------------------------
# Generated names and boilerplate
# --------------------------------------------------------------------------------------------
_NAME_HEADS = [
    "Nord",
    "Syd",
    "Väst",
    "Öst",
    "Berg",
    "Sjö",
    "Stads",
    "Data",
    "Tekno",
    "Info",
    "Kod",
    "Moln",
    "Fin",
    "Med",
    "Bygg",
    "Energi",
    "Logi",
    "Agil",
    "Kvant",
    "Lumen",
    "Polar",
    "Fjäll",
    "Skog",
    "Hav",
    "Ström",
    "Gran",
    "Ek",
    "Björk",
    "Lind",
    "Sol",
    "Vind",
    "Stjärn",
    "Kraft",
    "Bro",
    "Hamn",
    "Kust",
    "Dal",
    "Älv",
    "Mälar",
    "Vänern",
    "Gota",
    "Svea",
    "Norr",
    "Aros",
    "Linné",
    "Tegel",
    "Smide",
    "Vasa",
    "Birka",
    "Runa",
]
_NAME_TAILS = [
    "data",
    "tech",
    "soft",
    "logic",
    "vision",
    "system",
    "konsult",
    "gruppen",
    "partner",
    "labs",
    "works",
    "nätet",
    "link",
    "cloud",
    "sec",
    "byrån",
    "digital",
    "metrics",
]
_NAME_WORDS = [
    "Digital",
    "Consulting",
    "Solutions",
    "Nordic",
    "Scandinavia",
    "Engineering",
    "Analytics",
    "Health",
    "Finance",
    "Mobility",
    "Energy",
    "Retail",
    "Security",
    "Cloud",
    "Software",
    "Industri",
    "Logistik",
    "Media",
    "Bank",
    "Försäkring",
]
_LEGAL = ("AB", "AB", "AB", "Sverige AB", "Group AB", "i Sverige AB", "Nordic AB", "")
_INDUSTRIES_SV = (
    "fintech",
    "e-handel",
    "medicinteknik",
    "fordonsindustrin",
    "energibranschen",
    "telekom",
    "offentlig sektor",
    "logistik",
    "spelbranschen",
    "försäkring",
    "detaljhandel",
    "media",
)
_INDUSTRIES_EN = (
    "fintech",
    "e-commerce",
    "medtech",
    "automotive",
    "energy",
    "telecom",
    "the public sector",
    "logistics",
    "gaming",
    "insurance",
    "retail",
    "media",
)
_FIRST = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Johan",
    "Sara",
    "Anders",
    "Emma",
    "Mikael",
    "Elin",
    "Fredrik",
    "Sofia",
    "Jonas",
    "Linnea",
    "Oskar",
    "Hanna",
    "Daniel",
    "Ida",
    "Patrik",
    "Maja",
    "Henrik",
    "Amir",
    "Fatima",
    "Ali",
    "Noor",
]
_LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Lindberg",
    "Lindqvist",
    "Berg",
    "Holm",
    "Ek",
    "Sandberg",
    "Öberg",
    "Ahmed",
    "Hassan",
    "Nyström",
]
_RECRUITERS = (
    "Rekryteringspartner Norden AB",
    "TalentBro Rekrytering AB",
    "Konsultkraft Bemanning AB",
    "Jobbify",
    "Nordic Tech Search AB",
    "Kompetenslänken AB",
    "Headhunt Stockholm AB",
    "Bemanningsbolaget Sverige AB",
)
_INTRO_SV = (
    "{name} är ett växande bolag inom {industry} med cirka {size} medarbetare. Sedan {year} "
    "hjälper vi våra kunder att förenkla vardagen med smarta digitala lösningar, och vi har "
    "kontor i {city}.",
    "Om {name}\nVi är {size} engagerade kollegor som sedan {year} bygger tjänster för "
    "{industry}. Hos oss får du arbeta i en platt organisation med korta beslutsvägar och stort "
    "eget ansvar.",
    "På {name} tror vi på att människor utvecklas bäst tillsammans. Vi verkar inom {industry} "
    "och har vuxit till {size} medarbetare sedan starten {year}, med huvudkontor i {city}.",
    "{name} grundades {year} och är idag en av de ledande aktörerna inom {industry} i Sverige. "
    "Vi är {size} medarbetare som brinner för teknik, kvalitet och nöjda kunder.",
)
_INTRO_EN = (
    "{name} is a fast-growing company in {industry} with around {size} employees. Since {year} "
    "we have helped our customers with smart digital solutions, from our office in {city}.",
    "About {name}\nWe are {size} passionate people who have been building products for "
    "{industry} since {year}. You will join a flat organisation with short decision paths.",
    "At {name} we believe people grow best together. We work in {industry} and have grown to "
    "{size} colleagues since we started in {year}, headquartered in {city}.",
    "Founded in {year}, {name} is one of the leading players in {industry} in Sweden. We are "
    "{size} employees who care about technology, quality and happy customers.",
)
_OUTRO_SV = (
    "Välkommen med din ansökan!",
    "Vi tillämpar löpande urval, så skicka gärna in din ansökan redan idag. Sista "
    "ansökningsdag är {deadline}.",
    "Har du frågor om tjänsten är du välkommen att kontakta {contact}, rekryterande chef, på "
    "[e-post borttagen]. Varmt välkommen med din ansökan senast {deadline}!",
    "Tjänsten är en tillsvidareanställning på heltid med placering i {city}. Vi ser fram emot "
    "din ansökan!",
    "Låter det intressant? Skicka in ditt CV redan idag, vi intervjuar löpande.",
)
_OUTRO_EN = (
    "We look forward to receiving your application!",
    "We review applications continuously, so apply today. Last day to apply is {deadline}.",
    "Questions about the role? Contact {contact}, hiring manager, at [e-post borttagen]. "
    "Apply by {deadline}!",
    "This is a permanent full-time position based in {city}. We look forward to hearing from you!",
    "Sounds interesting? Send us your CV today, we interview on a rolling basis.",
)
_APPENDIX_SV = (
    "Vi undanber oss vänligen men bestämt alla erbjudanden om annonserings- och rekryteringshjälp.",
    "Dina personuppgifter behandlas i enlighet med dataskyddsförordningen (GDPR) och sparas "
    "endast så länge rekryteringen pågår.",
    "Inför anställning genomför vi bakgrundskontroll och kan komma att begära utdrag ur "
    "belastningsregistret.",
    "Vi värdesätter de kvaliteter som mångfald tillför och välkomnar sökande oavsett kön, "
    "ålder, etnicitet eller funktionsvariation.",
    "Förmåner: friskvårdsbidrag på 5 000 kr, tjänstepension, flexibla arbetstider och "
    "möjlighet till distansarbete två dagar i veckan.",
)
_APPENDIX_EN = (
    "We kindly decline all offers of advertising and recruitment help.",
    "Your personal data is processed in line with the GDPR and kept only while the "
    "recruitment is open.",
    "A background check is part of our hiring process for this role.",
    "We value diversity and welcome applicants regardless of gender, age, ethnicity or disability.",
    "Benefits: wellness allowance, occupational pension, flexible hours and the option to work "
    "remotely two days a week.",
)
_SENIORITY = {
    "sv": ("Senior ", "Junior ", "Erfaren ", "Lead "),
    "en": ("Senior ", "Junior ", "Lead ", "Principal "),
}
_TITLE_CUT = re.compile(r"\s+(?:till|to|at|hos|på|för|för att|[-–|])\s+.*$", re.IGNORECASE)


def _luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def org_number(rng: random.Random) -> str:
    """A syntactically valid Swedish organisation number for a limited company (5xxxxxxxxx)."""
    body = "5" + "".join(rng.choice("0123456789") for _ in range(8))
    return body + _luhn_digit(body)


def _slug(name: str) -> str:
    ascii_name = name.lower().translate(str.maketrans("åäöéü", "aaoeu"))
    return re.sub(r"[^a-z0-9]+", "", ascii_name.replace(" ab", "").replace("sverige", ""))[:24]


def _employer(rng: random.Random, name: str, cities: list[str], org: bool = True) -> Employer:
    fill = {
        "name": name.replace(" AB", "").strip(),
        "size": rng.choice((12, 25, 40, 60, 85, 120, 250, 400, 900, 2500, 12000)),
        "year": rng.randint(1962, 2021),
        "city": rng.choice(cities),
    }
    slug = _slug(name) or "foretaget"
    return Employer(
        name=name,
        org_number=org_number(rng) if org else None,
        slug=slug,
        intro_sv=rng.choice(_INTRO_SV).format(industry=rng.choice(_INDUSTRIES_SV), **fill),
        intro_en=rng.choice(_INTRO_EN).format(industry=rng.choice(_INDUSTRIES_EN), **fill),
        website=f"https://www.{slug}.se",
    )


def _employer_names(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        head = rng.choice(_NAME_HEADS) + rng.choice(_NAME_TAILS)
        name = head.capitalize()
        if rng.random() < 0.45:
            name += " " + rng.choice(_NAME_WORDS)
        legal = rng.choice(_LEGAL)
        name = f"{name} {legal}".strip()
        if name not in names:
            names.add(name)
            out.append(name)
    return out


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------
class CorpusBuilder:
    """Plans jobs and ads from the real data, then renders and writes them."""

    def __init__(self, *, seed: int, reference_date: dt.date) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = reference_date
        self.real_ads = load_real_ads()
        self.municipalities = load_municipalities()
        self.occupations = load_occupations()
        self._by_name = {m.name: m for m in self.municipalities}
        # Cumulative weights: random.choices() would otherwise re-add them on every call.
        self._muni_cum = list(
            itertools.accumulate(self._municipality_weight(m) for m in self.municipalities)
        )
        self.jobs: list[Job] = []
        self._analyse_real()

    # --- real data --------------------------------------------------------------------------
    @staticmethod
    def _municipality_weight(m: Municipality) -> float:
        big = {
            "Stockholm": 30.0,
            "Göteborg": 12.0,
            "Malmö": 7.0,
            "Uppsala": 4.0,
            "Linköping": 3.0,
            "Solna": 3.0,
            "Västerås": 2.0,
            "Örebro": 2.0,
            "Lund": 2.0,
            "Umeå": 1.5,
            "Jönköping": 1.5,
            "Sundbyberg": 1.5,
            "Norrköping": 1.5,
        }
        return big.get(m.name, 0.08)

    def _real_municipality(self, company: str) -> Municipality:
        tail = company.rsplit(" -  ", 1)[-1].strip()
        if tail in self._by_name:
            return self._by_name[tail]
        for m in self.municipalities:  # the scraper cut some names ("Stockhol")
            if tail and m.name.startswith(tail):
                return m
        return self._by_name["Stockholm"]

    def _analyse_real(self) -> None:
        groups = real_duplicate_groups(self.real_ads)
        self.real_group = groups
        # Paragraph pools by (family, language), for recombination into new jobs.
        self.pool: dict[tuple[str, str], list[list[str]]] = defaultdict(list)
        self.titles: dict[tuple[str, str], list[str]] = defaultdict(list)
        counts: dict[str, int] = defaultdict(int)
        paras = [split_paragraphs(ad["description"]) for ad in self.real_ads]
        for ps in paras:
            for p in ps:
                counts[p] += 1
        seen_groups: set[int] = set()
        for i, ad in enumerate(self.real_ads):
            if groups[i] in seen_groups:
                continue
            seen_groups.add(groups[i])
            key = (role_family(ad["title"]), language(ad["description"]))
            # Paragraphs that many ads share are boilerplate, not job content.
            content = [p for p in paras[i] if counts[p] == 1 and len(p) > 60]
            if len(content) >= 2:
                self.pool[key].append(content)
            title = _TITLE_CUT.sub("", ad["title"]).strip(" !-–")
            if 3 <= len(title) <= 60:
                self.titles[key].append(title)
        # Families too small to recombine fall back to the language's whole pool.
        for lang in ("sv", "en"):
            merged = [d for (_f, lg), ds in self.pool.items() if lg == lang for d in ds]
            self.pool[("*", lang)] = merged
            self.titles[("*", lang)] = [
                t for (_f, lg), ts in self.titles.items() if lg == lang for t in ts
            ]
        self.real_employers = sorted(
            {ad["company"].rsplit(" -  ", 1)[0].strip() for ad in self.real_ads}
        )

    # --- jobs -------------------------------------------------------------------------------
    def _dates(self, rng: random.Random) -> tuple[dt.date, dt.date]:
        published = self.today - dt.timedelta(days=rng.randint(0, 20))
        return published, published + dt.timedelta(days=rng.randint(14, 45))

    def real_jobs(self) -> list[int]:
        """One Job per real duplicate group; its real ads are emitted verbatim."""
        by_group: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for i, ad in enumerate(self.real_ads):
            by_group[self.real_group[i]].append(ad)
        out = []
        for g in sorted(by_group):
            ads = by_group[g]
            first = ads[0]
            rng = random.Random(f"{self.seed}-real-{g}")
            published, deadline = self._dates(rng)
            name = first["company"].rsplit(" -  ", 1)[0].strip()
            cities = [self._real_municipality(first["company"]).name]
            job = Job(
                id=f"R{real_ad_id(first)}",
                lang=language(first["description"]),
                family=role_family(first["title"]),
                title=first["title"],
                employer=_employer(rng, name, cities, org=False),
                municipality=self._real_municipality(first["company"]),
                intro=None,
                paragraphs=split_paragraphs(first["description"]),
                outro=None,
                published=published,
                deadline=deadline,
                apply_url=first["link_to_apply"]
                if str(first["link_to_apply"]).startswith("http")
                else f"https://arbetsformedlingen.se{first['url']}",
                omfattning=first.get("omfattning") or "Heltid",
                varaktighet=first.get("varaktighet") or "Tillsvidare",
                real_ads=ads,
            )
            out.append(len(self.jobs))
            self.jobs.append(job)
        return out

    def _title(
        self, rng: random.Random, key: tuple[str, str], employer: Employer, muni: Municipality
    ) -> str:
        titles = self.titles.get(key) or self.titles[("*", key[1])]
        title = rng.choice(titles)
        r = rng.random()
        if r < 0.25 and not title.lower().startswith(("senior", "junior", "lead", "erfaren")):
            title = (
                rng.choice(_SENIORITY[key[1]]) + title[0].lower() + title[1:]
                if key[1] == "sv"
                else rng.choice(_SENIORITY[key[1]]) + title
            )
        elif r < 0.40:
            word = "till" if key[1] == "sv" else "at"
            title = f"{title} {word} {employer.name.replace(' AB', '')}"
        elif r < 0.50:
            title = f"{title} – {muni.name}"
        return title

    def new_job(
        self,
        rng: random.Random,
        employers: list[Employer],
        cum_weights: list[float],
        sibling_of: Job | None = None,
        template: bool = False,
    ) -> int:
        if sibling_of is not None:
            employer, lang = sibling_of.employer, sibling_of.lang
            family = sibling_of.family if template else rng.choice(list(FAMILY_OCCUPATION_LABEL))
        else:
            employer = rng.choices(employers, cum_weights=cum_weights)[0]
            lang = "sv" if rng.random() < 0.6 else "en"
            family = rng.choice(list(FAMILY_OCCUPATION_LABEL))
        key = (family, lang)
        donors_pool = self.pool.get(key) if len(self.pool.get(key, ())) >= 6 else None
        donors_pool = donors_pool or self.pool[("*", lang)]
        muni = (
            sibling_of.municipality
            if sibling_of and rng.random() < 0.7
            else rng.choices(self.municipalities, cum_weights=self._muni_cum)[0]
        )
        published, deadline = self._dates(rng)
        if template and sibling_of is not None:
            # The consultancy pattern: one text, a different role swapped in for about a third
            # to a half of the paragraphs, under another title.
            paragraphs = list(sibling_of.paragraphs)
            have = set(paragraphs)
            k = max(1, (len(paragraphs) * rng.randint(35, 50)) // 100)
            fresh = [p for d in rng.sample(donors_pool, 3) for p in d if p not in have]
            at = rng.randrange(len(paragraphs) - k + 1)
            paragraphs[at : at + k] = fresh[: k + 1]
            intro, outro = sibling_of.intro, sibling_of.outro
            kind = "template_sibling"
        else:
            # Each donor gives at most half of its content, so no job is close to one real ad.
            paragraphs = []
            donors = rng.sample(donors_pool, k=min(len(donors_pool), rng.choice((3, 4, 4, 5))))
            for donor in donors:
                run = rng.randint(1, max(1, len(donor) // 2))
                start = rng.randrange(len(donor) - run + 1)
                paragraphs.extend(donor[start : start + run])
            rng.shuffle(paragraphs)
            intro = employer.intro_sv if lang == "sv" else employer.intro_en
            outros = _OUTRO_SV if lang == "sv" else _OUTRO_EN
            if sibling_of is not None:
                outro = sibling_of.outro
                kind = "employer_sibling"
            else:
                outro = rng.choice(outros).format(
                    deadline=deadline.isoformat(),
                    city=muni.name,
                    contact=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                )
                kind = "new"
        title = self._title(rng, key, employer, muni)
        while sibling_of is not None and titles_compatible(title, sibling_of.title):
            title = self._title(rng, ("*", lang), employer, muni)
        job = Job(
            id=f"S{len(self.jobs):06d}",
            lang=lang,
            family=family,
            title=title,
            employer=employer,
            municipality=muni,
            intro=intro,
            paragraphs=paragraphs,
            outro=outro,
            published=published,
            deadline=deadline,
            apply_url=f"{employer.website}/jobb/{len(self.jobs)}",
            omfattning="Heltid" if rng.random() < 0.95 else "Deltid",
            varaktighet="Tillsvidare" if rng.random() < 0.9 else "6 månader eller längre",
            kind=kind,
            sibling_of=sibling_of.id if sibling_of else None,
        )
        self.jobs.append(job)
        return len(self.jobs) - 1

    # --- plan -------------------------------------------------------------------------------
    def _copy_variant(self, rng: random.Random, source: str) -> tuple[str, ...]:
        kinds = list(PERTURBATION_WEIGHTS)
        weights = list(PERTURBATION_WEIGHTS.values())
        first = rng.choices(kinds, weights)[0]
        if first == "wrapper_html" and source == "platsbanken-web":
            first = "wrapper_jobsafari"  # the scraped Platsbanken text is always plain
        variant = [first]
        if first != "repost" and rng.random() < 0.3:
            second = rng.choices(kinds, weights)[0]
            if second not in variant and second not in ("repost", "wrapper_html"):
                variant.append(second)
        if rng.random() < 0.25:
            variant.append("title")
        if rng.random() < 0.15 and "wrapper_recruiter" not in variant:
            variant.append("employer_name")
        return tuple(variant)

    def plan(
        self, n_base: int, n_delta: int, delta_source: str | None = "jobtech"
    ) -> list[PlannedAd]:
        rng = self.rng
        sources, source_w = list(SOURCE_WEIGHTS), list(SOURCE_WEIGHTS.values())
        copies, copies_w = list(COPIES_WEIGHTS), list(COPIES_WEIGHTS.values())
        cities = [m.name for m in self.municipalities]
        names = _employer_names(rng, max(200, n_base // 6))
        employers = [_employer(rng, name, cities) for name in names]
        # A few big employers post a lot: Zipf-like weights.
        weights = [1.0 / (1 + rank) ** 0.9 for rank in range(len(employers))]
        # Real employer names appear in new jobs too (without an organisation number).
        employers += [_employer(rng, name, cities, org=False) for name in self.real_employers]
        weights += [weights[len(weights) // 2]] * len(self.real_employers)
        emp_cum = list(itertools.accumulate(weights))

        base: list[PlannedAd] = []

        def pick_source(part: str) -> str:
            # The daily delta is Platsbanken's feed (JobStream): all of it in the jobtech shape.
            if part == "delta" and delta_source:
                return delta_source
            return rng.choices(sources, source_w)[0]

        def add_copies(job_idx: int, n: int, part: str, into: list[PlannedAd]) -> None:
            for _ in range(n):
                source = pick_source(part)
                variant = self._copy_variant(rng, source)
                into.append(PlannedAd(job_idx, source, variant, rng.getrandbits(32), part))

        for idx in self.real_jobs():
            # Real ads are emitted verbatim, one planned slot each, at render time.
            for _ad in self.jobs[idx].real_ads:
                base.append(PlannedAd(idx, "platsbanken-web", ("real",), 0, "base"))
            if rng.random() < SHARE_REAL_JOB_COPIES:
                add_copies(idx, rng.choices(copies, copies_w)[0], "base", base)

        def make_jobs(target: int, part: str, into: list[PlannedAd]) -> None:
            recent: list[int] = []
            while len(into) < target:
                r = rng.random()
                sibling = None
                template = False
                if recent and r < SHARE_EMPLOYER_SIBLINGS + SHARE_TEMPLATE_SIBLINGS:
                    sibling = self.jobs[rng.choice(recent[-500:])]
                    template = r < SHARE_TEMPLATE_SIBLINGS
                idx = self.new_job(rng, employers, emp_cum, sibling, template)
                recent.append(idx)
                source = pick_source(part)
                into.append(PlannedAd(idx, source, ("original",), rng.getrandbits(32), part))
                extra = rng.choices(copies, copies_w)[0] - 1
                add_copies(idx, min(extra, target - len(into)), part, into)

        make_jobs(n_base, "base", base)
        base = base[:n_base]
        n_base_jobs = len(self.jobs)
        delta: list[PlannedAd] = []
        n_reposts = int(n_delta * SHARE_DELTA_REPOSTS)
        base_jobs = sorted({p.job for p in base})
        for _ in range(n_reposts):
            add_copies(rng.choice(base_jobs), 1, "delta", delta)
        make_jobs(n_delta, "delta", delta)
        delta = delta[:n_delta]
        self.n_base_jobs = n_base_jobs
        # Arrival order: shuffled, so a repost rarely sits next to its original.
        rng.shuffle(base)
        rng.shuffle(delta)
        return base + delta

    # --- rendering --------------------------------------------------------------------------
    @staticmethod
    def _typos(rng: random.Random, text: str, rate: float) -> str:
        words = text.split(" ")
        for i, w in enumerate(words):
            if len(w) > 3 and w.isalpha() and rng.random() < rate:
                j = rng.randrange(len(w) - 1)
                op = rng.random()
                if op < 0.4:
                    w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
                elif op < 0.7:
                    w = w[:j] + w[j + 1 :]
                else:
                    w = w[:j] + w[j] + w[j:]
                words[i] = w
        out = " ".join(words)
        return out.replace("  ", " ").replace(" ,", ",")

    def render_text(
        self, job: Job, variant: tuple[str, ...], rng: random.Random
    ) -> tuple[str, str, str, bool]:
        """Description, title and advertiser name of one ad of `job`, and whether it is HTML."""
        intro, paragraphs, outro = job.intro, list(job.paragraphs), job.outro
        title, employer = job.title, job.employer.name
        lang = job.lang
        header: list[str] = []
        footer: list[str] = []
        for kind in variant:
            if kind == "reorder" and len(paragraphs) > 1:
                head = paragraphs[:1] if rng.random() < 0.5 else []
                rest = paragraphs[len(head) :]
                rng.shuffle(rest)
                paragraphs = head + rest
            elif kind == "boilerplate":
                intros = _INTRO_SV if lang == "sv" else _INTRO_EN
                outros = _OUTRO_SV if lang == "sv" else _OUTRO_EN
                fill = {
                    "name": employer.replace(" AB", ""),
                    "size": rng.randint(10, 5000),
                    "year": rng.randint(1960, 2021),
                    "city": job.municipality.name,
                    "industry": rng.choice(_INDUSTRIES_SV if lang == "sv" else _INDUSTRIES_EN),
                }
                r = rng.random()
                if r < 0.4 or intro is None:
                    intro = rng.choice(intros).format(**fill)
                elif r < 0.6:
                    intro = None
                if r >= 0.3:
                    outro = rng.choice(outros).format(
                        deadline=job.deadline.isoformat(),
                        city=job.municipality.name,
                        contact=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                    )
            elif kind == "trim" and paragraphs:
                if len(paragraphs) >= 4 and rng.random() < 0.6:
                    drop = rng.randint(1, max(1, len(paragraphs) // 4))
                    paragraphs = paragraphs[:-drop]
                    outro = None
                else:
                    text = "\n\n".join(paragraphs)
                    cut = int(len(text) * rng.uniform(0.75, 0.9))
                    cut = text.rfind(" ", 0, cut)
                    paragraphs = [text[:cut].rstrip() + " …"]
                    outro = None
            elif kind == "append":
                extra = _APPENDIX_SV if lang == "sv" else _APPENDIX_EN
                footer.extend(rng.sample(extra, k=rng.randint(1, 2)))
            elif kind == "wrapper_jobsafari":
                header.append(
                    f"Hittad via Jobbsafari: {title}, {employer}, {job.municipality.name}"
                )
                footer.append(
                    "Annonsen har hämtats automatiskt från arbetsgivarens "
                    "webbplats. Ansök via länken nedan."
                )
            elif kind == "wrapper_recruiter":
                agency = rng.choice(_RECRUITERS)
                contact = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
                if rng.random() < 0.5:
                    header.append(
                        f"För kunds räkning söker vi nu: {title}. Vår kund är {employer}."
                        if lang == "sv"
                        else f"On behalf of our client {employer} we are looking for: {title}."
                    )
                    employer = agency  # the recruiter is the advertiser
                footer.append(
                    f"I denna rekrytering samarbetar {job.employer.name} med "
                    f"{agency}. Frågor besvaras av {contact}, rekryteringskonsult, "
                    f"[telefon borttaget]."
                )
            elif kind == "typo":
                paragraphs = [self._typos(rng, p, 0.03) for p in paragraphs]
            elif kind == "title":
                r = rng.random()
                if r < 0.3:
                    title = title.upper() if len(title) < 30 else title.lower()
                elif r < 0.6:
                    title = f"{title} ({job.omfattning.lower()})"
                elif r < 0.8:
                    title = title.replace("-", " ").replace("–", "-")
                    title = f"{title}, {job.municipality.name}"
                else:
                    title = (
                        re.sub(r"^Senior\s", "Sr. ", title)
                        if title.startswith("Senior")
                        else f"{title} sökes"
                    )
            elif kind == "employer_name":
                name = employer
                r = rng.random()
                if r < 0.35:
                    employer = name.upper()
                elif r < 0.7:
                    employer = (
                        re.sub(r"\s+(AB|Sverige AB|i Sverige AB|Nordic AB|Group AB)$", "", name)
                        or name
                    )
                else:
                    employer = (
                        f"{name.replace(' AB', '')} Sverige AB" if "Sverige" not in name else name
                    )
        blocks = header + [p for p in (intro, *paragraphs, outro) if p] + footer
        if "wrapper_html" in variant:
            body = "".join(f"<p>{html.escape(b).replace(chr(10), '<br>')}</p>" for b in blocks)
            text = (
                f'<div class="jobad-page"><nav>Hem &raquo; Lediga jobb &raquo; '
                f"{html.escape(job.municipality.name)}</nav><h1>{html.escape(title)}</h1>"
                f'<div class="jobad-body">{body}</div><aside>Dela annonsen: LinkedIn | '
                f"Facebook | E-post</aside><footer>&copy; {self.today.year} "
                f"Jobbportalen.se &nbsp;|&nbsp; Cookies</footer></div>"
            )
            return text, title, employer, True
        return "\n\n".join(blocks), title, employer, False


# --------------------------------------------------------------------------------------------
# Writers per source format
# --------------------------------------------------------------------------------------------
def _concept(cid: str, label: str, legacy: str = "1") -> dict[str, str]:
    return {"concept_id": cid, "label": label, "legacy_ams_taxonomy_id": legacy}


class Writer:
    """Streams ads to one JSONL file per (part, source) and the ground truth to truth.jsonl."""

    def __init__(self, out_dir: Path, builder: CorpusBuilder) -> None:
        self.out = out_dir
        self.b = builder
        self.files: dict[str, dict[str, Path]] = {}
        self.handles: dict[tuple[str, str], TextIO] = {}
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.next_id = {"platsbanken-web": 40_000_000, "jobtech": 50_000_000, "jobposting": 1}
        self.truth = (out_dir / "truth.jsonl").open("w", encoding="utf-8")
        self._real_cursor: dict[int, int] = defaultdict(int)

    def _fh(self, part: str, source: str) -> TextIO:
        key = (part, source)
        if key not in self.handles:
            path = self.out / part / f"{source}.jsonl"
            path.parent.mkdir(parents=True, exist_ok=True)
            self.handles[key] = path.open("w", encoding="utf-8")
            self.files.setdefault(part, {})[source] = path
        return self.handles[key]

    def close(self) -> None:
        for fh in self.handles.values():
            fh.close()
        self.truth.close()

    def write(self, ad: PlannedAd) -> None:
        job = self.b.jobs[ad.job]
        if ad.variant == ("real",):
            real = job.real_ads[self._real_cursor[ad.job]]
            self._real_cursor[ad.job] += 1
            record: dict[str, Any] = real
            source_id, url = real_ad_id(real), str(real["url"])
        else:
            rng = random.Random(ad.seed)
            text, title, employer, is_html = self.b.render_text(job, ad.variant, rng)
            n = self.next_id[ad.source]
            self.next_id[ad.source] += 1
            published = job.published + dt.timedelta(
                days=0 if ad.variant == ("original",) else rng.randint(0, 4)
            )
            published = min(published, self.b.today)
            if ad.source == "platsbanken-web":
                source_id, url = str(n), f"/platsbanken/annonser/{n}"
                record = self._platsbanken(job, text, title, employer, url)
            elif ad.source == "jobtech":
                source_id = str(n)
                url = f"https://arbetsformedlingen.se/platsbanken/annonser/{n}"
                record = self._jobtech(
                    job, text, title, employer, source_id, url, published, is_html
                )
            else:
                source_id = f"{job.employer.slug}-{n}"
                url = f"{job.employer.website}/lediga-jobb/{n}"
                record = self._jobposting(
                    job, text, title, employer, source_id, url, published, is_html
                )
        self._fh(ad.part, ad.source).write(json.dumps(record, ensure_ascii=False) + "\n")
        self.counts[ad.part][ad.source] += 1
        self.truth.write(
            json.dumps(
                {
                    "source": ad.source,
                    "source_id": source_id,
                    "url": url,
                    "job": job.id,
                    "variant": "+".join(ad.variant),
                    "part": ad.part,
                    "job_kind": job.kind,
                    "sibling_of": job.sibling_of,
                },
                ensure_ascii=False,
            )
            + "\n"
        )

    def _platsbanken(
        self, job: Job, text: str, title: str, employer: str, url: str
    ) -> dict[str, Any]:
        location = job.municipality.region.removesuffix(" län").removesuffix("s")
        return {
            "title": title,
            "company": f"{employer} -  {job.municipality.name}",
            "location": location,
            "url": url,
            "omfattning": job.omfattning,
            "varaktighet": job.varaktighet,
            "anställningsform": "Tillsvidare- eller tidsbegränsad anställning",
            "link_to_apply": job.apply_url,
            "description": text,
        }

    def _jobtech(
        self,
        job: Job,
        text: str,
        title: str,
        employer: str,
        ad_id: str,
        url: str,
        published: dt.date,
        is_html: bool,
    ) -> dict[str, Any]:
        m = job.municipality
        occ = self.b.occupations.get(job.family)
        plain = re.sub(r"<[^>]+>", "\n", text) if is_html else text
        org = (
            job.employer.org_number
            if employer == job.employer.name
            or employer.lower().startswith(job.employer.name.lower()[:6])
            else None
        )
        return {
            "id": ad_id,
            "external_id": None,
            "original_id": None,
            "label": "[]",
            "webpage_url": url,
            "logo_url": None,
            "headline": title,
            "application_deadline": f"{job.deadline.isoformat()}T23:59:59",
            "number_of_vacancies": 1,
            "description": {
                "text": html.unescape(plain),
                "text_formatted": text,
                "company_information": None,
                "needs": None,
                "requirements": None,
                "conditions": f"{job.omfattning}\r\n{job.varaktighet}",
            },
            "employment_type": _concept("PFZr_Syz_cUq", "Vanlig anställning"),
            "salary_type": _concept("oG8G_9cW_nRf", "Fast månads- vecko- eller timlön"),
            "salary_description": None,
            "duration": _concept("a7uU_j21_mkL", "Tills vidare"),
            "working_hours_type": _concept("6YE1_gAC_R2G", "Heltid"),
            "scope_of_work": {"min": 100, "max": 100},
            "access": None,
            "employer": {
                "phone_number": None,
                "email": None,
                "url": job.employer.website,
                "organization_number": org,
                "name": employer,
                "workplace": employer,
            },
            "application_details": {
                "information": None,
                "reference": None,
                "email": None,
                "via_af": False,
                "url": job.apply_url,
                "other": None,
            },
            "experience_required": True,
            "access_to_own_car": False,
            "driving_license_required": False,
            "driving_license": None,
            "occupation": _concept(occ[0], occ[1]) if occ else None,
            "occupation_group": None,
            "occupation_field": None,
            "workplace_address": {
                "municipality": m.name,
                "municipality_code": m.code,
                "municipality_concept_id": m.concept_id,
                "region": m.region,
                "region_code": m.region_code,
                "region_concept_id": m.region_concept_id,
                "country": "Sverige",
                "country_code": "199",
                "country_concept_id": "i46j_HmG_v64",
                "street_address": None,
                "postcode": None,
                "city": None,
                "coordinates": [None, None],
            },
            "must_have": {
                "skills": [],
                "languages": [],
                "work_experiences": [],
                "education": [],
                "education_level": [],
            },
            "nice_to_have": {
                "skills": [],
                "languages": [],
                "work_experiences": [],
                "education": [],
                "education_level": [],
            },
            "application_contacts": [],
            "publication_date": f"{published.isoformat()}T08:00:00",
            "last_publication_date": f"{job.deadline.isoformat()}T23:59:59",
            "removed": False,
            "removed_date": None,
            "source_type": "VIA_PLATSBANKEN_DXA",
            "timestamp": int(dt.datetime.combine(published, dt.time(8)).timestamp() * 1000),
        }

    def _jobposting(
        self,
        job: Job,
        text: str,
        title: str,
        employer: str,
        ident: str,
        url: str,
        published: dt.date,
        is_html: bool,
    ) -> dict[str, Any]:
        m = job.municipality
        if not is_html:  # career pages publish HTML descriptions
            text = "".join(
                f"<p>{html.escape(b).replace(chr(10), '<br>')}</p>" for b in text.split("\n\n")
            )
        return {
            "@context": "https://schema.org",
            "@type": "JobPosting",
            "title": title,
            "description": text,
            "identifier": {"@type": "PropertyValue", "name": employer, "value": ident},
            "datePosted": published.isoformat(),
            "validThrough": f"{job.deadline.isoformat()}T23:59:59+02:00",
            "employmentType": "FULL_TIME" if job.omfattning == "Heltid" else "PART_TIME",
            "hiringOrganization": {
                "@type": "Organization",
                "name": employer,
                "sameAs": job.employer.website,
            },
            "jobLocation": {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": m.name,
                    "addressRegion": m.region,
                    "addressCountry": "SE",
                },
            },
            "url": url,
            "directApply": False,
        }


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------
def build_corpus(
    out_dir: Path,
    *,
    n: int = 100_000,
    delta: int = 2_500,
    seed: int = 20230814,
    reference_date: dt.date | None = None,
    delta_source: str | None = "jobtech",
) -> CorpusInfo:
    """Write N base ads and `delta` extra ads with ground truth into `out_dir`.

    The delta comes from `delta_source` only (Platsbanken's daily feed), or from all three
    sources when it is None.
    """
    if n < 1000:
        raise ValueError("n must be at least 1000 (the real ads alone are 790)")
    start = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    builder = CorpusBuilder(seed=seed, reference_date=reference_date or dt.date.today())
    plan = builder.plan(n, delta, delta_source)
    writer = Writer(out_dir, builder)
    try:
        for ad in plan:
            writer.write(ad)
    finally:
        writer.close()
    info = CorpusInfo(
        out_dir=out_dir,
        n_base=n,
        n_delta=delta,
        jobs=len(builder.jobs),
        seconds=time.perf_counter() - start,
        files=writer.files,
        truth_path=out_dir / "truth.jsonl",
        counts={p: dict(c) for p, c in writer.counts.items()},
    )
    (out_dir / "manifest.json").write_text(json.dumps(info.manifest(), indent=2) + "\n")
    return info


def ensure_corpus(folder: Path, *, n: int, delta: int = 2_500, seed: int = 20230814) -> CorpusInfo:
    """The corpus for (n, delta, seed, today) under `folder`, built only if not there yet."""
    today = dt.date.today()
    out = folder / f"corpus-{n}-{delta}-{seed}-{today.isoformat()}"
    manifest = out / "manifest.json"
    if manifest.exists():
        m = json.loads(manifest.read_text())
        return CorpusInfo(
            out_dir=out,
            n_base=m["n_base"],
            n_delta=m["n_delta"],
            jobs=m["jobs"],
            seconds=m["seconds"],
            files={p: {s: Path(f) for s, f in d.items()} for p, d in m["files"].items()},
            truth_path=Path(m["truth"]),
            counts=m["counts"],
        )
    return build_corpus(out, n=n, delta=delta, seed=seed, reference_date=today)


def read_truth(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def truth_pairs(labels: Iterable[str]) -> int:
    """Number of same-job pairs among ads labelled with these job ids."""
    sizes: dict[str, int] = defaultdict(int)
    for label in labels:
        sizes[label] += 1
    return sum(s * (s - 1) // 2 for s in sizes.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="ads in the base corpus")
    parser.add_argument("--delta", type=int, default=2_500, help="ads in the daily delta")
    parser.add_argument("--seed", type=int, default=20230814)
    parser.add_argument(
        "--date", type=dt.date.fromisoformat, default=None, help="reference date (default: today)"
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    args = parser.parse_args(argv)
    info = build_corpus(
        args.out, n=args.n, delta=args.delta, seed=args.seed, reference_date=args.date
    )
    print(json.dumps(info.manifest(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
