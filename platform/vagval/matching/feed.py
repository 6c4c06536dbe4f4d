"""Feed ranking: every active ad scored for a client with a few sparse products, no loop over ads.

The `AdIndex` turns the active ads into precomputed matrices once per ad-set version:

* `XT`, a features x ads CSR matrix (an inverted index) stacking blocks for skills weighted by
  specificity (idf over the ad corpus, scaled so an ad's weights sum to 1), skills as 0/1 (to
  count matches), occupation names, SSYK-4 groups, municipalities and regions;
* `TT`, a terms x ads TF-IDF matrix of headline and description (hashed words, corpus-wide
  common words dropped), l2-normalised per ad;
* dense per-ad vectors: publication time, deadline, remote, full/part time, employment type.

A `MatchProfile` becomes a small query matrix `Q` (one row per raw feature). `Q @ XT` walks only
the postings of the profile's own skills, occupations and places, and `q_text @ TT` only those
of its words, so the cost follows what the client has, not the catalogue size. The raw features
are combined with the weights in `DEFAULT_WEIGHTS` (the one place to tune them, or to load
weights fitted by `learn.fit_feature_weights`), hard filters (hidden, expired, outside an
"only remote" wish) set a score to -inf, and `argpartition` picks the top k. Reasons are
written only for those k.

`feed_rank_many` does the same for many clients at once (the nightly batch): their query rows
are stacked into one matrix, so one sparse product serves a whole chunk of clients.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from django.utils import timezone
from sklearn.feature_extraction.text import HashingVectorizer

from vagval.matching.taxonomy_view import TaxonomyView, get_taxonomy_view
from vagval.matching.types import Hours, MatchProfile, RankedAd, Reason, RemoteWish

logger = logging.getLogger(__name__)

# --- the features and their hand-set weights ---------------------------------------------------

FEATURES: tuple[str, ...] = (
    "skill_coverage",  # share of the ad's skills (weighted by specificity) the client has
    "skill_count",  # 1 - exp(-matched / 4): saturating number of matched skills
    "occ_target",  # the ad's occupation is one the client targets
    "group_target",  # the ad's SSYK-4 group is a target group (or a target occupation's)
    "occ_related",  # substitutable with a target or held occupation (JobTech percentages)
    "occ_held",  # an occupation the client has worked in
    "group_held",  # the SSYK-4 group of an occupation the client has worked in
    "text",  # TF-IDF cosine between the profile's words and the ad
    "place",  # same municipality 1, within commute falling with distance, same region 0.5
    "remote",  # the ad allows remote work and the client wants that
    "recency",  # exp(-age / 10 days)
    "outside_area",  # client gave places, the ad is in none of them and is not remote
    "hours_mismatch",  # client wants part time and the ad is full time only, or the reverse
    "employment_mismatch",  # the ad's employment type is not one the client accepts
)
N_FEATURES = len(FEATURES)
FEATURE_INDEX = {name: i for i, name in enumerate(FEATURES)}
# Column numbers used when writing reasons (looked up once, not per ad).
_F_SKILL_COVERAGE = FEATURE_INDEX["skill_coverage"]
_F_SKILL_COUNT = FEATURE_INDEX["skill_count"]
_F_OCC_TARGET = FEATURE_INDEX["occ_target"]
_F_GROUP_TARGET = FEATURE_INDEX["group_target"]
_F_OCC_RELATED = FEATURE_INDEX["occ_related"]
_F_OCC_HELD = FEATURE_INDEX["occ_held"]
_F_GROUP_HELD = FEATURE_INDEX["group_held"]
_F_TEXT = FEATURE_INDEX["text"]
_F_PLACE = FEATURE_INDEX["place"]
_F_REMOTE = FEATURE_INDEX["remote"]
REMOTE_PARTLY = 0.5  # the remote feature of a hybrid ad
_F_RECENCY = FEATURE_INDEX["recency"]
_F_HOURS = FEATURE_INDEX["hours_mismatch"]

DEFAULT_WEIGHTS: dict[str, float] = {
    "skill_coverage": 1.5,
    "skill_count": 1.5,
    "occ_target": 1.0,
    "group_target": 1.2,
    "occ_related": 0.8,
    "occ_held": 0.5,
    "group_held": 0.4,
    "text": 2.0,
    "place": 1.0,
    "remote": 0.6,
    "recency": 0.4,
    "outside_area": -2.0,
    "hours_mismatch": -1.0,
    "employment_mismatch": -0.8,
}

# Raw rows of the query matrix (each becomes one row of Q @ XT).
_RAW = ("skill_w", "skill_n", "occ_target", "occ_related", "occ_held", "group_target",
        "group_held")  # fmt: skip
_R = {name: i for i, name in enumerate(_RAW)}
# An ad is a candidate when it shares one of these with the profile (or enough words).
_RELEVANT = ("skill_n", "occ_target", "group_target", "occ_related", "occ_held", "group_held")
# Cosine similarities between a short profile text and a long ad are small; scaled so that a
# cosine of 0.2 (a strong match in practice) counts fully.
TEXT_SCALE = 5.0
TEXT_RELEVANT = 0.25
TEXT_REASON = 0.5
N_RAW = len(_RAW)

RECENCY_DAYS = 10.0
TEXT_QUERY_TERMS = 40  # a profile's text is cut to its strongest terms: bounded postings
COMMON_TERM_SHARE = 0.25  # words in more than this share of ads say nothing about a match
COMMON_TERM_MIN_ADS = 200
TEXT_CHARS = 2000  # headline plus the start of the description is where the job is described
SAME_REGION = 0.5
NEW_WITHIN = dt.timedelta(hours=24)
VERSION_TTL_SECONDS = 30.0

_vectorizer = HashingVectorizer(
    n_features=2**18,
    alternate_sign=False,
    norm=None,
    lowercase=True,
    token_pattern=r"(?u)\b\w[\w#+]*",  # noqa: S106 - a regex, not a password
    dtype=np.float32,
)


def vectorize_text(texts: Sequence[str]) -> sp.csr_matrix:
    """Hashed word counts of texts (the same hashing for ads and profiles)."""
    return sp.csr_matrix(_vectorizer.transform(texts), dtype=np.float32)


# --- ads -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AdRecord:
    """What ranking needs of one ad (built from `JobAd` rows or synthetically)."""

    ad_id: str
    occupation_ids: tuple[str, ...] = ()
    skill_ids: tuple[str, ...] = ()
    municipality_id: str = ""
    region_id: str = ""
    published_at: dt.datetime | None = None
    deadline: dt.datetime | None = None
    headline: str = ""
    text: str = ""
    remote: bool = False
    remote_partly: bool = False  # hybrid: some days away, the rest at the workplace
    hours: Hours = Hours.ANY  # ANY = not stated
    employment_type: str = ""


class _Vocab:
    """Concept id <-> column number for one block."""

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self.index: dict[str, int] = {}
        self.ids: list[str] = []
        for cid in ids:
            self.add(cid)

    def add(self, cid: str) -> int:
        col = self.index.get(cid)
        if col is None:
            col = self.index[cid] = len(self.ids)
            self.ids.append(cid)
        return col

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class AdIndex:
    """The active ads as matrices; see the module docstring."""

    version: str
    ad_ids: list[str]
    row_of: dict[str, int]
    XT: sp.csr_matrix  # features x ads
    X: sp.csr_matrix  # ads x features (the same data, for per-ad reasons)
    TT: sp.csr_matrix  # terms x ads
    text_idf: np.ndarray  # per hashed term; 0 for corpus-common words
    offsets: dict[str, int]
    skills: _Vocab
    occupations: _Vocab
    groups: _Vocab
    municipalities: _Vocab
    regions: _Vocab
    published: np.ndarray  # epoch seconds, float64; NaN when unknown
    deadline: np.ndarray  # epoch seconds; +inf when none
    remote: np.ndarray  # float32 0/1
    full_time: np.ndarray  # bool: the ad is full time only
    part_time: np.ndarray  # bool: the ad is part time only
    employment: np.ndarray  # int32 index into employment_types, -1 unknown
    employment_types: _Vocab
    ad_occupation: np.ndarray  # int32 column of the first occupation, -1 none
    ad_group: np.ndarray  # int32 column of the first occupation's group, -1 none
    ad_municipality: np.ndarray  # int32, -1 none
    ad_region: np.ndarray  # int32, -1 none
    muni_distance: np.ndarray  # municipalities x municipalities km (NaN unknown)
    related: dict[str, dict[str, float]]  # occupation -> substitutable occupations with weight
    occupation_group: dict[str, str]
    labels: dict[str, str]  # concept id -> Swedish label, for reasons
    labels_en: dict[str, str] = field(default_factory=dict)
    built_at: float = field(default_factory=time.time)
    _local: threading.local = field(default_factory=threading.local, repr=False)

    @property
    def n_ads(self) -> int:
        return len(self.ad_ids)

    # --- building ---------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        records: Sequence[AdRecord],
        *,
        taxonomy: TaxonomyView | None = None,
        version: str = "",
    ) -> AdIndex:
        """Build the matrices for `records` (one pass over the ads, then vectorised work)."""
        tax = taxonomy if taxonomy is not None else get_taxonomy_view()
        n = len(records)
        skills, occs, groups = _Vocab(), _Vocab(), _Vocab()
        munis = _Vocab(sorted(tax.municipality_label))
        regions = _Vocab(sorted(tax.region_label))
        emp_types = _Vocab()

        s_rows: list[int] = []
        s_cols: list[int] = []
        o_rows: list[int] = []
        o_cols: list[int] = []
        g_rows: list[int] = []
        g_cols: list[int] = []
        published = np.full(n, np.nan)
        deadline = np.full(n, np.inf)
        remote = np.zeros(n, dtype=np.float32)
        full_time = np.zeros(n, dtype=bool)
        part_time = np.zeros(n, dtype=bool)
        employment = np.full(n, -1, dtype=np.int32)
        ad_occ = np.full(n, -1, dtype=np.int32)
        ad_group = np.full(n, -1, dtype=np.int32)
        ad_muni = np.full(n, -1, dtype=np.int32)
        ad_region = np.full(n, -1, dtype=np.int32)
        texts: list[str] = []
        ad_ids: list[str] = []

        for i, ad in enumerate(records):
            ad_ids.append(ad.ad_id)
            for sid in dict.fromkeys(ad.skill_ids):
                s_rows.append(i)
                s_cols.append(skills.add(sid))
            seen_groups: set[int] = set()
            for j, oid in enumerate(dict.fromkeys(ad.occupation_ids)):
                col = occs.add(oid)
                o_rows.append(i)
                o_cols.append(col)
                gid = tax.occupation_group.get(oid)
                if gid:
                    gcol = groups.add(gid)
                    if gcol not in seen_groups:
                        seen_groups.add(gcol)
                        g_rows.append(i)
                        g_cols.append(gcol)
                    if j == 0:
                        ad_group[i] = gcol
                if j == 0:
                    ad_occ[i] = col
            if ad.municipality_id:
                ad_muni[i] = munis.add(ad.municipality_id)
            region = ad.region_id or tax.municipality_region.get(ad.municipality_id, "")
            if region:
                ad_region[i] = regions.add(region)
            if ad.published_at is not None:
                published[i] = ad.published_at.timestamp()
            if ad.deadline is not None:
                deadline[i] = ad.deadline.timestamp()
            # Hybrid counts half: a plus for a remote wish, but no way round the commute.
            remote[i] = (REMOTE_PARTLY if ad.remote_partly else 1.0) if ad.remote else 0.0
            full_time[i] = ad.hours == Hours.FULL_TIME
            part_time[i] = ad.hours == Hours.PART_TIME
            if ad.employment_type:
                employment[i] = emp_types.add(ad.employment_type)
            head = ad.headline or ""
            # The headline names the job: repeat it so it outweighs boilerplate in the body.
            texts.append(f"{head} {head} {head} {(ad.text or '')[:TEXT_CHARS]}")

        def block(rows: list[int], cols: list[int], width: int) -> sp.csr_matrix:
            data = np.ones(len(rows), dtype=np.float32)
            return sp.csr_matrix((data, (rows, cols)), shape=(n, max(width, 1)), dtype=np.float32)

        s_bin = block(s_rows, s_cols, len(skills))
        s_bin.sum_duplicates()
        s_bin.data[:] = 1.0
        df = np.asarray(s_bin.sum(axis=0)).ravel()
        idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        s_w = s_bin.multiply(idf.reshape(1, -1)).tocsr()
        row_sum = np.asarray(s_w.sum(axis=1)).ravel()
        row_sum[row_sum == 0] = 1.0
        s_w = sp.diags((1.0 / row_sum).astype(np.float32)) @ s_w
        o_bin = block(o_rows, o_cols, len(occs))
        g_bin = block(g_rows, g_cols, len(groups))
        # Place is not a block: an ad has one municipality, so a per-profile weight per
        # municipality looked up by `ad_municipality` is cheaper than postings of a whole region.
        blocks = [("skill_w", s_w), ("skill_n", s_bin), ("occ", o_bin), ("group", g_bin)]
        offsets: dict[str, int] = {}
        pos = 0
        for name, mat in blocks:
            offsets[name] = pos
            pos += mat.shape[1]
        X = sp.hstack([m for _, m in blocks], format="csr", dtype=np.float32)
        XT = X.T.tocsr()

        TT, text_idf = _text_matrix(texts)
        related: dict[str, dict[str, float]] = defaultdict(dict)
        for src, tgt, w in tax.substitutes:
            # Symmetric on purpose: a feed for someone aiming at A also shows B when either can
            # stand in for the other; the strongest percentage wins.
            for a, b in ((src, tgt), (tgt, src)):
                if w > related[a].get(b, 0.0):
                    related[a][b] = w
        labels = {**tax.occupation_label, **tax.group_label, **tax.municipality_label}
        labels.update(tax.region_label)
        labels.update(tax.skill_label)
        return cls(
            version=version,
            ad_ids=ad_ids,
            row_of={aid: i for i, aid in enumerate(ad_ids)},
            XT=XT,
            X=X,
            TT=TT,
            text_idf=text_idf,
            offsets=offsets,
            skills=skills,
            occupations=occs,
            groups=groups,
            municipalities=munis,
            regions=regions,
            published=published,
            deadline=deadline,
            remote=remote,
            full_time=full_time,
            part_time=part_time,
            employment=employment,
            employment_types=emp_types,
            ad_occupation=ad_occ,
            ad_group=ad_group,
            ad_municipality=ad_muni,
            ad_region=ad_region,
            muni_distance=_distance_matrix(munis.ids, tax.municipality_coords),
            related=dict(related),
            occupation_group=dict(tax.occupation_group),
            labels=labels,
            labels_en=dict(tax.label_en),
        )

    # --- queries ----------------------------------------------------------------------------

    def text_query(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows for profile texts, each cut to its strongest terms and l2-normalised."""
        counts = vectorize_text(texts)
        q = counts.multiply(self.text_idf.reshape(1, -1)).tocsr()
        q.eliminate_zeros()
        rows, cols, vals = [], [], []
        for r in range(q.shape[0]):  # loops over profiles and their few terms, not over ads
            start, end = q.indptr[r], q.indptr[r + 1]
            data, idx = q.data[start:end], q.indices[start:end]
            if len(data) > TEXT_QUERY_TERMS:
                keep = np.argpartition(-data, TEXT_QUERY_TERMS)[:TEXT_QUERY_TERMS]
                data, idx = data[keep], idx[keep]
            norm = float(np.sqrt((data.astype(np.float64) ** 2).sum())) or 1.0
            rows.extend([r] * len(data))
            cols.extend(idx.tolist())
            vals.extend((data / norm).tolist())
        return sp.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)),
            shape=(len(texts), self.TT.shape[0]),
        )

    def home_weights(self, profile: MatchProfile) -> dict[int, float]:
        """Municipality column -> place value for a profile's homes and commute area."""
        homes = [self.municipalities.index[m] for m in profile.municipalities
                 if m in self.municipalities.index]  # fmt: skip
        weights: dict[int, float] = {h: 1.0 for h in homes}
        limit = profile.commute_km()
        if homes and limit and limit > 0 and self.muni_distance.size:
            dist = np.nanmin(self.muni_distance[homes], axis=0)
            within = np.flatnonzero(dist <= limit)
            for m in within.tolist():
                if m not in weights:
                    # Inside the commute area still beats the rest of the region, nearer is better.
                    weights[m] = max(SAME_REGION + 0.05, 1.0 - 0.5 * float(dist[m]) / limit)
        return weights

    def query_rows(self, profile: MatchProfile) -> tuple[list[int], list[int], list[float]]:
        """(raw row, column, value) triples of a profile's query matrix."""
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []

        def put(raw: str, col: int, value: float) -> None:
            rows.append(_R[raw])
            cols.append(col)
            vals.append(value)

        for sid, level in profile.skills.items():
            col = self.skills.index.get(sid)
            if col is not None:
                put("skill_w", self.offsets["skill_w"] + col, min(max(float(level), 0.0), 1.0))
                put("skill_n", self.offsets["skill_n"] + col, 1.0)
        target_groups = set(profile.target_groups)
        for oid in profile.target_occupations:
            col = self.occupations.index.get(oid)
            if col is not None:
                put("occ_target", self.offsets["occ"] + col, 1.0)
            if oid in self.occupation_group:
                target_groups.add(self.occupation_group[oid])
        for gid in target_groups:
            col = self.groups.index.get(gid)
            if col is not None:
                put("group_target", self.offsets["group"] + col, 1.0)
        held_groups = set()
        for oid in profile.occupations_held:
            col = self.occupations.index.get(oid)
            if col is not None:
                put("occ_held", self.offsets["occ"] + col, 1.0)
            if oid in self.occupation_group:
                held_groups.add(self.occupation_group[oid])
        for gid in held_groups:
            col = self.groups.index.get(gid)
            if col is not None:
                put("group_held", self.offsets["group"] + col, 1.0)
        related: dict[str, float] = {}
        anchors = set(profile.target_occupations) | set(profile.occupations_held)
        for oid in anchors:
            for other, w in self.related.get(oid, {}).items():
                if other not in anchors and w > related.get(other, 0.0):
                    related[other] = w
        for oid, w in related.items():
            col = self.occupations.index.get(oid)
            if col is not None:
                put("occ_related", self.offsets["occ"] + col, w)
        return rows, cols, vals

    def profile_text(self, profile: MatchProfile) -> str:
        """The words that describe what the client looks for: free text, targets, skills."""
        parts = [profile.free_text]
        for oid in (*profile.target_occupations, *profile.target_groups):
            parts.append(self.labels.get(oid, ""))
        for oid in profile.occupations_held:
            parts.append(self.labels.get(oid, ""))
        for sid in profile.skills:
            parts.append(self.labels.get(sid, ""))
        return " ".join(p for p in parts if p)

    def raw_products(self, profiles: Sequence[MatchProfile]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """One sparse product for a chunk of profiles: raw rows (profiles*N_RAW x ads) and text
        similarity (profiles x ads), both still sparse."""
        n_p = len(profiles)
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for p, profile in enumerate(profiles):
            r, c, v = self.query_rows(profile)
            rows.extend(x + p * N_RAW for x in r)
            cols.extend(c)
            vals.extend(v)
        Q = sp.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)),
            shape=(n_p * N_RAW, self.XT.shape[0]),
        )
        R = sp.csr_matrix(Q @ self.XT)
        qt = self.text_query([self.profile_text(p) for p in profiles])
        T = sp.csr_matrix(qt @ self.TT)
        return R, T

    def _scratch(self) -> np.ndarray:
        """A zeroed (N_RAW + 1) x ads buffer, one per thread, reused between profiles."""
        buf = getattr(self._local, "buf", None)
        if buf is None:
            buf = self._local.buf = np.zeros((N_RAW + 1, self.n_ads), dtype=np.float32)
        return buf

    def _marks(self) -> np.ndarray:
        """A cleared boolean buffer over the ads, one per thread (callers clear what they set)."""
        mark = getattr(self._local, "mark", None)
        if mark is None:
            mark = self._local.mark = np.zeros(self.n_ads, dtype=bool)
        return mark

    def gather(
        self, R: sp.csr_matrix, T: sp.csr_matrix, p: int, rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Profile p's raw values (N_RAW x len(rows)) and text similarity at the ad `rows`.

        The sparse rows are scattered into a reused buffer, read at `rows`, then zeroed again:
        the cost follows the number of postings, never the number of ads.
        """
        buf = self._scratch()
        spans = [(k, R.indptr[p * N_RAW + k], R.indptr[p * N_RAW + k + 1]) for k in range(N_RAW)]
        try:
            for k, start, end in spans:
                buf[k, R.indices[start:end]] = R.data[start:end]
            t0, t1 = T.indptr[p], T.indptr[p + 1]
            buf[N_RAW, T.indices[t0:t1]] = T.data[t0:t1]
            block = buf[:, rows]
        finally:
            for k, start, end in spans:
                buf[k, R.indices[start:end]] = 0.0
            buf[N_RAW, T.indices[T.indptr[p] : T.indptr[p + 1]]] = 0.0
        return block[:N_RAW], np.minimum(block[N_RAW] * TEXT_SCALE, 1.0)

    def context(self, profile: MatchProfile, now: dt.datetime) -> _ProfileContext:
        """What scoring and reasons need of a profile, computed once per profile."""
        homes = [self.municipalities.index[h] for h in profile.municipalities
                 if h in self.municipalities.index]  # fmt: skip
        limit = profile.commute_km()
        dist = None
        if homes and limit and self.muni_distance.size:
            dist = np.nanmin(self.muni_distance[homes], axis=0)
        ok_emp = np.array(
            [self.employment_types.index[e] for e in profile.employment_types
             if e in self.employment_types.index], dtype=np.int32,
        )  # fmt: skip
        target_cols = {self.occupations.index[o] for o in profile.target_occupations
                       if o in self.occupations.index}  # fmt: skip
        muni_weight = np.zeros(len(self.municipalities) + 1, dtype=np.float32)
        for col, value in self.home_weights(profile).items():
            muni_weight[col] = value
        region_weight = np.zeros(len(self.regions) + 1, dtype=np.float32)
        for rid in profile.regions:
            if rid in self.regions.index:
                region_weight[self.regions.index[rid]] = SAME_REGION
        return _ProfileContext(
            muni_weight=muni_weight,
            region_weight=region_weight,
            profile=profile,
            now=now,
            now_ts=now.timestamp(),
            seen_ts=profile.seen_before.timestamp() if profile.seen_before else None,
            home_cols=set(homes),
            commute_km=limit,
            home_distance=dist,
            ok_employment=ok_emp,
            target_occ_cols=target_cols,
            has_place=bool(profile.municipalities or profile.regions),
            wants_remote=profile.remote in (RemoteWish.WANTED, RemoteWish.ONLY),
        )

    def candidates(
        self, ctx: _ProfileContext, R: sp.csr_matrix, T: sp.csr_matrix, p: int
    ) -> np.ndarray:
        """Rows of ads that may be in the feed: they share something with the profile, are
        still open, not hidden, and (for an "only remote" wish) remote or within the area.

        Found from the sparse results' postings, so the cost follows the matches, not N.
        """
        parts = []
        for raw in _RELEVANT:
            r = p * N_RAW + _R[raw]
            parts.append(R.indices[R.indptr[r] : R.indptr[r + 1]])
        t0, t1 = T.indptr[p], T.indptr[p + 1]
        parts.append(T.indices[t0:t1][T.data[t0:t1] * TEXT_SCALE > TEXT_RELEVANT])
        mark = self._marks()
        for part in parts:
            mark[part] = True
        cand = np.flatnonzero(mark)
        mark[cand] = False
        cand = cand[self.deadline[cand] >= ctx.now_ts]
        profile = ctx.profile
        if profile.remote == RemoteWish.ONLY:
            ok = self.remote[cand] >= 1.0  # fully remote; hybrid work still means commuting
            if ctx.has_place:
                ok |= self.place_values(ctx, cand) > 0
            cand = cand[ok]
        if profile.excluded_ad_ids:
            hidden = [self.row_of[a] for a in profile.excluded_ad_ids if a in self.row_of]
            if hidden:
                cand = cand[~np.isin(cand, hidden)]
        return cand

    def place_values(self, ctx: _ProfileContext, rows: np.ndarray) -> np.ndarray:
        """Place value of the ads in `rows`: home or commute area by municipality, else region.

        The context's weight arrays have one extra trailing 0, which index -1 (unknown) hits.
        """
        return np.maximum(
            ctx.muni_weight[self.ad_municipality[rows]], ctx.region_weight[self.ad_region[rows]]
        )

    def feature_block(
        self, ctx: _ProfileContext, raw: np.ndarray, text: np.ndarray, rows: np.ndarray
    ) -> np.ndarray:
        """Features (len(rows) x FEATURES) of the ads in `rows`.

        `raw` (N_RAW x len(rows)) and `text` (len(rows)) come from `gather`. Every column is a
        whole-array operation over `rows`.
        """
        F = np.zeros((len(rows), N_FEATURES), dtype=np.float32)
        r = raw
        F[:, FEATURE_INDEX["skill_coverage"]] = r[_R["skill_w"]]
        F[:, FEATURE_INDEX["skill_count"]] = 1.0 - np.exp(-r[_R["skill_n"]] / 4.0)
        F[:, FEATURE_INDEX["occ_target"]] = np.minimum(r[_R["occ_target"]], 1.0)
        F[:, FEATURE_INDEX["group_target"]] = np.minimum(r[_R["group_target"]], 1.0)
        F[:, FEATURE_INDEX["occ_related"]] = np.minimum(r[_R["occ_related"]], 1.0)
        F[:, FEATURE_INDEX["occ_held"]] = np.minimum(r[_R["occ_held"]], 1.0)
        F[:, FEATURE_INDEX["group_held"]] = np.minimum(r[_R["group_held"]], 1.0)
        F[:, FEATURE_INDEX["text"]] = text
        place = self.place_values(ctx, rows)
        F[:, FEATURE_INDEX["place"]] = place
        remote = self.remote[rows]
        if ctx.wants_remote:
            F[:, FEATURE_INDEX["remote"]] = remote
        if ctx.has_place and ctx.profile.remote != RemoteWish.ONLY:
            F[:, FEATURE_INDEX["outside_area"]] = (place <= 0) & (remote <= 0)
        pub = self.published[rows]
        age = np.where(np.isnan(pub), 365.0, (ctx.now_ts - pub) / 86400.0)
        F[:, FEATURE_INDEX["recency"]] = np.exp(-np.clip(age, 0.0, None) / RECENCY_DAYS)
        hours = ctx.profile.hours
        if hours == Hours.PART_TIME:
            F[:, FEATURE_INDEX["hours_mismatch"]] = self.full_time[rows]
        elif hours == Hours.FULL_TIME:
            F[:, FEATURE_INDEX["hours_mismatch"]] = self.part_time[rows]
        if ctx.profile.employment_types:
            emp = self.employment[rows]
            F[:, FEATURE_INDEX["employment_mismatch"]] = (emp >= 0) & ~np.isin(
                emp, ctx.ok_employment
            )
        return F


def _text_matrix(texts: Sequence[str]) -> tuple[sp.csr_matrix, np.ndarray]:
    """Terms x ads TF-IDF (identical texts vectorised once) and the idf per hashed term."""
    unique: dict[str, int] = {}
    inverse = np.fromiter((unique.setdefault(t, len(unique)) for t in texts), dtype=np.int64,
                          count=len(texts))  # fmt: skip
    counts = vectorize_text(list(unique))[inverse] if texts else vectorize_text([""])[:0]
    n = max(counts.shape[0], 1)
    binary = counts.copy()
    binary.data[:] = 1.0
    df = np.asarray(binary.sum(axis=0)).ravel()
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    if n >= COMMON_TERM_MIN_ADS:  # in a handful of ads every word looks common
        idf[df > COMMON_TERM_SHARE * n] = 0.0
    tfidf = counts.copy()
    tfidf.data = np.log1p(tfidf.data)  # sublinear tf: a word said ten times is not ten times
    tfidf = tfidf.multiply(idf.reshape(1, -1)).tocsr()
    tfidf.eliminate_zeros()
    norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    tfidf = sp.diags((1.0 / norms).astype(np.float32)) @ tfidf
    return sp.csr_matrix(tfidf.T, dtype=np.float32), idf


def _distance_matrix(
    muni_ids: Sequence[str], coords: Mapping[str, tuple[float, float]]
) -> np.ndarray:
    """Great-circle km between municipality centres (NaN where one has no coordinates)."""
    lat = np.array([coords.get(m, (np.nan, np.nan))[0] for m in muni_ids], dtype=np.float64)
    lon = np.array([coords.get(m, (np.nan, np.nan))[1] for m in muni_ids], dtype=np.float64)
    lat_r, lon_r = np.radians(lat), np.radians(lon)
    dlat = lat_r[:, None] - lat_r[None, :]
    dlon = lon_r[:, None] - lon_r[None, :]
    cos = np.cos(lat_r)
    a = np.sin(dlat / 2) ** 2 + cos[:, None] * cos[None, :] * np.sin(dlon / 2) ** 2
    return (2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))).astype(np.float32)


# --- scoring -------------------------------------------------------------------------------------


def weight_vector(weights: Mapping[str, float] | None = None) -> np.ndarray:
    w = dict(DEFAULT_WEIGHTS)
    if weights:
        unknown = set(weights) - set(FEATURES)
        if unknown:
            raise ValueError(f"Unknown feature weights: {', '.join(sorted(unknown))}")
        w.update(weights)
    return np.array([w[name] for name in FEATURES], dtype=np.float32)


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k best scores, best first."""
    n = scores.shape[0]
    k = min(k, n)
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    top = np.argpartition(-scores, k - 1)[:k] if k < n else np.arange(n)
    return top[np.argsort(-scores[top], kind="stable")]


def score_index(
    index: AdIndex,
    profiles: Sequence[MatchProfile],
    k: int,
    *,
    weights: Mapping[str, float] | None = None,
    now: dt.datetime | None = None,
    with_reasons: bool = True,
) -> list[list[RankedAd]]:
    """Top k ads for each profile over `index`.

    Scores are computed only for candidate ads (those sharing anything with the profile); the
    rest are not in the feed at all, so this equals scoring all ads with -inf for them.
    """
    if k <= 0 or index.n_ads == 0 or not profiles:
        return [[] for _ in profiles]
    now = now or timezone.now()
    w = weight_vector(weights)
    R, T = index.raw_products(profiles)
    results: list[list[RankedAd]] = []
    for p, profile in enumerate(profiles):
        ctx = index.context(profile, now)
        cand = index.candidates(ctx, R, T, p)
        raw, text = index.gather(R, T, p, cand)
        F = index.feature_block(ctx, raw, text, cand)
        scores = F @ w
        top = _top_k(scores, k)
        rows = cand[top]
        ranked = []
        for j, i in zip(top.tolist(), rows.tolist(), strict=True):
            reasons = explain(index, ctx, i, F[j], raw[:, j], w) if with_reasons else []
            ranked.append(
                RankedAd(
                    ad_id=index.ad_ids[i],
                    score=float(scores[j]),
                    reasons=reasons,
                    is_new=_is_new(index, ctx, i),
                )
            )
        results.append(ranked)
    return results


@dataclass(slots=True)
class _ProfileContext:
    profile: MatchProfile
    now: dt.datetime
    now_ts: float
    seen_ts: float | None
    home_cols: set[int]
    commute_km: float | None
    home_distance: np.ndarray | None  # km from the nearest home to every municipality
    ok_employment: np.ndarray
    target_occ_cols: set[int]
    has_place: bool
    wants_remote: bool
    muni_weight: np.ndarray  # per municipality column, plus a trailing 0 for "unknown"
    region_weight: np.ndarray  # SAME_REGION for the profile's regions, plus a trailing 0


def _is_new(index: AdIndex, ctx: _ProfileContext, i: int) -> bool:
    pub = float(index.published[i])
    if math.isnan(pub):
        return False
    if ctx.seen_ts is not None:
        return pub > ctx.seen_ts
    return ctx.now_ts - pub <= NEW_WITHIN.total_seconds()


def explain(
    index: AdIndex,
    ctx: _ProfileContext,
    i: int,
    feats: np.ndarray,
    raw: np.ndarray,
    w: np.ndarray,
) -> list[Reason]:
    """The plain-language reasons for ad row `i`, strongest first."""
    reasons: list[Reason] = []
    contrib = (feats * w).tolist()
    f = feats.tolist()
    profile = ctx.profile

    n_skills = round(float(raw[_R["skill_n"]]))
    if n_skills > 0:
        reasons.append(
            Reason(
                "skills",
                f"Matchar {n_skills} av dina kompetenser",
                f"Matches {n_skills} of your skills",
                contrib[_F_SKILL_COUNT] + contrib[_F_SKILL_COVERAGE],
            )
        )
    occ_col = int(index.ad_occupation[i])
    occ_id = index.occupations.ids[occ_col] if occ_col >= 0 else ""
    occ_sv = index.labels.get(occ_id, "")
    occ_en = index.labels_en.get(occ_id, occ_sv)
    group_col = int(index.ad_group[i])
    group_id = index.groups.ids[group_col] if group_col >= 0 else ""
    if f[_F_OCC_TARGET] > 0:
        oid = occ_id
        if occ_col not in ctx.target_occ_cols:  # a target among the ad's other occupations
            start, end = index.X.indptr[i], index.X.indptr[i + 1]
            cols = set((index.X.indices[start:end] - index.offsets["occ"]).tolist())
            oid = next((index.occupations.ids[c] for c in ctx.target_occ_cols if c in cols), occ_id)
        label = index.labels.get(oid, occ_sv)
        reasons.append(
            Reason(
                "target_occupation",
                f"Samma yrke som ditt mål: {label}",
                f"Same occupation as your goal: {index.labels_en.get(oid, label)}",
                contrib[_F_OCC_TARGET] + contrib[_F_GROUP_TARGET],
            )
        )
    elif f[_F_GROUP_TARGET] > 0:
        label = index.labels.get(group_id, occ_sv)
        reasons.append(
            Reason(
                "target_group",
                f"Inom ditt målområde: {label}",
                f"In your target occupation group: {index.labels_en.get(group_id, label)}",
                contrib[_F_GROUP_TARGET],
            )
        )
    elif f[_F_OCC_RELATED] > 0 and occ_sv:
        reasons.append(
            Reason(
                "related_occupation",
                f"Närliggande yrke: {occ_sv}",
                f"Related occupation: {occ_en}",
                contrib[_F_OCC_RELATED],
            )
        )
    if f[_F_OCC_HELD] > 0 and occ_sv:
        reasons.append(
            Reason(
                "held_occupation",
                f"Du har arbetat som {occ_sv.lower()}",
                f"You have worked as {occ_en.lower()}",
                contrib[_F_OCC_HELD],
            )
        )
    elif f[_F_GROUP_HELD] > 0 and group_id:
        label = index.labels.get(group_id, "")
        reasons.append(
            Reason(
                "held_group",
                f"Samma yrkesgrupp som du arbetat i: {label}",
                f"The occupation group you have worked in: {index.labels_en.get(group_id, label)}",
                contrib[_F_GROUP_HELD],
            )
        )
    if f[_F_PLACE] > 0:
        place = _place_reason(index, ctx, i, contrib[_F_PLACE])
        if place:
            reasons.append(place)
    if f[_F_REMOTE] >= 1.0:
        reasons.append(
            Reason("remote", "Distansarbete möjligt", "Remote work possible", contrib[_F_REMOTE])
        )
    elif f[_F_REMOTE] > 0:
        reasons.append(
            Reason("remote", "Delvis distans", "Partly remote (hybrid)", contrib[_F_REMOTE])
        )
    if f[_F_TEXT] >= TEXT_REASON:
        reasons.append(
            Reason(
                "text", "Liknar det du beskrivit", "Similar to what you described", contrib[_F_TEXT]
            )
        )
    pub = float(index.published[i])
    if not math.isnan(pub):
        if ctx.now_ts - pub <= NEW_WITHIN.total_seconds():
            reasons.append(
                Reason("new", "Nytt sedan igår", "New since yesterday", contrib[_F_RECENCY])
            )
        elif ctx.seen_ts is not None and pub > ctx.seen_ts:
            reasons.append(
                Reason(
                    "new_since_visit",
                    "Nytt sedan ditt senaste besök",
                    "New since your last visit",
                    contrib[_F_RECENCY],
                )
            )
    if profile.hours != Hours.ANY and f[_F_HOURS] == 0:
        if profile.hours == Hours.FULL_TIME and index.full_time[i]:
            reasons.append(Reason("hours", "Heltid, som du önskar", "Full time, as you wish", 0.0))
        elif profile.hours == Hours.PART_TIME and index.part_time[i]:
            reasons.append(Reason("hours", "Deltid, som du önskar", "Part time, as you wish", 0.0))
    reasons.sort(key=lambda r: -r.weight)
    return reasons


def _place_reason(index: AdIndex, ctx: _ProfileContext, i: int, weight: float) -> Reason | None:
    m = int(index.ad_municipality[i])
    muni = index.labels.get(index.municipalities.ids[m], "") if m >= 0 else ""
    if m >= 0 and m in ctx.home_cols:
        return Reason("place_home", f"I {muni}", f"In {muni}", weight)
    if m >= 0 and ctx.home_distance is not None and ctx.commute_km:
        dist = float(ctx.home_distance[m])
        if not math.isnan(dist) and dist <= ctx.commute_km:
            km = max(1, round(dist))
            return Reason(
                "commute",
                f"Inom pendlingsavstånd ({muni}, {km} km)",
                f"Within commuting distance ({muni}, {km} km)",
                weight,
            )
    r = int(index.ad_region[i])
    region_id = index.regions.ids[r] if r >= 0 else ""
    if region_id and region_id in ctx.profile.regions:
        label = index.labels.get(region_id, "")
        return Reason("region", f"I {label}", f"In {label}", weight)
    return None


# --- the process-wide index over the database's active ads --------------------------------------


class _IndexCache:
    """One AdIndex per process, rebuilt when the ad set's version changes.

    The version is asked of the database at most every VERSION_TTL_SECONDS, so a feed request
    costs no query at all most of the time; a rebuild happens in the request that notices.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: AdIndex | None = None
        self.checked_at = 0.0

    def get(self, loader: Callable[[], tuple[str, list[AdRecord]]], version: Callable[[], str]
            ) -> AdIndex:  # fmt: skip
        with self.lock:
            now = time.monotonic()
            if self.index is not None and now - self.checked_at < VERSION_TTL_SECONDS:
                return self.index
            current = version()
            self.checked_at = now
            if self.index is None or self.index.version != current:
                started = time.perf_counter()
                ver, records = loader()
                self.index = AdIndex.build(records, version=ver)
                logger.info(
                    "built ad index %s: %d ads in %.1f s",
                    ver, len(records), time.perf_counter() - started,
                )  # fmt: skip
            return self.index

    def clear(self) -> None:
        with self.lock:
            self.index = None
            self.checked_at = 0.0


_cache = _IndexCache()


def ad_index_clear() -> None:
    """Drop the cached index (tests; or after a bulk change that must show at once)."""
    _cache.clear()


def get_ad_index() -> AdIndex:
    """The cached index over `vagval.jobs.selectors.ads_for_matching()`."""
    from vagval.matching import adsource

    def load() -> tuple[str, list[AdRecord]]:
        return adsource.ads_version(), adsource.ad_records()

    return _cache.get(load, adsource.ads_version)


# --- public API ----------------------------------------------------------------------------------


def feed_rank(
    profile: MatchProfile,
    k: int = 50,
    *,
    index: AdIndex | None = None,
    weights: Mapping[str, float] | None = None,
    now: dt.datetime | None = None,
) -> list[RankedAd]:
    """The client's feed: the k best active ads, best first, each with its reasons."""
    idx = index if index is not None else get_ad_index()
    return score_index(idx, [profile], k, weights=weights, now=now)[0]


def feed_rank_many(
    profiles: Sequence[MatchProfile],
    k: int = 50,
    *,
    index: AdIndex | None = None,
    weights: Mapping[str, float] | None = None,
    now: dt.datetime | None = None,
    chunk: int = 16,
    with_reasons: bool = True,
) -> list[list[RankedAd]]:
    """Feeds for many clients (the nightly batch): one sparse product per chunk of clients.

    The result is the same as calling `feed_rank` for each profile; chunks bound the memory
    (chunk x features x ads floats).
    """
    idx = index if index is not None else get_ad_index()
    out: list[list[RankedAd]] = []
    for start in range(0, len(profiles), chunk):
        part = profiles[start : start + chunk]
        out.extend(score_index(idx, part, k, weights=weights, now=now, with_reasons=with_reasons))
    return out


def feature_rows(
    profile: MatchProfile,
    ad_ids: Sequence[str],
    *,
    index: AdIndex | None = None,
    now: dt.datetime | None = None,
) -> np.ndarray:
    """Feature rows (len(ad_ids) x FEATURES) of chosen ads, for learning from outcomes.

    Ads no longer in the index get a row of NaN so the caller can drop them.
    """
    idx = index if index is not None else get_ad_index()
    now = now or timezone.now()
    R, T = idx.raw_products([profile])
    rows = [idx.row_of.get(a, -1) for a in ad_ids]
    known = np.array([r for r in rows if r >= 0], dtype=np.int64)
    raw, text = idx.gather(R, T, 0, known)
    F = idx.feature_block(idx.context(profile, now), raw, text, known)
    out = np.full((len(ad_ids), N_FEATURES), np.nan, dtype=np.float32)
    out[[j for j, r in enumerate(rows) if r >= 0]] = F
    return out


def ranked_as_json(ranked: Iterable[RankedAd]) -> list[dict[str, Any]]:
    return [r.as_dict() for r in ranked]
