"""The show_if condition language: what shows, what hides, and what is refused as malformed."""

from __future__ import annotations

import pytest

from journey.conditions import (
    ConditionError,
    condition_holds,
    condition_validate,
    visible_question_keys,
)


def test_in_and_not_in_on_single_and_multiple_answers() -> None:
    cond_in = {"question": "situation", "in": ["notice", "left"]}
    assert condition_holds(cond_in, {"situation": "notice"})
    assert not condition_holds(cond_in, {"situation": "at_risk"})
    assert not condition_holds(cond_in, {})  # unanswered: the follow-up stays hidden
    cond_not = {"question": "help", "not_in": ["cv"]}
    assert condition_holds(cond_not, {"help": ["network", "studies"]})
    assert not condition_holds(cond_not, {"help": ["network", "cv"]})
    assert not condition_holds(cond_not, {})


def test_answered_all_and_any() -> None:
    low = {"any": [{"question": "energy", "in": [1, 2]}, {"question": "wellbeing", "in": [1, 2]}]}
    assert condition_holds(low, {"energy": 4, "wellbeing": 2})
    assert not condition_holds(low, {"energy": 4, "wellbeing": 3})
    both = {"all": [{"question": "a", "answered": True}, {"question": "b", "answered": False}]}
    assert condition_holds(both, {"a": "x"})
    assert not condition_holds(both, {"a": "x", "b": "y"})


def test_a_chain_of_follow_ups_disappears_together() -> None:
    questions = [
        ("situation", {}),
        ("severance", {"question": "situation", "in": ["notice"]}),
        ("severance_months", {"question": "severance", "in": ["yes"]}),
        ("energy", {}),
    ]
    answers = {"situation": "notice", "severance": "yes", "severance_months": 6}
    assert visible_question_keys(questions, answers) == [
        "situation",
        "severance",
        "severance_months",
        "energy",
    ]
    # The old answer to `severance` is still stored, but its question is hidden now, so it no
    # longer keeps `severance_months` visible.
    answers["situation"] = "at_risk"
    assert visible_question_keys(questions, answers) == ["situation", "energy"]


@pytest.mark.parametrize(
    "condition",
    [
        {"question": "later", "in": ["x"]},  # not an earlier question
        {"question": "situation"},  # no operator
        {"question": "situation", "in": []},
        {"question": "situation", "in": "notice"},
        {"question": "situation", "in": ["x"], "not_in": ["y"]},
        {"all": []},
        {"any": [{"question": "situation", "answered": "yes"}]},
        ["situation"],
    ],
)
def test_malformed_conditions_are_refused(condition: object) -> None:
    with pytest.raises(ConditionError):
        condition_validate(condition, known_keys=["situation"])


def test_well_formed_condition_is_accepted() -> None:
    condition_validate(
        {"any": [{"question": "a", "in": [1]}, {"question": "b", "not_in": ["x"]}]},
        known_keys=["a", "b"],
    )
    condition_validate({}, known_keys=[])
