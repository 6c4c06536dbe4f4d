"""Type stub of the compiled `vagval.native.match` (see match.pyx)."""

import numpy as np

def term_starts(
    flags: np.ndarray, pairs: np.ndarray, ids: np.ndarray, limit: int
) -> tuple[list[int], list[int], list[int]]: ...

class TermIndex:
    arrays: tuple[np.ndarray, ...]
    def __init__(
        self,
        flags: np.ndarray,
        pairs: np.ndarray,
        single_start: np.ndarray,
        single_concepts: np.ndarray,
        pair_start: np.ndarray,
        entry_start: np.ndarray,
        rest_start: np.ndarray,
        rest_ids: np.ndarray,
        concept_start: np.ndarray,
        concepts: np.ndarray,
        limit: int,
    ) -> None: ...

def find_concepts(
    surface: TermIndex, lemma: TermIndex, ids: np.ndarray, lemma_of: np.ndarray, wanted: np.ndarray
) -> tuple[list[int], list[int], list[int], list[int]] | None: ...
