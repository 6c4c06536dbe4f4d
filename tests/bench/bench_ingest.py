"""Ingestion throughput, deduplication quality and peak memory of `manage.py ingest`.

Measured end to end, as an operator runs it: `python manage.py ingest --source S FILE` as a
subprocess, into a fresh copy of the bench template database (migrated, taxonomy loaded).

- `ingest_real`: the 790 real Platsbanken ads; `dedup_real`: pair precision and recall of
  `dedup_clusters --json` against the real duplicate groups (see `corpus.real_duplicate_groups`).
- `ingest_corpus`: the 100,000-ad corpus of `corpus.py` (10,000 with `--quick`) in its three
  source formats, one command per source. Targets: <= 180 s for 100,000 ads and >= 1,000 ads/s
  per core, the cores being all this process may use (`os.sched_getaffinity`); the CPU seconds
  of the ingest processes are reported too (PostgreSQL's own CPU is not in them).
- `ingest_delta`: a daily delta of 2,500 new ads (JobStream, jobtech format; a quarter of them
  reposts of jobs already in the base) on top of the corpus, after an untimed VACUUM ANALYZE
  (a day after the big load, autovacuum would be done with it). Target <= 10 s.
- `dedup_corpus`: pair precision (>= 0.98) and recall (>= 0.95) over base + delta, with the
  recall per kind of near-duplicate and the false merges per kind of hard negative, each with a
  few concrete examples.
- `ingest_peak_memory`: the largest memory of an ingest process tree (sum of PSS over the
  command and its workers, sampled as RSS grows and every 2 s; RSS sum and getrusage's max RSS
  beside it).
  Target <= 2 GiB.

Run alone: `python -m tests.bench --only ingest [--quick]`.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from tests.bench import (
    BENCH_DIR,
    MANAGE,
    PYTHON,
    REPO_ROOT,
    TEMPLATE_DB_ENV,
    BenchDatabase,
    Measured,
    bench_env,
    cores,
    is_quick,
    last_json_line,
    log,
    manage,
    result,
    run_measured,
)
from tests.bench.corpus import (
    REAL_ADS_FILE,
    data_dir,
    ensure_corpus,
    load_real_ads,
    read_truth,
    real_ad_id,
    real_duplicate_groups,
)

N_FULL = 100_000
N_QUICK = 10_000
DELTA = 2_500
SECONDS_PER_100K = 180.0
ADS_PER_S_PER_CORE = 1_000.0
DELTA_SECONDS = 10.0
PRECISION_MIN = 0.98
RECALL_MIN = 0.95
MEMORY_MIB_MAX = 2048.0
DB_NAME = "vagval_bench_ingest"
SOURCE_ORDER = ("jobtech", "platsbanken-web", "jobposting")


def _template() -> tuple[BenchDatabase, str]:
    db = BenchDatabase(os.environ.get("DATABASE_URL"), folder=None)
    template_url = os.environ.get(TEMPLATE_DB_ENV)
    if not template_url:  # run outside the runner: make our own template
        template_url = db.prepare_template()
    if db.vendor == "sqlite":
        db.folder = Path(template_url.removeprefix("sqlite:///")).parent
    return db, template_url.rsplit("/", 1)[-1].removesuffix(".sqlite3")


def _ingest(source: str, path: Path, url: str) -> tuple[Measured, dict[str, Any]]:
    cmd = [PYTHON, MANAGE, "ingest", "--source", source, str(path)]
    measured = run_measured(cmd, env=bench_env(url))
    if measured.returncode != 0:
        raise RuntimeError(
            f"ingest --source {source} {path} failed ({measured.returncode}): "
            f"{measured.stderr[-3000:]}"
        )
    summary = last_json_line(measured.stdout)
    for line in measured.stdout.splitlines():  # the command's own stage timings, if it prints them
        if line.startswith("details: "):
            measured.extra = json.loads(line.removeprefix("details: "))
    log(
        f"ingest {source}: {summary} in {measured.seconds:.1f} s wall, "
        f"{measured.cpu_seconds:.1f} s CPU, peak PSS {measured.peak_tree_pss_mib:.0f} MiB"
    )
    return measured, summary


def _memory(runs: list[Measured]) -> dict[str, float]:
    return {
        "peak_pss_mib": round(max(m.peak_tree_pss_mib for m in runs), 1),
        "peak_rss_sum_mib": round(max(m.peak_tree_rss_mib for m in runs), 1),
        "max_rss_one_process_mib": round(max(m.maxrss_mib for m in runs), 1),
    }


def _ingest_many(files: dict[str, Path], url: str) -> tuple[list[Measured], dict[str, Any]]:
    runs: list[Measured] = []
    total: dict[str, Any] = defaultdict(int)
    for source in SOURCE_ORDER:
        if source not in files:
            continue
        measured, summary = _ingest(source, files[source], url)
        runs.append(measured)
        for key in ("read", "new", "updated", "duplicates", "quarantined"):
            total[key] += int(summary.get(key, 0))
    total["seconds"] = sum(m.seconds for m in runs)
    total["cpu_seconds"] = sum(m.cpu_seconds for m in runs)
    return runs, dict(total)


# --------------------------------------------------------------------------------------------
# Dedup quality
# --------------------------------------------------------------------------------------------
class Truth:
    """Ground truth: which job each ad announces, found by (source, source_id) or URL."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.by_key: dict[tuple[str, str], int] = {}
        self.by_url: dict[str, int] = {}
        for i, r in enumerate(rows):
            self.by_key[(r["source"], str(r["source_id"]))] = i
            self.by_url[str(r["url"])] = i

    def find(self, member: dict[str, Any]) -> int | None:
        source, sid, url = member.get("source"), str(member.get("source_id")), member.get("url")
        for key in ((source, sid), (source, sid.rsplit(":", 1)[-1])):
            if key in self.by_key:
                return self.by_key[key]  # type: ignore[index]
        if url in self.by_url:
            return self.by_url[url]  # type: ignore[index]
        for u, i in self.by_url.items():  # relative Platsbanken paths made absolute
            if url and u.startswith("/") and str(url).endswith(u):
                return i
        return None


