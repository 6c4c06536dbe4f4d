"""The committed snapshot is small, well-formed and reproducible from the real data."""

from __future__ import annotations

import importlib.util
import sys
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

import pytest
from django.conf import settings

from vagval.taxonomy.snapshot import DEFAULT_SNAPSHOT_PATH, snapshot_read

REPO = Path(__file__).resolve().parents[2]


def test_the_committed_snapshot_is_compact_and_documented() -> None:
    assert DEFAULT_SNAPSHOT_PATH.stat().st_size < 2 * 1024 * 1024
    sources = (DEFAULT_SNAPSHOT_PATH.parent / "SOURCES.md").read_text(encoding="utf-8")
    for origin in ("linneamoritznyc/nordiqflow", "JobtechSwe/elastic-importers", "ontology-files"):
        assert origin in sources
    snapshot = snapshot_read(DEFAULT_SNAPSHOT_PATH)
    assert len(snapshot.version) == 16
    assert snapshot.version == snapshot.content_hash()[:16]


def test_the_builder_reproduces_the_committed_snapshot(tmp_path: Path) -> None:
    data_dir = Path(settings.VAGVAL_DATA_DIR)
    if not (data_dir / "taxonomy").is_dir():
        pytest.skip(f"the real taxonomy data is not in {data_dir} (set VAGVAL_DATA_DIR)")
    committed = snapshot_read(DEFAULT_SNAPSHOT_PATH)
    # The ambiguity rules and English labels come from these packages' data: a different
    # version may legitimately give a different snapshot, which is not a bug in the builder.
    for source in committed.sources:
        if "version" in source:
            try:
                installed = package_version(source["name"])
            except PackageNotFoundError:
                pytest.skip(f"{source['name']} is not installed (dev extras)")
            if installed != source["version"]:
                pytest.skip(
                    f"{source['name']} {installed} is installed but the snapshot was built with "
                    f"{source['version']}; rebuild it with scripts/build_taxonomy_snapshot.py"
                )
    spec = importlib.util.spec_from_file_location(
        "build_taxonomy_snapshot", REPO / "scripts" / "build_taxonomy_snapshot.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_taxonomy_snapshot", module)
    spec.loader.exec_module(module)

    out = tmp_path / "rebuilt.json.gz"
    version, report = module.build(data_dir, out)

    assert version == committed.version, "rebuild the snapshot and commit it"
    assert out.read_bytes() == DEFAULT_SNAPSHOT_PATH.read_bytes()
    assert report["ontology"]["groups_mapped"] > 1500
