"""Type stub of the compiled `vagval.native.match` (see match.pyx)."""

import numpy as np

def term_starts(
    flags: np.ndarray, pairs: np.ndarray, ids: np.ndarray, limit: int
) -> tuple[list[int], list[int], list[int]]: ...
