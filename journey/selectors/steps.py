"""The status of one journey step as Min resa shows it. Each step's selectors provide one."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class StepStatus:
    """One step on Min resa: where the client is, what the step already knows, what to do next.

    Steps 2, 3 and 5 return one of these from their `<step>_step_status(*, client, language)`
    selector and list it in `journey.selectors.overview.STEP_STATUS_PROVIDERS`. A provider should
    cost at most one or two queries: Min resa has a budget of ten for the whole page.
    """

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    UNAVAILABLE = "unavailable"  # not built yet, or waiting for an earlier step

    step: str
    number: int
    title: str
    state: str
    url: str = ""
    action: str = ""  # the label of the link to `url`
    facts: list[str] = field(default_factory=list)  # what the step already knows, in words

    @property
    def is_done(self) -> bool:
        return self.state == self.DONE
