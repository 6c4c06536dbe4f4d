"""The pipeline's worker pool: the workers step back for the serial writer."""

from __future__ import annotations

import os
from typing import Any

import pytest

from vagval.jobs import pipeline


def _report_niceness(chunk: list[Any]) -> list[Any]:
    """Stands in for the normalising stage: what priority does a worker run at?"""
    return [os.nice(0)] * len(chunk)


class _Collect:
    def __init__(self) -> None:
        self.results: list[Any] = []

    def write(self, results: list[Any]) -> None:
        self.results.extend(results)


def test_workers_run_at_a_lower_priority_than_the_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "_process_chunk_in_worker", _report_niceness)
    writer = _Collect()
    records = [object()] * (pipeline.CHUNK_SIZE * 4)  # enough chunks for the pool
    stats = pipeline.run(records, writer, workers=2)  # type: ignore[arg-type]
    assert stats.timings["workers"] == 2
    assert len(writer.results) == len(records)
    expected = min(19, os.nice(0) + pipeline.WORKER_NICENESS)
    assert set(writer.results) == {expected}
    assert os.nice(0) < expected  # this process, the writer's, keeps its priority


def _report_collector(chunk: list[Any]) -> list[Any]:
    import gc

    return [(gc.get_threshold()[0], gc.get_freeze_count() > 0)] * len(chunk)


def test_a_run_tunes_the_garbage_collector_and_gives_it_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """During a run the collector runs seldom and skips what existed before (in the writer and
    the forked workers alike); afterwards this process has its own settings back."""
    import gc

    before = gc.get_threshold()
    monkeypatch.setattr(pipeline, "_process_chunk_in_worker", _report_collector)
    seen_by_writer: list[tuple[int, int]] = []

    class Writer(_Collect):
        def write(self, results: list[Any]) -> None:
            seen_by_writer.append((gc.get_threshold()[0], gc.get_freeze_count()))
            super().write(results)

    writer = Writer()
    records = [object()] * (pipeline.CHUNK_SIZE * 4)
    pipeline.run(records, writer, workers=2)  # type: ignore[arg-type]
    assert set(writer.results) == {(pipeline.BULK_GC_THRESHOLD, True)}
    assert all(t == pipeline.BULK_GC_THRESHOLD and frozen > 0 for t, frozen in seen_by_writer)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
