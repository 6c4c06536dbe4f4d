"""The source layout keeps the standard library's `platform` module reachable."""

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_platform_gives_the_standard_library() -> None:
    platform = importlib.import_module("platform")
    assert Path(platform.__file__).parent == Path(sys.modules["os"].__file__).parent
    assert callable(platform.python_version)


def test_platform_folder_is_a_source_root_not_a_package() -> None:
    assert not (ROOT / "platform" / "__init__.py").exists()
    assert (ROOT / "platform" / "vagval" / "__init__.py").exists()


def test_core_does_not_import_the_portals() -> None:
    """Dependencies point one way: portals import vagval, never the reverse."""
    offenders = []
    for path in (ROOT / "platform" / "vagval").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for portal in ("journey", "advisers", "employers", "cms"):
            if f"from {portal}" in text or f"import {portal}" in text:
                offenders.append(f"{path.relative_to(ROOT)} imports {portal}")
    assert offenders == []
