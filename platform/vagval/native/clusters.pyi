"""Types of the compiled `clusters` module (clusters.pyx)."""

import numpy as np

def assign(
    exact_cluster: np.ndarray,
    same_as: np.ndarray,
    ad_sig: np.ndarray,
    ad_title: np.ndarray,
    ad_employer: np.ndarray,
    ad_org: np.ndarray,
    key_ptr: np.ndarray,
    stored_start: np.ndarray,
    stored_end: np.ndarray,
    stored_cand: np.ndarray,
    batch_order: np.ndarray,
    batch_start: np.ndarray,
    cand_cluster: np.ndarray,
    cand_sig: np.ndarray,
    cand_title: np.ndarray,
    cand_employer: np.ndarray,
    cand_org: np.ndarray,
    title_ptr: np.ndarray,
    title_words: np.ndarray,
    same_threshold: float,
    other_threshold: float,
) -> tuple[np.ndarray, np.ndarray]: ...
