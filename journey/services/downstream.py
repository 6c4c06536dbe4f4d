"""The registry of downstream step refreshers, and how a change upstream reaches them.

When a step's output changes (step 1's CurrentState today; step 2's CompetenceProfile later),
its service calls `client_downstream_refresh_enqueue(client=...)`. After the transaction commits,
the Celery task `journey.tasks.client_downstream_refresh(client_id)` runs every refresher below,
in order, and records what each reports as JourneyChange rows for Min resa.

The registry is an explicit, ordered tuple, not signals: reading it tells you exactly what runs.
A later step plugs in by adding one line, e.g.

    StepRefresher(step=JourneyStep.MARKET, path="journey.services.market.market_plan_refresh"),
    StepRefresher(step=JourneyStep.FEED, path="journey.services.feed.feed_refresh"),

Order matters: step 3 runs before step 5, because the feed reads the search profile.

A refresher is `def refresh(*, client: ClientProfile) -> Sequence[ChangeNote]`. It must be
idempotent: recompute from the current upstream records, compare with what it stored last time
(e.g. the CurrentState revision it was computed from), store the new result, and return notes
only for real differences ("4 nya träffar sedan du lade till offentlig upphandling"). Running it
twice in a row returns no notes the second time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils.module_loading import import_string

from journey.models import ChangeKind, ClientProfile, JourneyChange, JourneyStep

from .changes import journey_change_record

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChangeNote:
    """One thing a refresher wants the client to hear about."""

    message_sv: str
    message_en: str = ""
    kind: str = ChangeKind.UPDATED
    url: str = ""


Refresher = Callable[..., Sequence[ChangeNote]]


@dataclass(frozen=True)
class StepRefresher:
    """A later step's recompute function, named by dotted path (no import cycles)."""

    step: JourneyStep
    path: str

    def load(self) -> Refresher:
        return import_string(self.path)  # type: ignore[no-any-return]


# Steps 3 (labour market), 4 (CVs) and 5 (job feed) add their refreshers here, in this order.
DOWNSTREAM_REFRESHERS: tuple[StepRefresher, ...] = (
    StepRefresher(step=JourneyStep.MARKET, path="journey.services.market.market_plan_refresh"),
    StepRefresher(step=JourneyStep.CV, path="journey.cv.services.cv_inventory_refresh"),
    StepRefresher(step=JourneyStep.FEED, path="journey.services.feed.feed_refresh"),
)


def downstream_refreshers() -> tuple[StepRefresher, ...]:
    """The refreshers to run, read at call time (so tests may swap the registry)."""
    return DOWNSTREAM_REFRESHERS


class DownstreamRefreshFailed(RuntimeError):
    """At least one refresher failed; the others ran. The task retries (they are idempotent)."""


def client_downstream_refresh_enqueue(*, client: ClientProfile) -> None:
    """Queue the downstream refresh for `client` once the current transaction commits."""
    from journey.tasks import client_downstream_refresh

    # robust: when tasks run in-process (embedded default), a failing refresher is logged and
    # retried by Celery instead of turning the client's save into an error page.
    transaction.on_commit(partial(client_downstream_refresh.delay, client.pk), robust=True)


def client_downstream_refresh_run(*, client: ClientProfile) -> list[JourneyChange]:
    """Run every registered refresher for `client` and log what they report.

    Each refresher runs in its own transaction, so one failing does not undo another's work; a
    failure is raised after all have run.
    """
    recorded: list[JourneyChange] = []
    failed: list[str] = []
    for refresher in downstream_refreshers():
        try:
            with transaction.atomic():
                notes = refresher.load()(client=client)
                for note in notes:
                    recorded.append(
                        journey_change_record(
                            client=client,
                            step=refresher.step,
                            kind=note.kind,
                            message_sv=note.message_sv,
                            message_en=note.message_en,
                            url=note.url,
                        )
                    )
        except Exception:
            logger.exception(
                "downstream refresher %s failed for client %s", refresher.path, client.pk
            )
            failed.append(refresher.path)
    if failed:
        raise DownstreamRefreshFailed(", ".join(failed))
    return recorded
