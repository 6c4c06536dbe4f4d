"""The `show_if` condition language of the step 1 questionnaire, as pure functions.

A condition is JSON stored on a question; the question is shown only when it holds against the
answers given so far. The forms:

    {"question": "situation", "in": ["notice", "left"]}     answer is one of the values
    {"question": "situation", "not_in": ["at_risk"]}        answered, and not one of the values
    {"question": "severance", "answered": true}             answered at all (any value)
    {"all": [condition, ...]}   {"any": [condition, ...]}   combinations

For a multiple-choice answer (a list), `in` holds when any chosen value is listed and `not_in`
when none is. A condition on a question that is unanswered or itself hidden never holds (except
`"answered": false`), so a chain of follow-up questions disappears together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_LEAF_OPERATORS = ("in", "not_in", "answered")


class ConditionError(ValueError):
    """A `show_if` condition that is not well formed."""


def condition_validate(condition: Any, *, known_keys: Iterable[str]) -> None:
    """Raise ConditionError unless `condition` is empty or well formed over `known_keys`."""
    if condition in (None, {}):
        return
    keys = set(known_keys)
    _validate(condition, keys)


def _validate(condition: Any, keys: set[str]) -> None:
    if not isinstance(condition, dict):
        raise ConditionError("A condition is a JSON object.")
    if "all" in condition or "any" in condition:
        (combinator,) = [c for c in ("all", "any") if c in condition][:1]
        parts = condition[combinator]
        if set(condition) != {combinator} or not isinstance(parts, list) or not parts:
            raise ConditionError(f'"{combinator}" takes a non-empty list and nothing else.')
        for part in parts:
            _validate(part, keys)
        return
    question = condition.get("question")
    if not isinstance(question, str) or question not in keys:
        raise ConditionError(f"The condition refers to an unknown earlier question: {question!r}.")
    operators = [op for op in _LEAF_OPERATORS if op in condition]
    if len(operators) != 1 or set(condition) != {"question", operators[0]}:
        raise ConditionError('A condition has "question" and exactly one of in, not_in, answered.')
    operand = condition[operators[0]]
    if operators[0] == "answered":
        if not isinstance(operand, bool):
            raise ConditionError('"answered" is true or false.')
    elif not isinstance(operand, list) or not operand:
        raise ConditionError(f'"{operators[0]}" takes a non-empty list of values.')


def condition_referenced_keys(condition: Any) -> set[str]:
    """The question keys a condition depends on."""
    if not isinstance(condition, dict) or not condition:
        return set()
    if "all" in condition or "any" in condition:
        parts = condition.get("all") or condition.get("any") or []
        return set().union(*(condition_referenced_keys(p) for p in parts))
    question = condition.get("question")
    return {question} if isinstance(question, str) else set()


def condition_holds(condition: Any, answers: Mapping[str, Any]) -> bool:
    """Whether `condition` holds for `answers` (key -> value of visible, answered questions)."""
    if condition in (None, {}):
        return True
    if "all" in condition:
        return all(condition_holds(c, answers) for c in condition["all"])
    if "any" in condition:
        return any(condition_holds(c, answers) for c in condition["any"])
    value = answers.get(condition["question"])
    answered = value not in (None, "", [])
    if "answered" in condition:
        return answered is bool(condition["answered"])
    if not answered:
        return False
    given = value if isinstance(value, list) else [value]
    listed = condition.get("in", condition.get("not_in"))
    hit = any(v in listed for v in given)
    return hit if "in" in condition else not hit


def visible_question_keys(
    questions: Iterable[tuple[str, Any]], answers: Mapping[str, Any]
) -> list[str]:
    """Keys of the questions shown, in order, given (key, show_if) pairs in questionnaire order.

    Only answers to shown questions count towards later conditions: an answer left behind on a
    question that a changed answer has hidden does not keep its follow-ups alive.
    """
    shown: list[str] = []
    effective: dict[str, Any] = {}
    for key, show_if in questions:
        if condition_holds(show_if, effective):
            shown.append(key)
            if key in answers:
                effective[key] = answers[key]
    return shown
