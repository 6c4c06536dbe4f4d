"""Occupation suggestions: occupations ranked for a client profile or for a free text.

Two models, both rebuilt from the taxonomy (and the ad index) on first use and cached per
process; nothing is trained offline or committed:

`OccupationTextModel` (free text -> SSYK-4 groups and occupation names). The ads we have carry
no occupation labels, so it is built from what names occupations: taxonomy occupation names,
their synonyms and misspellings (ConceptTerm), keywords pointing at occupations, the SSYK-4
and related ISCO-4 definitions. Three signals are summed per SSYK-4 group:

* title: the first line of the text (an ad's headline, a CV's title line) cut into word spans,
  each compared with every occupation term by character n-gram TF-IDF, which tolerates
  inflection, compounds and typos ("Sjuksköterskor", "Frontendtvecklare"); strongest weight,
  as the title is the best evidence of the occupation;
* mentions: occupation terms found anywhere in the text by the taxonomy's ConceptMatcher
  (whole words, lemmatised), counted;
* description: word TF-IDF cosine between the text and each group's definitions and terms.

`occupations_suggest` (profile -> occupations) adds skill overlap with each occupation's skill
profile (how often each skill appears in the ads of that occupation, from the ad index),
substitutability from the occupations held, transitions people actually make (SCB flows),
regional demand (2024 ads in the client's regions) and drivers fit (salary), with reasons.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from vagval.matching.feed import AdIndex
from vagval.matching.labour_market import LabourMarket, get_labour_market
from vagval.matching.taxonomy_view import TaxonomyView, get_taxonomy_view
from vagval.matching.types import MatchProfile, OccupationSuggestion, Reason, SkillRef

logger = logging.getLogger(__name__)

TERM_KIND_WEIGHT = {
    "label": 1.0,
    "synonym": 1.0,
    "label-part": 0.95,
    "misspelling": 0.9,
    "keyword": 0.5,
    "english": 0.95,
}
ENGLISH_TITLES = Path(__file__).resolve().parent / "data" / "english_titles.json"
TITLE_MIN_SIM = 0.5  # below this a span and a term are not the same title
TITLE_WEIGHT = 3.0
MENTION_WEIGHT = 1.0
DOC_WEIGHT = 1.0
MAX_TITLE_CHARS = 160
MAX_SPAN_WORDS = 4

_WORD_RE = re.compile(r"[\wåäöÅÄÖéü#+.-]+", re.UNICODE)
_TITLE_NOISE = re.compile(
    r"\b(söker|sökes|till|för|hos|vi|i|på|med|inom|at|for|to|in|with|and|och)\b", re.I
)


def _norm(text: str) -> str:
    return " ".join(_WORD_RE.findall(text.lower().replace("/", " / ")))


@dataclass
class TextPrediction:
    """Scores per SSYK-4 group for one text, with the evidence behind them."""

    group_scores: np.ndarray  # per group (model.groups order)
    title: np.ndarray
    mentions: np.ndarray
    doc: np.ndarray
    best_occupation: dict[int, tuple[int, float]]  # group -> (occupation idx, score)
    title_terms: dict[int, str]  # group -> the term the title matched
    mention_terms: dict[int, tuple[str, int]]  # group -> (label, count)


class OccupationTextModel:
    """Free text -> SSYK-4 groups and occupation names (see the module docstring)."""

    def __init__(self, view: TaxonomyView) -> None:
        self.view = view
        self.groups: list[str] = sorted(view.group_code)
        self.group_index = {g: i for i, g in enumerate(self.groups)}
        self.occs: list[str] = sorted(
            o for o in view.occupation_label if view.occupation_group.get(o) in self.group_index
        )
        self.occ_index = {o: i for i, o in enumerate(self.occs)}
        self.occ_group = np.array(
            [self.group_index[view.occupation_group[o]] for o in self.occs], dtype=np.int32
        )
        # Title terms: every name of an occupation or group, normalised and de-duplicated.
        seen: dict[tuple[str, int, int], float] = {}
        kinds: dict[tuple[str, int, int], str] = {}
        for term, cid, kind in [*view.terms, *self._english_terms()]:
            norm = _norm(term)
            if len(norm) < 3:
                continue
            if cid in self.occ_index:
                occ = self.occ_index[cid]
                grp = int(self.occ_group[occ])
            elif cid in self.group_index:
                occ, grp = -1, self.group_index[cid]
            else:
                continue
            key = (norm, grp, occ)
            weight = TERM_KIND_WEIGHT.get(kind, 0.8)
            if weight > seen.get(key, 0.0):
                seen[key] = weight
                kinds[key] = kind
        keys = sorted(seen)
        self.term_text = [k[0] for k in keys]
        self.term_group = np.array([k[1] for k in keys], dtype=np.int32)
        self.term_occ = np.array([k[2] for k in keys], dtype=np.int32)
        self.term_weight = np.array([seen[k] for k in keys], dtype=np.float32)
        self.term_kind = [kinds[k] for k in keys]
        self.char_vec = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
        )
        self.TM = sp.csr_matrix(self.char_vec.fit_transform(self.term_text).T)  # feats x terms
        # Group documents: definitions, ISCO texts, and every name in the group.
        names: dict[int, list[str]] = defaultdict(list)
        for text, grp in zip(self.term_text, self.term_group.tolist(), strict=True):
            names[grp].append(text)
        docs = []
        for i, gid in enumerate(self.groups):
            parts = [view.group_label.get(gid, ""), view.group_definition.get(gid, "")]
            parts.extend(view.group_isco_text.get(gid, []))
            parts.extend(names.get(i, []))
            docs.append(" ".join(parts))
        self.doc_vec = TfidfVectorizer(
            sublinear_tf=True,
            min_df=1,
            max_df=0.3,
            dtype=np.float32,
            token_pattern=r"(?u)\b\w\w+\b",  # noqa: S106 - a regex, not a password
        )
        self.D = sp.csr_matrix(self.doc_vec.fit_transform(docs).T)  # words x groups
        self.matcher = self._build_matcher()

    def _english_terms(self) -> list[tuple[str, str, str]]:
        """English titles from data/english_titles.json, as terms of their occupation."""
        by_label: dict[str, str] = {}
        for occ in self.occs:
            by_label.setdefault(self.view.occupation_label[occ], occ)
        terms = []
        for title, label in json.loads(ENGLISH_TITLES.read_text(encoding="utf-8")).items():
            if not title.startswith("_") and label in by_label:
                terms.append((title, by_label[label], "english"))
        return terms

    def _build_matcher(self) -> object | None:
        try:
            from vagval.taxonomy.textmatch import ConceptMatcher
        except ImportError:
            return None
        rows = []
        for term, cid, kind in self.view.terms:
            if cid in self.occ_index and kind != "keyword":
                rows.append((cid, "occupation-name", self.view.occupation_label[cid], term))
        return ConceptMatcher("matching", rows)

    # --- prediction ------------------------------------------------------------------------

    @staticmethod
    def title_of(text: str) -> str:
        """The first non-empty line (an ad's headline), cut to a title's length."""
        for line in text.splitlines():
            line = line.strip()
            if line:
                words = line[:MAX_TITLE_CHARS].split()
                return " ".join(words[:16])
        return ""

    def _title_scores(self, title: str) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
        """Per group and per occupation: the best weighted similarity of a title span."""
        g_scores = np.zeros(len(self.groups), dtype=np.float32)
        o_scores = np.zeros(len(self.occs), dtype=np.float32)
        matched: dict[int, str] = {}
        words = _norm(_TITLE_NOISE.sub(" | ", title)).split()
        if not words:
            return g_scores, o_scores, matched
        # Spans never cross a noise word ("söker", "till", ...): "Motor Trend söker
        # fordonstekniker till Karlstad" gives spans within "motor trend", "fordonstekniker" and
        # "karlstad" only.
        segments: list[list[str]] = [[]]
        for w in words:
            if w == "|":
                segments.append([])
            else:
                segments[-1].append(w)
        spans = []
        for seg in segments:
            for n in range(1, min(MAX_SPAN_WORDS, len(seg)) + 1):
                for i in range(len(seg) - n + 1):
                    spans.append(" ".join(seg[i : i + n]))
        spans = list(dict.fromkeys(s for s in spans if len(s) >= 3))
        if not spans:
            return g_scores, o_scores, matched
        S = self.char_vec.transform(spans)
        sims = (S @ self.TM).toarray()  # spans x terms
        best_span = sims.argmax(axis=0)
        best = sims.max(axis=0)
        # Longer spans that match are stronger evidence than a single common word.
        span_len = np.array([len(s) for s in spans], dtype=np.float32)[best_span]
        length_factor = np.minimum(1.0, 0.6 + span_len / 25.0)
        ok = best >= TITLE_MIN_SIM
        score = np.where(ok, (best**2) * self.term_weight * length_factor, 0.0)
        np.maximum.at(g_scores, self.term_group, score)
        occ_terms = self.term_occ >= 0
        np.maximum.at(o_scores, self.term_occ[occ_terms], score[occ_terms])
        for t in np.argsort(-score)[:20].tolist():
            if score[t] <= 0:
                break
            matched.setdefault(int(self.term_group[t]), self.term_text[t])
        return g_scores, o_scores, matched

    def predict(self, text: str, *, title: str | None = None) -> TextPrediction:
        """Group scores for `text`; `title` defaults to its first line."""
        title = self.title_of(text) if title is None else title
        g_title, o_title, title_terms = self._title_scores(title)
        g_mention = np.zeros(len(self.groups), dtype=np.float32)
        o_mention = np.zeros(len(self.occs), dtype=np.float32)
        mention_terms: dict[int, tuple[str, int]] = {}
        if self.matcher is not None:
            for hit in self.matcher.find(text, types=frozenset({"occupation-name"})):  # type: ignore[attr-defined]
                occ = self.occ_index.get(hit.concept_id)
                if occ is None:
                    continue
                grp = int(self.occ_group[occ])
                value = math.log1p(hit.count)
                o_mention[occ] += value
                g_mention[grp] += value
                if grp not in mention_terms or mention_terms[grp][1] < hit.count:
                    mention_terms[grp] = (hit.matched, hit.count)
        if g_mention.max() > 0:
            scale = g_mention.max()
            g_mention /= scale
            o_mention /= scale
        q = self.doc_vec.transform([text])
        g_doc = (q @ self.D).toarray().ravel()
        if g_doc.max() > 0:
            g_doc = g_doc / g_doc.max()
        scores = TITLE_WEIGHT * g_title + MENTION_WEIGHT * g_mention + DOC_WEIGHT * g_doc**2
        occ_score = TITLE_WEIGHT * o_title + MENTION_WEIGHT * o_mention
        best_occ: dict[int, tuple[int, float]] = {}
        order = np.argsort(-occ_score)
        for o in order.tolist():
            if occ_score[o] <= 0:
                break
            best_occ.setdefault(int(self.occ_group[o]), (o, float(occ_score[o])))
        return TextPrediction(
            group_scores=scores,
            title=g_title,
            mentions=g_mention,
            doc=g_doc,
            best_occupation=best_occ,
            title_terms=title_terms,
            mention_terms=mention_terms,
        )

    def representative(self, grp: int) -> int:
        """The occupation that stands for a group when the text named none of its members:
        the one whose name is closest to the group's label."""
        members = np.flatnonzero(self.occ_group == grp)
        if len(members) == 0:
            return -1
        label = self.view.group_label.get(self.groups[grp], "")
        vecs = self.char_vec.transform([self.view.occupation_label[self.occs[m]] for m in members])
        sims = (vecs @ self.char_vec.transform([label]).T).toarray().ravel()
        return int(members[int(np.argmax(sims))])


_lock = threading.Lock()
_model: OccupationTextModel | None = None
_model_version = ""


def get_text_model() -> OccupationTextModel:
    """The process-wide text model, rebuilt when the taxonomy view changes."""
    global _model, _model_version
    view = get_taxonomy_view()
    with _lock:
        if _model is None or _model_version != view.version():
            _model = OccupationTextModel(view)
            _model_version = view.version()
        return _model


def reset_text_model() -> None:
    global _model
    with _lock:
        _model = None


# --- free text -> occupations (the CLI) -------------------------------------------------------


def occupations_from_text(
    *, text: str, top: int = 10, level: str = "occupation-name", title: str | None = None
) -> list[OccupationSuggestion]:
    """Occupations for a free text (a CV, an ad), one per SSYK-4 group, best first.

    With `level="ssyk-level-4"` the groups themselves are returned.
    """
    if level not in ("occupation-name", "ssyk-level-4"):
        raise ValueError("level must be 'occupation-name' or 'ssyk-level-4'")
    model = get_text_model()
    pred = model.predict(text, title=title)
    order = np.argsort(-pred.group_scores, kind="stable")
    out: list[OccupationSuggestion] = []
    for grp in order[:top].tolist():
        score = float(pred.group_scores[grp])
        if score <= 0:
            break
        out.append(_text_suggestion(model, pred, grp, score, level))
    return out


def _text_suggestion(
    model: OccupationTextModel, pred: TextPrediction, grp: int, score: float, level: str
) -> OccupationSuggestion:
    view = model.view
    gid = model.groups[grp]
    reasons: list[Reason] = []
    if grp in pred.title_terms:
        term = pred.title_terms[grp]
        reasons.append(
            Reason(
                "title",
                f"Rubriken stämmer med yrkesbenämningen ”{term}”",
                f"The title matches the occupation name “{term}”",
                TITLE_WEIGHT * float(pred.title[grp]),
            )
        )
    if grp in pred.mention_terms:
        term, count = pred.mention_terms[grp]
        times = "gång" if count == 1 else "gånger"
        reasons.append(
            Reason(
                "mentions",
                f"Texten nämner ”{term}” ({count} {times})",
                f"The text mentions “{term}” ({count}×)",
                MENTION_WEIGHT * float(pred.mentions[grp]),
            )
        )
    if pred.doc[grp] >= 0.5:
        reasons.append(
            Reason(
                "description",
                f"Texten liknar beskrivningen av {view.group_label[gid].lower()}",
                f"The text resembles the description of {view.group_label[gid]}",
                DOC_WEIGHT * float(pred.doc[grp]) ** 2,
            )
        )
    reasons.sort(key=lambda r: -r.weight)
    if level == "ssyk-level-4":
        cid, label = gid, view.group_label[gid]
    else:
        occ = pred.best_occupation.get(grp, (model.representative(grp), 0.0))[0]
        cid = model.occs[occ] if occ >= 0 else gid
        label = view.occupation_label.get(cid, view.group_label[gid])
    return OccupationSuggestion(
        concept_id=cid,
        label=label,
        level=level,
        ssyk=view.group_code[gid],
        group_id=gid,
        score=score,
        reasons=reasons,
    )


# --- profile -> occupations (step 3) ----------------------------------------------------------

PROFILE_WEIGHTS = {
    "skill": 2.5,
    "related": 1.2,
    "same_group": 0.6,
    "transition": 0.8,
    "text": 1.0,
    "demand": 0.6,
    "salary": 0.5,
}
MIN_ADS_FOR_PROFILE = 5  # fewer ads than this: use the whole SSYK-4 group's skill profile
TOP_SKILLS = 15
MISSING_SHOWN = 5


@dataclass
class SkillProfiles:
    """How often each skill appears in the ads of each occupation (and SSYK-4 group)."""

    skill_ids: list[str]
    share: sp.csr_matrix  # occupations (model order) x skills: share of the ads naming it
    weight: np.ndarray  # idf per skill: specific skills say more than "svenska"
    n_ads: np.ndarray  # ads per occupation (model order)


def skill_profiles(index: AdIndex, model: OccupationTextModel) -> SkillProfiles:
    """Occupation skill profiles from the ad index (cached on the index)."""
    cached = getattr(index, "_skill_profiles", None)
    if cached is not None and cached[0] is model:
        return cached[1]  # type: ignore[no-any-return]
    off_s, off_o = index.offsets["skill_n"], index.offsets["occ"]
    S = index.X[:, off_s : off_s + len(index.skills)]
    occ_block = index.X[:, off_o : off_o + len(index.occupations)]
    # Map the index's occupation columns onto the model's occupation order.
    cols = np.array([model.occ_index.get(o, -1) for o in index.occupations.ids], dtype=np.int64)
    keep = np.flatnonzero(cols >= 0)
    if len(index.occupations):
        M = sp.csr_matrix(
            (np.ones(len(keep), dtype=np.float32), (keep, cols[keep])),
            shape=(len(index.occupations), len(model.occs)),
        )
        occ_ads = sp.csr_matrix(occ_block @ M)  # ads x model occupations
    else:  # no ad names an occupation (e.g. ads loaded before the taxonomy): empty profiles
        occ_ads = sp.csr_matrix((index.X.shape[0], len(model.occs)), dtype=np.float32)
    counts = sp.csr_matrix(occ_ads.T @ S)  # occupations x skills
    n_occ = np.asarray(occ_ads.sum(axis=0)).ravel()
    # Occupations with few ads borrow their group's profile.
    G = sp.csr_matrix(
        (np.ones(len(model.occs), dtype=np.float32), (np.arange(len(model.occs)), model.occ_group)),
        shape=(len(model.occs), len(model.groups)),
    )
    g_counts = sp.csr_matrix(G.T @ counts)
    g_n = np.asarray(G.T @ n_occ).ravel()
    few = n_occ < MIN_ADS_FOR_PROFILE
    counts = counts.tolil()
    member_counts = sp.csr_matrix(G @ g_counts)
    for o in np.flatnonzero(few).tolist():  # loops over rare occupations, not over ads
        counts[o] = member_counts[o]
    n_eff = np.where(few, G @ g_n, n_occ)
    share = sp.diags((1.0 / np.maximum(n_eff, 1)).astype(np.float32)) @ sp.csr_matrix(counts)
    weight = np.log((1.0 + index.n_ads) / (1.0 + np.asarray(S.sum(axis=0)).ravel())) + 1.0
    profiles = SkillProfiles(
        skill_ids=list(index.skills.ids),
        share=sp.csr_matrix(share, dtype=np.float32),
        weight=weight.astype(np.float32),
        n_ads=n_eff,
    )
    index._skill_profiles = (model, profiles)  # type: ignore[attr-defined]
    return profiles


def occupations_suggest(
    *,
    profile: MatchProfile,
    top: int = 10,
    level: str = "occupation-name",
    index: AdIndex | None = None,
    market: LabourMarket | None = None,
) -> list[OccupationSuggestion]:
    """Occupations ranked for a client, one per SSYK-4 group, each with reasons, the skills
    the client has and the skills it lacks, and its demand and salary figures."""
    if level not in ("occupation-name", "ssyk-level-4"):
        raise ValueError("level must be 'occupation-name' or 'ssyk-level-4'")
    model = get_text_model()
    view = model.view
    market = market if market is not None else get_labour_market()
    if index is None:
        from vagval.matching.feed import get_ad_index

        index = get_ad_index()
    n_occ = len(model.occs)
    occ_group = model.occ_group
    feats: dict[str, np.ndarray] = {k: np.zeros(n_occ, dtype=np.float32) for k in PROFILE_WEIGHTS}

    # Skill overlap: the share of the occupation's (specificity-weighted) skill profile held.
    profiles = skill_profiles(index, model) if index.n_ads else None
    if profiles is not None and profile.skills:
        col = {s: i for i, s in enumerate(profiles.skill_ids)}
        p = np.zeros(len(profiles.skill_ids), dtype=np.float32)
        for sid, level_ in profile.skills.items():
            if sid in col:
                p[col[sid]] = min(max(float(level_), 0.0), 1.0)
        weighted = profiles.share @ sp.diags(profiles.weight)
        total = np.asarray(weighted.sum(axis=1)).ravel()
        feats["skill"] = np.where(total > 0, (weighted @ p) / np.maximum(total, 1e-9), 0.0)

    held = [o for o in profile.occupations_held if o in model.occ_index]
    held_groups = {int(occ_group[model.occ_index[o]]) for o in held}
    related_from: dict[int, tuple[str, float]] = {}
    for src, tgt, w in view.substitutes:
        if src in profile.occupations_held and tgt in model.occ_index:
            o = model.occ_index[tgt]
            if w > related_from.get(o, ("", 0.0))[1]:
                related_from[o] = (src, w)
    for o, (_src, w) in related_from.items():
        feats["related"][o] = w
    for g in held_groups:
        feats["same_group"][occ_group == g] = 1.0
    transition_from: dict[int, str] = {}
    code_group = {code: model.group_index[g] for g, code in view.group_code.items()
                  if g in model.group_index}  # fmt: skip
    for g in held_groups:
        code = view.group_code[model.groups[g]]
        moves = market.transitions(code)
        if not moves:
            continue
        top_count = moves[0][1]
        for dest, count in moves:
            dg = code_group.get(dest)
            if dg is None or dg == g:
                continue
            value = count / top_count
            mask = occ_group == dg
            feats["transition"][mask] = np.maximum(feats["transition"][mask], value)
            transition_from.setdefault(dg, model.groups[g])
    text_pred = None
    if profile.free_text.strip():
        text_pred = model.predict(profile.free_text)
        gs = text_pred.group_scores
        if gs.max() > 0:
            feats["text"] = (gs / gs.max())[occ_group]
    regions = tuple(profile.regions) or tuple(
        sorted({view.municipality_region[m] for m in profile.municipalities
                if m in view.municipality_region})
    )  # fmt: skip
    demand_g = np.array([market.demand_score(g, regions) for g in model.groups], np.float32)
    feats["demand"] = demand_g[occ_group]
    means = np.array(
        [market.salary(view.group_code[g])[1] or 0 for g in model.groups], dtype=np.float32
    )
    if means.max() > 0 and profile.drivers.get("salary", 0) > 0:
        feats["salary"] = (means / means.max())[occ_group] * float(profile.drivers["salary"])

    relevant = (feats["skill"] > 0) | (feats["related"] > 0) | (feats["same_group"] > 0)
    relevant |= (feats["transition"] > 0) | (feats["text"] > 0.2)
    score = sum(PROFILE_WEIGHTS[k] * v for k, v in feats.items())
    score = np.where(relevant, score, -np.inf)
    order = np.argsort(-score, kind="stable")
    out: list[OccupationSuggestion] = []
    used_groups: set[int] = set()
    for o in order.tolist():
        if not np.isfinite(score[o]) or len(out) >= top:
            break
        g = int(occ_group[o])
        if g in used_groups:
            continue
        used_groups.add(g)
        out.append(
            _profile_suggestion(
                model,
                o,
                float(score[o]),
                feats,
                profile,
                profiles,
                market,
                regions,
                related_from,
                transition_from,
                level,
            )
        )
    return out


def _profile_suggestion(
    model: OccupationTextModel,
    o: int,
    score: float,
    feats: dict[str, np.ndarray],
    profile: MatchProfile,
    profiles: SkillProfiles | None,
    market: LabourMarket,
    regions: tuple[str, ...],
    related_from: dict[int, tuple[str, float]],
    transition_from: dict[int, str],
    level: str,
) -> OccupationSuggestion:
    view = model.view
    oid = model.occs[o]
    g = int(model.occ_group[o])
    gid = model.groups[g]
    code = view.group_code[gid]
    reasons: list[Reason] = []
    matched: list[SkillRef] = []
    missing: list[SkillRef] = []
    if profiles is not None:
        row = profiles.share.getrow(o)
        ranked = sorted(
            zip(row.indices.tolist(), (row.data * profiles.weight[row.indices]).tolist(),
                row.data.tolist(), strict=True),
            key=lambda t: -t[1],
        )[:TOP_SKILLS]  # fmt: skip
        for col, _w, share in ranked:
            sid = profiles.skill_ids[col]
            ref = SkillRef(sid, view.skill_label.get(sid, sid))
            if sid in profile.skills:
                matched.append(ref)
            elif share >= 0.1 and len(missing) < MISSING_SHOWN:
                missing.append(ref)
    w = PROFILE_WEIGHTS
    if matched:
        n_top = min(TOP_SKILLS, len(matched) + len(missing)) if missing else len(matched)
        reasons.append(
            Reason(
                "skills",
                f"Du har {len(matched)} av de {max(n_top, len(matched))} vanligaste "
                "kompetenserna i yrket",
                f"You have {len(matched)} of the {max(n_top, len(matched))} most common "
                "skills in this occupation",
                w["skill"] * float(feats["skill"][o]),
            )
        )
    if o in related_from:
        src, pct = related_from[o]
        label = view.occupation_label.get(src, "")
        reasons.append(
            Reason(
                "related",
                f"Arbetsgivare ser det som närliggande ditt yrke {label.lower()}",
                f"Employers see it as close to your occupation {label.lower()}",
                w["related"] * pct,
            )
        )
    elif feats["same_group"][o] > 0:
        label = view.group_label[gid]
        reasons.append(
            Reason(
                "same_group",
                f"Samma yrkesgrupp som du arbetat i: {label}",
                f"The occupation group you have worked in: {label}",
                w["same_group"],
            )
        )
    if g in transition_from:
        src_label = view.group_label[transition_from[g]]
        reasons.append(
            Reason(
                "transition",
                f"En vanlig väg för personer från {src_label.lower()} (SCB)",
                f"A common move for people from {src_label.lower()} (Statistics Sweden)",
                w["transition"] * float(feats["transition"][o]),
            )
        )
    if feats["text"][o] > 0.5:
        reasons.append(
            Reason(
                "text",
                "Stämmer med det du har skrivit",
                "Fits what you have written",
                w["text"] * float(feats["text"][o]),
            )
        )
    demand: dict[str, object] = {}
    n_ads = market.ads(gid, regions)
    if n_ads is not None:
        demand["ads_2024"] = n_ads
        demand["ads_by_region"] = market.ads_by_region(gid)
        where_sv = "i dina län" if regions else "i Sverige"
        where_en = "in your regions" if regions else "in Sweden"
        reasons.append(
            Reason(
                "demand",
                f"{n_ads} annonser {where_sv} under 2024",
                f"{n_ads} ads {where_en} in 2024",
                w["demand"] * float(feats["demand"][o]),
            )
        )
    p10, mean, p90 = market.salary(code)
    if mean:
        demand["salary"] = {"p10": p10, "mean": mean, "p90": p90}
        reasons.append(
            Reason(
                "salary",
                f"Medellön {mean:,} kr i månaden (SCB 2023)".replace(",", " "),
                f"Average salary SEK {mean:,} a month (Statistics Sweden 2023)",
                w["salary"] * float(feats["salary"][o]),
            )
        )
    if oid in profile.occupations_held:
        reasons.insert(0, Reason("current", "Ditt nuvarande yrke", "Your current occupation", 0))
    reasons.sort(key=lambda r: -r.weight)
    cid, label = (gid, view.group_label[gid]) if level == "ssyk-level-4" else (
        oid, view.occupation_label[oid])  # fmt: skip
    return OccupationSuggestion(
        concept_id=cid,
        label=label,
        level=level,
        ssyk=code,
        group_id=gid,
        score=score,
        reasons=reasons,
        matched_skills=matched,
        missing_skills=missing,
        demand=demand,
    )
