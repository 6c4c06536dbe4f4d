"""The accessibility statement in DIGG's model, and reporting a barrier through its form."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from cms.models import BarrierReport
from tests.cms.builders import Tree, make_statement


def test_statement_has_the_sections_of_diggs_model(client: Client, tree: Tree) -> None:
    statement = make_statement(tree)
    html = client.get(statement.url).content.decode()
    for heading in (
        "Hur tillgänglig är webbplatsen?",
        "Vad kan du göra om du inte kan använda delar av webbplatsen?",
        "Rapportera brister i webbplatsens tillgänglighet",
        "Tillsyn",
        "Teknisk information om webbplatsens tillgänglighet",
        "Innehåll som inte är tillgängligt",
        "Hur vi testat webbplatsen",
    ):
        assert "<h2" in html and heading in html, heading
    assert "delvis förenlig med lagen (2018:1937)" in html
    assert "Videor saknar syntolkning" in html and "(WCAG 1.2.5)" in html
    assert "https://www.digg.se/" in html
    assert "Webbplatsen publicerades den 1 november 2026" in html
    assert f'action="{reverse("cms:barrier_report", args=[statement.pk])}"' in html


def test_reporting_a_barrier(client: Client, tree: Tree) -> None:
    statement = make_statement(tree)
    response = client.post(
        reverse("cms:barrier_report", args=[statement.pk]),
        {
            "page_url": "/analys/",
            "description": "Diagrammen går inte att läsa med skärmläsare <script>x</script>",
            "email": "",
        },
    )
    assert response.status_code == 200
    assert "Tack för din rapport" in response.content.decode()
    report = BarrierReport.objects.get()
    assert report.description == "Diagrammen går inte att läsa med skärmläsare"
    assert mail.outbox[0].to == ["tillganglighet@example.se"]
    assert "Diagrammen går inte att läsa" in mail.outbox[0].body


def test_a_report_without_description_keeps_what_was_typed(
    client: Client, tree: Tree, settings: Any
) -> None:
    statement = make_statement(tree)
    response = client.post(
        reverse("cms:barrier_report", args=[statement.pk]),
        {"page_url": "/evenemang/", "description": "", "email": "jag@example.se"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="/evenemang/"' in html and 'value="jag@example.se"' in html
    assert not BarrierReport.objects.exists()
