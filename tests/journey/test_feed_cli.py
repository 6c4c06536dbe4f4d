"""The command-line tools, exactly as documented: `export_profile --email ADDRESS --out FILE`
writes the portable profile, and `feed --profile FILE --top N --json` ranks the ads in the
database for it, giving the same feed as the page."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from journey.matchprofile import match_profile_get
from journey.models import ClientProfile
from vagval.matching.feed import feed_rank

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_export_then_feed(developer: ClientProfile, tmp_path: Path) -> None:
    from journey.matchprofile import ad_index_get

    path = tmp_path / "profil.json"
    _run("export_profile", "--email", developer.user.email, "--out", str(path))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["schema"] == "vagval.portable-profile" and document["version"] == 1
    assert document["accounts"]["email"] == developer.user.email
    journey = document["journey"]
    assert journey["match_profile"]["skills"], "step 2's skills are in the profile"
    assert journey["match_profile"]["municipalities"], "step 1's places are in the profile"
    assert journey["competence"] and journey["current_states"]
    assert path.stat().st_mode & 0o077 == 0, "personal data: readable by the owner only"

    rows = json.loads(_run("feed", "--profile", str(path), "--top", "7", "--json"))
    assert len(rows) == 7
    assert all(set(row) == {"ad_id", "score", "reasons"} for row in rows)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert all(r["reasons"] and r["reasons"][0]["text_sv"] for r in rows)
    expected = feed_rank(match_profile_get(client=developer), 7, index=ad_index_get().index)
    assert [r["ad_id"] for r in rows] == [e.ad_id for e in expected]
    # The bare match profile works too, and so does the readable table.
    bare = tmp_path / "match.json"
    bare.write_text(json.dumps(journey["match_profile"]), encoding="utf-8")
    again = json.loads(_run("feed", "--profile", str(bare), "--top", "7", "--json"))
    assert [r["ad_id"] for r in again] == [r["ad_id"] for r in rows]
    table = _run("feed", "--profile", str(bare), "--top", "2")
    assert len(table.strip().splitlines()) == 2


def test_cli_errors_are_clear(developer: ClientProfile, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No account"):
        _run("export_profile", "--email", "ingen@example.se", "--out", str(tmp_path / "x.json"))
    with pytest.raises(CommandError, match="does not exist"):
        _run("export_profile", "--email", developer.user.email, "--out", "/nonexistent/x.json")
    with pytest.raises(CommandError, match="No such file"):
        _run("feed", "--profile", str(tmp_path / "missing.json"), "--json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        _run("feed", "--profile", str(broken))
    future = tmp_path / "future.json"
    future.write_text(json.dumps({"schema": "vagval.portable-profile", "version": 9}))
    with pytest.raises(CommandError, match="version 9 is not supported"):
        _run("feed", "--profile", str(future))
    typo = tmp_path / "typo.json"
    typo.write_text(json.dumps({"skils": {"x": 1}}))
    with pytest.raises(CommandError, match="Unknown match profile fields: skils"):
        _run("feed", "--profile", str(typo))
    with pytest.raises(CommandError, match="--top must be at least 1"):
        _run("feed", "--profile", str(typo), "--top", "0")
