"""Compiled (Cython) inner loops of job-ad ingestion, with the pure-Python code as reference.

These loops run over every character, token or shingle of every ad and cost most of a
worker's CPU in Python: splitting text into white-space chunks and finding their token ids
(`chunks.ChunkTable`; `chunks.join_runs` joins the tokens' words), the MinHash signature and
its band keys (`minhash`), cleaning the plain text's white space and control characters
(`text.clean_text`), and finding where taxonomy terms may start (`match.term_starts`); and,
in the serial batch writer, each ad's duplicate decision against its candidates
(`clusters.assign`). They are compiled when the project is installed (`setup.py`); the modules
that use them (`vagval.taxonomy.vocab`, `vagval.jobs.dedup`, `vagval.jobs.normalise`,
`vagval.taxonomy.textmatch`) fall back to their numpy/Python versions when the extension is not
built, and tests check that both give the same results.

The taxonomy matcher's whole search is compiled too (`match.find_concepts`: both token
indexes over a text's ids, each concept's places counted, the concepts ordered), and the
lemmatiser's dictionaries are read-only hash tables in memory-mapped files (`strmap`), which
every process opens at no cost instead of loading 1.15 million dict entries.

`AVAILABLE` says whether the compiled code is in use; the ingest benchmark reports it.
"""

from __future__ import annotations

try:
    from . import chunks, clusters, match, minhash, strmap, text
except ImportError:  # a checkout that was not installed with `pip install -e .`
    chunks = clusters = match = minhash = strmap = text = None  # type: ignore[assignment]

AVAILABLE = None not in (chunks, clusters, match, minhash, strmap, text)

__all__ = ["AVAILABLE", "chunks", "clusters", "match", "minhash", "strmap", "text"]
