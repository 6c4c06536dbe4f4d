"""Types of the compiled `minhash` module (minhash.pyx)."""

import numpy as np

def signature(word_hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray: ...