def _clusters(url: str) -> list[list[dict[str, Any]]]:
    out = manage(["dedup_clusters", "--json"], database_url=url)
    return [json.loads(line)["members"] for line in out.splitlines() if line.startswith("{")]


def _describe(row: dict[str, Any]) -> str:
    return f"{row['source']}:{row['source_id']} ({row.get('variant', '')}, job {row['job']})"


def dedup_quality(truth: Truth, clusters: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Pair precision/recall, recall per near-duplicate kind, false merges per kind."""
    rows = truth.rows
    job_members: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        job_members[r["job"]].append(i)
    predicted_cluster: dict[int, int] = {}
    unknown = 0
    for c, members in enumerate(clusters):
        for m in members:
            i = truth.find(m)
            if i is None:
                unknown += 1
            else:
                predicted_cluster[i] = c
    true_pairs = sum(len(v) * (len(v) - 1) // 2 for v in job_members.values())
    predicted_pairs = 0
    tp = 0
    false_merges: dict[str, int] = defaultdict(int)
    fp_examples: dict[str, list[str]] = defaultdict(list)
    by_cluster: dict[int, list[int]] = defaultdict(list)
    for i, c in predicted_cluster.items():
        by_cluster[c].append(i)
    for members in by_cluster.values():
        for a, b in itertools.combinations(members, 2):
            predicted_pairs += 1
            ra, rb = rows[a], rows[b]
            if ra["job"] == rb["job"]:
                tp += 1
                continue
            ka, kb = ra.get("job_kind", "real"), rb.get("job_kind", "real")
            if "template_sibling" in (ka, kb) and (
                ra.get("sibling_of") == rb["job"]
                or rb.get("sibling_of") == ra["job"]
                or (ra.get("sibling_of") and ra.get("sibling_of") == rb.get("sibling_of"))
            ):
                kind = "template_sibling"
            elif "employer_sibling" in (ka, kb):
                kind = "employer_sibling"
            elif ka == kb == "real":
                kind = "real_vs_real"
            else:
                kind = "unrelated"
            false_merges[kind] += 1
            if len(fp_examples[kind]) < 3:
                fp_examples[kind].append(f"{_describe(ra)} ~ {_describe(rb)}")
    # Recall per near-duplicate kind: of each copy's true partners, how many share its cluster.
    found: dict[str, int] = defaultdict(int)
    wanted: dict[str, int] = defaultdict(int)
    fn_examples: dict[str, list[str]] = defaultdict(list)
    for i, r in enumerate(rows):
        partners = job_members[r["job"]]
        if len(partners) < 2:
            continue
        kind = str(r.get("variant", "")).split("+")[0] or "unknown"
        c = predicted_cluster.get(i)
        hit = sum(1 for j in partners if j != i and c is not None and predicted_cluster.get(j) == c)
        wanted[kind] += len(partners) - 1
        found[kind] += hit
        if (
            hit < len(partners) - 1
            and kind not in ("original", "real")
            and len(fn_examples[kind]) < 3
        ):
            other = next(
                j for j in partners if j != i and (c is None or predicted_cluster.get(j) != c)
            )
            fn_examples[kind].append(f"{_describe(r)} not with {_describe(rows[other])}")
    precision = tp / predicted_pairs if predicted_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "pairs_true": true_pairs,
        "pairs_predicted": predicted_pairs,
        "pairs_correct": tp,
        "clusters": len(clusters),
        "members_not_in_truth": unknown,
        "recall_by_variant": {k: round(found[k] / wanted[k], 4) for k in sorted(wanted)},
        "false_merge_pairs_by_kind": dict(false_merges),
        "examples_missed": dict(fn_examples),
        "examples_false_merge": dict(fp_examples),
    }


def _real_truth() -> Truth:
    ads = load_real_ads()
    groups = real_duplicate_groups(ads)
    rows = []
    for ad, g in zip(ads, groups, strict=True):
        rows.append(
            {
                "source": "platsbanken-web",
                "source_id": real_ad_id(ad),
                "url": ad["url"],
                "job": f"R{g}",
                "variant": "real",
                "job_kind": "real",
            }
        )
    return Truth(rows)


# --------------------------------------------------------------------------------------------
def _compiled() -> bool:
    """Whether the ingest commands ran ingestion's compiled inner loops (`vagval.native`)."""
    from vagval import native

    return native.AVAILABLE


def _settle(url: str) -> str:
    """VACUUM ANALYZE the database at `url` (PostgreSQL); what was done, for the result line."""
    if not url.startswith("postgres"):
        return "no (SQLite)"
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    log(f"VACUUM ANALYZE before the delta: {time.perf_counter() - started:.1f} s (not timed)")
    return "VACUUM ANALYZE (untimed)"


def run(quick: bool | None = None) -> list[dict[str, Any]]:
    quick = is_quick() if quick is None else quick
    n = N_QUICK if quick else N_FULL
    db, template = _template()
    out: list[dict[str, Any]] = []
    n_cores = cores()
    runs: list[Measured] = []

    # (a) the real ads
    url = db.create(DB_NAME, template=template)
    measured, summary = _ingest("platsbanken-web", data_dir() / REAL_ADS_FILE, url)
    runs.append(measured)
    ads_per_s = summary["read"] / measured.seconds
    out.append(
        result(
            "ingest_real",
            ads=summary["read"],
            seconds=round(measured.seconds, 2),
            ads_per_s=round(ads_per_s, 1),
            cli_summary=summary,
            cpu_seconds=round(measured.cpu_seconds, 2),
            **_memory([measured]),
            target={"info": "no target on 790 ads: process start-up dominates"},
            ok=summary["quarantined"] == 0,
        )
    )
    quality = dedup_quality(_real_truth(), _clusters(url))
    out.append(
        result(
            "dedup_real",
            **quality,
            target={"precision_min": PRECISION_MIN, "recall_min": RECALL_MIN},
            ok=quality["precision"] >= PRECISION_MIN and quality["recall"] >= RECALL_MIN,
        )
    )

    # (b) the corpus
    log(f"corpus of {n:,} ads + {DELTA:,} delta")
    corpus = ensure_corpus(BENCH_DIR, n=n, delta=DELTA)
    log(f"corpus ready in {corpus.out_dir} ({corpus.jobs:,} jobs)")
    url = db.create(DB_NAME, template=template)
    # The corpus's first command starts with no kept vocabulary (an earlier bench run would have
    # left it this very corpus's words); the next commands start with what the one before kept,
    # as an operator's runs do.
    for kept in (REPO_ROOT / "var" / "cache").glob("jobs-vocabulary-*"):
        kept.unlink(missing_ok=True)
    base_runs, total = _ingest_many(corpus.files["base"], url)
    runs.extend(base_runs)
    ads_per_s = total["read"] / total["seconds"]
    max_seconds = SECONDS_PER_100K * n / N_FULL
    out.append(
        result(
            "ingest_corpus",
            ads=total["read"],
            seconds=round(total["seconds"], 2),
            ads_per_s=round(ads_per_s, 1),
            cores=n_cores,
            ads_per_s_per_core=round(ads_per_s / n_cores, 1),
            cpu_seconds=round(total["cpu_seconds"], 1),
            ads_per_cpu_second=round(total["read"] / max(total["cpu_seconds"], 1e-9), 1),
            new=total["new"],
            duplicates=total["duplicates"],
            quarantined=total["quarantined"],
            per_source={
                s: round(m.seconds, 2)
                for s, m in zip(
                    [s for s in SOURCE_ORDER if s in corpus.files["base"]], base_runs, strict=True
                )
            },
            stage_seconds={
                s: m.extra.get("timings")
                for s, m in zip(
                    [s for s in SOURCE_ORDER if s in corpus.files["base"]], base_runs, strict=True
                )
            },
            corpus_jobs=corpus.jobs,
            corpus_seconds=round(corpus.seconds, 1),
            compiled_loops=_compiled(),
            **_memory(base_runs),
            target={"seconds_max": max_seconds, "ads_per_s_per_core_min": ADS_PER_S_PER_CORE},
            ok=total["seconds"] <= max_seconds and ads_per_s / n_cores >= ADS_PER_S_PER_CORE,
        )
    )

    # (c) the daily delta on top. A daily delta meets a database that has settled since the
    # last big load; right after 100,000 inserts, autovacuum is still busy with the new rows
    # (2.6 million band rows) and would be timed along with the delta. So: settle it first,
    # untimed, as a day's gap would.
    settled = _settle(url)
    delta_runs, dtotal = _ingest_many(corpus.files["delta"], url)
    runs.extend(delta_runs)
    out.append(
        result(
            "ingest_delta",
            ads=dtotal["read"],
            on_top_of=total["read"],
            seconds=round(dtotal["seconds"], 2),
            ads_per_s=round(dtotal["read"] / dtotal["seconds"], 1),
            new=dtotal["new"],
            duplicates=dtotal["duplicates"],
            cpu_seconds=round(dtotal["cpu_seconds"], 1),
            **_memory(delta_runs),
            database_settled_first=settled,
            target={"seconds_max": DELTA_SECONDS},
            ok=dtotal["seconds"] <= DELTA_SECONDS,
        )
    )

    # (d) dedup quality over base + delta
    log("dedup_clusters --json")
    quality = dedup_quality(Truth(list(read_truth(corpus.truth_path))), _clusters(url))
    out.append(
        result(
            "dedup_corpus",
            ads=total["read"] + dtotal["read"],
            **quality,
            target={"precision_min": PRECISION_MIN, "recall_min": RECALL_MIN},
            ok=quality["precision"] >= PRECISION_MIN and quality["recall"] >= RECALL_MIN,
        )
    )

    # (e) peak memory over every ingest run above
    memory = _memory(runs)
    out.append(
        result(
            "ingest_peak_memory",
            **memory,
            measured_over="every ingest command above (process tree, PostgreSQL excluded)",
            target={"peak_pss_mib_max": MEMORY_MIB_MAX},
            ok=memory["peak_pss_mib"] <= MEMORY_MIB_MAX,
        )
    )
    if os.environ.get("VAGVAL_BENCH_KEEP_DB") != "1":
        try:
            db.drop(DB_NAME)
        except Exception as exc:  # the figures above are what matters; say what is left over
            log(f"could not drop {DB_NAME}: {exc}")
    return out
