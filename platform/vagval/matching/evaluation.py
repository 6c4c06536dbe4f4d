"""Top-5 accuracy of free text -> SSYK-4 suggestions on the labelled ads we honestly have.

None of the bulk ads in the shared data carries an occupation label, so two small sets are
assembled, and what each measures is stated with its figure:

* `auranest`: the 10 JobTech "Auranest" ads carry `occupations`, occupation names chosen by
  JobTech's own enrichment (not by us). An ad's true groups are the SSYK-4 groups of those names
  (looked up as exact taxonomy terms); ads whose names are "unknown" or not in the taxonomy
  are left out. A hit = any true group in the top 5. Tiny, but independent of our model.
* `headline_label`: Platsbanken ads (Stockholm IT, 2023) whose headline *is* an occupation
  name or synonym (after normalising case and punctuation); the label is that name's group.
  With the headline kept this is close to a self-test (the model sees the very term that
  labelled the ad), so it is reported as `with_headline` only as a sanity check; the honest
  figure is `without_headline`: the headline removed, the model sees only the body.

Neither is the acceptance set (real labelled ads, not in the shared data); both are reported
by the matching benchmark.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from django.conf import settings

from vagval.matching.occupations import _norm, get_text_model, occupations_from_text


def _term_groups() -> dict[str, set[str]]:
    model = get_text_model()
    out: dict[str, set[str]] = {}
    for text, grp, occ, kind in zip(
        model.term_text,
        model.term_group.tolist(),
        model.term_occ.tolist(),
        model.term_kind,
        strict=True,
    ):
        # Labels come from the taxonomy's own names only, never from our English title list.
        if occ >= 0 and kind != "english":
            out.setdefault(text, set()).add(model.groups[grp])
    return out


def labelled_auranest(data_dir: Path) -> list[dict[str, Any]]:
    path = data_dir / "jobads" / "jobtech_auranest_search_response_2019.json"
    if not path.exists():
        return []
    terms = _term_groups()
    out = []
    for hit in json.loads(path.read_text(encoding="utf-8"))["hits"]["hits"]:
        src = hit["_source"]
        groups: set[str] = set()
        for name in src.get("occupations") or []:
            groups |= terms.get(_norm(name), set())
        if not groups:
            continue
        head = " ".join(str(src.get("header", "")).split())
        body = (src.get("content") or {}).get("text", "")
        out.append({"headline": head, "body": body, "groups": groups})
    return out


def labelled_headlines(data_dir: Path) -> list[dict[str, Any]]:
    path = data_dir / "jobads" / "platsbanken_web_2023-08_stockholm_it.jsonl.gz"
    if not path.exists():
        return []
    terms = _term_groups()
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            groups = terms.get(_norm(row.get("title", "")), set())
            if len(groups) == 1:  # an ambiguous name would make an ambiguous label
                out.append(
                    {
                        "headline": row["title"],
                        "body": row.get("description", ""),
                        "groups": groups,
                    }
                )
    return out


def top5_accuracy(items: list[dict[str, Any]], *, with_headline: bool) -> dict[str, Any]:
    hits = 0
    for item in items:
        if with_headline:
            text = f"{item['headline']}\n{item['body']}"
            ranked = occupations_from_text(text=text, top=5)
        else:
            ranked = occupations_from_text(text=item["body"], top=5, title="")
        if {r.group_id for r in ranked} & item["groups"]:
            hits += 1
    n = len(items)
    return {"n": n, "top5": round(hits / n, 3) if n else None}


def evaluate_suggestions(data_dir: Path | None = None) -> dict[str, Any]:
    """Top-5 accuracy on both labelled sets (see the module docstring)."""
    folder = Path(data_dir or settings.VAGVAL_DATA_DIR)
    aura = labelled_auranest(folder)
    heads = labelled_headlines(folder)
    return {
        "auranest_with_headline": top5_accuracy(aura, with_headline=True),
        "headline_label_without_headline": top5_accuracy(heads, with_headline=False),
        "headline_label_with_headline_selftest": top5_accuracy(heads, with_headline=True),
        "target": 0.7,
        "note": "acceptance uses other, independently labelled ads; see matching/evaluation.py",
    }
