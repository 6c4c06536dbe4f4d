# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The batch writer's duplicate decision, in one pass over a batch's ads.

`vagval.jobs.dedup.assign_python` is the reference (and what runs when this is not built);
`tests/native` requires the same assignment from both. For each ad, in input order: a stored
exact duplicate's cluster; else the cluster of an earlier ad of the batch with the same content;
else the most similar candidate that `dedup.is_duplicate` accepts, first the stored ads under the
ad's band keys, then the batch's earlier ads under them, each candidate once, in order of first
appearance (a later candidate wins only with a strictly higher similarity); else a new cluster.

In Python that is a dict lookup, a "seen already" check and an `is_duplicate` call per
candidate, ~90 us per ad; an employer's boilerplate puts hundreds of ads under one band key.
Here candidates are ints: a stamp array replaces the "seen" sets, titles, employers and
organisation numbers are interned ids, and each title's words are a sorted run of word ids.
"""

from libc.stdint cimport int32_t, int64_t, uint32_t

import numpy as np


cdef inline bint _subset(const int64_t[::1] ptr, const int32_t[::1] words, int32_t a, int32_t b):
    """Whether title a's words are all among title b's (both sorted, distinct)."""
    cdef int64_t i = ptr[a], end_a = ptr[a + 1], j = ptr[b], end_b = ptr[b + 1]
    while i < end_a:
        while j < end_b and words[j] < words[i]:
            j += 1
        if j == end_b or words[j] != words[i]:
            return False
        i += 1
        j += 1
    return True


cdef inline double _similarity(
    const uint32_t[:, ::1] sig_a, Py_ssize_t a, const uint32_t[:, ::1] sig_b, Py_ssize_t b,
    int32_t title_a, int32_t title_b, int32_t employer_a, int32_t employer_b,
    int32_t org_a, int32_t org_b,
    const int64_t[::1] title_ptr, const int32_t[::1] title_words,
    double same_threshold, double other_threshold,
):
    """`dedup.is_duplicate`: title 0 is the empty title, employer and org -1 unknown."""
    cdef Py_ssize_t k, width = sig_a.shape[1]
    cdef int count = 0
    cdef double sim, threshold
    if title_a != 0 and title_b != 0 and title_a != title_b:
        if not (_subset(title_ptr, title_words, title_a, title_b)
                or _subset(title_ptr, title_words, title_b, title_a)):
            return 0.0
    if (employer_a >= 0 and employer_a == employer_b) or (org_a >= 0 and org_a == org_b):
        threshold = same_threshold
    else:
        threshold = other_threshold
    for k in range(width):
        if sig_a[a, k] == sig_b[b, k]:
            count += 1
    sim = <double>count / <double>width
    return sim if sim >= threshold else 0.0


def assign(
    const int64_t[::1] exact_cluster,
    const int64_t[::1] same_as,
    const uint32_t[:, ::1] ad_sig,
    const int32_t[::1] ad_title,
    const int32_t[::1] ad_employer,
    const int32_t[::1] ad_org,
    const int64_t[::1] key_ptr,
    const int64_t[::1] stored_start,
    const int64_t[::1] stored_end,
    const int64_t[::1] stored_cand,
    const int64_t[::1] batch_order,
    const int64_t[::1] batch_start,
    const int64_t[::1] cand_cluster,
    const uint32_t[:, ::1] cand_sig,
    const int32_t[::1] cand_title,
    const int32_t[::1] cand_employer,
    const int32_t[::1] cand_org,
    const int64_t[::1] title_ptr,
    const int32_t[::1] title_words,
    double same_threshold,
    double other_threshold,
):
    """(cluster per ad or -1, founding slot per ad or -1): see the module docstring.

    Ad i's band keys are the positions key_ptr[i] .. key_ptr[i + 1]; at position p, the stored
    candidates (indexes into the cand_* arrays; -1: not a candidate) are
    stored_cand[stored_start[p] : stored_end[p]], and the batch's ads under the same key are
    batch_order[batch_start[p] :] for as long as they come before ad i (`batch_order` is every
    position's ad, sorted by key, then by position)."""
    cdef Py_ssize_t n = exact_cluster.shape[0], n_cand = cand_cluster.shape[0]
    cdef Py_ssize_t i, j, p, q, c, nq = batch_order.shape[0]
    cdef double best, sim
    cdef int64_t choice_cluster, choice_slot
    cdef bint chosen
    cluster_np = np.full(n, -1, dtype=np.int64)
    slot_np = np.full(n, -1, dtype=np.int64)
    cand_stamp_np = np.zeros(max(n_cand, 1), dtype=np.int64)
    batch_stamp_np = np.zeros(max(n, 1), dtype=np.int64)
    cdef int64_t[::1] cluster = cluster_np, slot = slot_np
    cdef int64_t[::1] cand_stamp = cand_stamp_np, batch_stamp = batch_stamp_np
    for i in range(n):
        if exact_cluster[i] >= 0:
            cluster[i] = exact_cluster[i]
            continue
        if same_as[i] >= 0:
            cluster[i] = cluster[same_as[i]]
            slot[i] = slot[same_as[i]]
            continue
        best = 0.0
        chosen = False
        choice_cluster = -1
        choice_slot = -1
        for p in range(key_ptr[i], key_ptr[i + 1]):
            for q in range(stored_start[p], stored_end[p]):
                c = stored_cand[q]
                if c < 0 or cand_stamp[c] == i + 1:
                    continue
                cand_stamp[c] = i + 1
                sim = _similarity(
                    ad_sig, i, cand_sig, c, ad_title[i], cand_title[c], ad_employer[i],
                    cand_employer[c], ad_org[i], cand_org[c], title_ptr, title_words,
                    same_threshold, other_threshold,
                )
                if sim > best and cand_cluster[c] >= 0:
                    best = sim
                    chosen = True
                    choice_cluster = cand_cluster[c]
                    choice_slot = -1
        for p in range(key_ptr[i], key_ptr[i + 1]):
            q = batch_start[p]
            while q < nq and batch_order[q] < i:
                j = batch_order[q]
                q += 1
                if batch_stamp[j] == i + 1:
                    continue
                batch_stamp[j] = i + 1
                sim = _similarity(
                    ad_sig, i, ad_sig, j, ad_title[i], ad_title[j], ad_employer[i],
                    ad_employer[j], ad_org[i], ad_org[j], title_ptr, title_words,
                    same_threshold, other_threshold,
                )
                if sim > best:
                    best = sim
                    chosen = True
                    choice_cluster = cluster[j]
                    choice_slot = slot[j]
        if chosen:
            cluster[i] = choice_cluster
            slot[i] = choice_slot
        else:
            slot[i] = i
    return cluster_np, slot_np
