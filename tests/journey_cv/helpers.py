"""Helpers of the step 4 tests: creating a CV through the page, reading page text."""

from __future__ import annotations

import lxml.html
from django.test import Client

from journey.cv.models import Cv


def page_text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(lxml.html.fromstring(response.content.decode()).text_content().split())


def create_cv(browser: Client, *, target: str = "", language: str = "sv", **extra: str) -> Cv:
    """Create a CV through the start page's form, as a client would."""
    post = {"target": target, "language": language, "template": "classic", "layout": "one",
            "title": "", **extra}  # fmt: skip
    response = browser.post("/resa/cv/nytt/", post)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Cv.objects.order_by("-id").first()  # type: ignore[return-value]
