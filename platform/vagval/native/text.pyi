"""Type stub of the compiled `vagval.native.text` (see text.pyx)."""

from collections.abc import Callable, Iterable
from typing import Any

def clean_text(text: str) -> str: ...
def copy_fields(values: Iterable[Any], fallback: Callable[[Any], str]) -> bytes: ...
def hint_windows(
    text: str, hints: tuple[str, ...], window: int
) -> list[tuple[int, int]] | None: ...
