/* The MinHash inner loop of vagval.native.minhash, compiled twice: for AVX2 (eight 32-bit
 * lanes: multiply, add, minimum) and for any x86-64 / other CPU. The one to use is chosen at
 * run time, so an extension built on one machine runs on any other. */
#include <stdint.h>
#include <stddef.h>

static inline uint32_t vagval_fmix32(uint32_t h) {
    h ^= h >> 16;
    h *= 0x85EBCA6BU;
    h ^= h >> 13;
    h *= 0xC2B2AE35U;
    h ^= h >> 16;
    return h;
}

/* Shingle i of n word hashes: word 3-grams mixed in 64 bits (the words alone when n < 3). */
static inline uint32_t vagval_shingle(const uint32_t *w, ptrdiff_t n, ptrdiff_t i) {
    if (n < 3) return vagval_fmix32(w[i]);
    uint64_t mixed = ((uint64_t)w[i] * 0x9E3779B97F4A7C15ULL)
                   ^ (((uint64_t)w[i + 1] * 0xC2B2AE3D27D4EB4FULL) >> 7)
                   ^ ((uint64_t)w[i + 2] << 11);
    mixed ^= mixed >> 32;
    return vagval_fmix32((uint32_t)mixed);
}

#define VAGVAL_MINHASH_BODY                                                  \
    ptrdiff_t count = n >= 3 ? n - 2 : n;                                   \
    for (ptrdiff_t i = 0; i < count; i++) {                                 \
        uint32_t hv = vagval_shingle(w, n, i);                              \
        for (ptrdiff_t p = 0; p < perms; p++) {                             \
            uint32_t v = a[p] * hv + b[p];                                  \
            out[p] = v < out[p] ? v : out[p];                               \
        }                                                                   \
    }

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
__attribute__((target("avx2")))
static void vagval_minhash_avx2(const uint32_t *w, ptrdiff_t n, const uint32_t *a,
                                const uint32_t *b, uint32_t *out, ptrdiff_t perms) {
    VAGVAL_MINHASH_BODY
}
#define VAGVAL_HAVE_AVX2 1
#endif

static void vagval_minhash_plain(const uint32_t *w, ptrdiff_t n, const uint32_t *a,
                                 const uint32_t *b, uint32_t *out, ptrdiff_t perms) {
    VAGVAL_MINHASH_BODY
}

static void vagval_minhash(const uint32_t *w, ptrdiff_t n, const uint32_t *a,
                           const uint32_t *b, uint32_t *out, ptrdiff_t perms) {
#ifdef VAGVAL_HAVE_AVX2
    if (__builtin_cpu_supports("avx2")) {
        vagval_minhash_avx2(w, n, a, b, out, perms);
        return;
    }
#endif
    vagval_minhash_plain(w, n, a, b, out, perms);
}
