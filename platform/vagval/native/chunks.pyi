"""Types of the compiled `chunks` module (chunks.pyx)."""

from collections.abc import Callable

import numpy as np

class ChunkTable:
    def __init__(self, capacity: int = ...) -> None: ...
    def __len__(self) -> int: ...
    def ids(self, text: str, add: Callable[[str], int], lower: bool = ...) -> np.ndarray: ...

def expand(
    chunk_ids: np.ndarray, starts: np.ndarray, lengths: np.ndarray, tokens: np.ndarray
) -> np.ndarray: ...
