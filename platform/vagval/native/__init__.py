"""Compiled (Cython) inner loops of job-ad ingestion, with the pure-Python code as reference.

Two loops run over every character or every shingle of every ad and cost most of a worker's
CPU in Python: splitting text into white-space chunks and finding each chunk's id
(`chunks.ChunkTable`), and the MinHash signature (`minhash.signature`). They are compiled when
the project is installed (`setup.py`); the modules that use them (`vagval.taxonomy.vocab`,
`vagval.jobs.dedup`) fall back to their numpy/Python versions when the extension is not built,
and tests check that both give the same results.

`AVAILABLE` says whether the compiled code is in use; the ingest benchmark reports it.
"""

from __future__ import annotations

try:
    from . import chunks, minhash
except ImportError:  # a checkout that was not installed with `pip install -e .`
    chunks = minhash = None  # type: ignore[assignment]

AVAILABLE = chunks is not None and minhash is not None

__all__ = ["AVAILABLE", "chunks", "minhash"]
