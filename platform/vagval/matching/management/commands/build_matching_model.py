"""`manage.py build_matching_model`: build the matching models now and report on them.

Nothing is written to disk: the occupation text model and the ad index are rebuilt from the
taxonomy and the active ads on first use in every process. This command builds both once (to
check that they build, and how long it takes) and, with --evaluate, prints the top-5 accuracy
of free-text suggestions on the labelled sets described in matching/evaluation.py.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Build the occupation text model and the ad index; optionally evaluate suggestions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--evaluate", action="store_true", help="print top-5 accuracy")

    def handle(self, *args: Any, **options: Any) -> None:
        from vagval.matching.feed import ad_index_clear, get_ad_index
        from vagval.matching.occupations import get_text_model, reset_text_model

        started = time.perf_counter()
        reset_text_model()
        model = get_text_model()
        self.stdout.write(
            f"occupation text model: {len(model.occs)} occupations, {len(model.groups)} groups, "
            f"{len(model.term_text)} title terms ({model.view.source}) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        started = time.perf_counter()
        ad_index_clear()
        index = get_ad_index()
        self.stdout.write(
            f"ad index: {index.n_ads} ads, {index.X.nnz + index.TT.nnz} stored values in "
            f"{time.perf_counter() - started:.1f} s"
        )
        if options["evaluate"]:
            from vagval.matching.evaluation import evaluate_suggestions

            self.stdout.write(json.dumps(evaluate_suggestions(), ensure_ascii=False))
