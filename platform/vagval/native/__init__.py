"""Compiled (Cython) inner loops of job-ad ingestion, with the pure-Python code as reference.

Three loops run over every character or every shingle of every ad and cost most of a worker's
CPU in Python: splitting text into white-space chunks and finding each chunk's id
(`chunks.ChunkTable`), the MinHash signature (`minhash.signature`), and cleaning the plain
text's white space and control characters (`text.clean_text`). They are compiled when the
project is installed (`setup.py`); the modules that use them (`vagval.taxonomy.vocab`,
`vagval.jobs.dedup`, `vagval.jobs.normalise`) fall back to their numpy/Python versions when
the extension is not built, and tests check that both give the same results.

`AVAILABLE` says whether the compiled code is in use; the ingest benchmark reports it.
"""

from __future__ import annotations

try:
    from . import chunks, minhash, text
except ImportError:  # a checkout that was not installed with `pip install -e .`
    chunks = minhash = text = None  # type: ignore[assignment]

AVAILABLE = chunks is not None and minhash is not None and text is not None

__all__ = ["AVAILABLE", "chunks", "minhash", "text"]
