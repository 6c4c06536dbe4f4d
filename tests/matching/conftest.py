"""Fixtures for matching tests: the real taxonomy (committed snapshot) and small ad indexes."""

from __future__ import annotations

import datetime as dt

import pytest

from vagval.matching.taxonomy_view import TaxonomyView, get_taxonomy_view

NOW = dt.datetime(2024, 5, 2, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def tax() -> TaxonomyView:
    return get_taxonomy_view()


class Ids:
    """Real JobTech concept ids looked up by label, so tests read like the domain."""

    def __init__(self, tax: TaxonomyView) -> None:
        self.tax = tax

    def occupation(self, label: str) -> str:
        return next(o for o, lab in self.tax.occupation_label.items() if lab == label)

    def municipality(self, label: str) -> str:
        return next(m for m, lab in self.tax.municipality_label.items() if lab == label)

    def skill(self, label: str) -> str:
        return next(s for s, lab in self.tax.skill_label.items() if lab == label)

    def group(self, code: str) -> str:
        return self.tax.code_group[code]


@pytest.fixture(scope="session")
def ids(tax: TaxonomyView) -> Ids:
    return Ids(tax)
