// C += B^T B for the trainer's Hessian, register-blocked, without the packing that BLAS syrk does on every call.
//
// OpenBLAS's dsyrk copies both operands into its panel format on each call. For the narrow Gram matrices of
// logistic regression (order ~50) that copy costs about as much as the arithmetic; this kernel reads the scaled
// block in place instead. Each 4 x 8 tile of C keeps its sums in eight AVX registers while one pass over the
// block's rows broadcasts four values and loads eight per row (8 FMAs), so the block must stay in L1/L2 (the
// caller sizes it). The AVX2/FMA version is chosen at run time; other CPUs get the portable loop.
//
// The single-precision kernel serves the Newton steps far from the optimum, where the Hessian only has to point the
// way: 8 x 8 tiles of floats do twice the products per instruction and read half the bytes.
#include "GramKernel.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2,fma")))
static void gram_avx2(const double *b, int rows, int order, int stride, double *c) {
    for (int j0 = 0; j0 < order; j0 += 4) {
        for (int k0 = (j0 / 8) * 8; k0 < order; k0 += 8) {
            __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            const double *r = b;
            for (int i = 0; i < rows; i++, r += stride) {
                const __m256d y0 = _mm256_load_pd(r + k0), y1 = _mm256_load_pd(r + k0 + 4);
                __m256d x = _mm256_broadcast_sd(r + j0);
                a0 = _mm256_fmadd_pd(x, y0, a0); a1 = _mm256_fmadd_pd(x, y1, a1);
                x = _mm256_broadcast_sd(r + j0 + 1);
                a2 = _mm256_fmadd_pd(x, y0, a2); a3 = _mm256_fmadd_pd(x, y1, a3);
                x = _mm256_broadcast_sd(r + j0 + 2);
                a4 = _mm256_fmadd_pd(x, y0, a4); a5 = _mm256_fmadd_pd(x, y1, a5);
                x = _mm256_broadcast_sd(r + j0 + 3);
                a6 = _mm256_fmadd_pd(x, y0, a6); a7 = _mm256_fmadd_pd(x, y1, a7);
            }
            double *t = c + (long)j0 * stride + k0;
            const __m256d sums[8] = {a0, a1, a2, a3, a4, a5, a6, a7};
            for (int u = 0; u < 4; u++) {
                double *row = t + (long)u * stride;
                _mm256_storeu_pd(row, _mm256_add_pd(_mm256_loadu_pd(row), sums[2 * u]));
                _mm256_storeu_pd(row + 4, _mm256_add_pd(_mm256_loadu_pd(row + 4), sums[2 * u + 1]));
            }
        }
    }
}

__attribute__((target("avx2,fma")))
static void gram_avx2_f32(const float *b, int rows, int order, int stride, double *c) {
    for (int j0 = 0; j0 < order; j0 += 8) {
        for (int k0 = j0; k0 < order; k0 += 8) {
            __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            const float *r = b;
            for (int i = 0; i < rows; i++, r += stride) {
                const __m256 y = _mm256_load_ps(r + k0);
                a0 = _mm256_fmadd_ps(_mm256_broadcast_ss(r + j0), y, a0);
                a1 = _mm256_fmadd_ps(_mm256_broadcast_ss(r + j0 + 1), y, a1);
                a2 = _mm256_fmadd_ps(_mm256_broadcast_ss(r + j0 + 2), y, a2);
                a3 = _mm256_fmadd_ps(_mm256_broadcast_ss(r + j0 + 3), y, a3);
                a4 = _mm256_fmadd_ps(_mm256_broadcast_ss(r + j0 + 4), y, a4);
                a5 = _mm256_fmadd_ps(_mm256_broadcast_ss(r + j0 + 5), y, a5);
                a6 = _mm256_fmadd_ps(_mm256_broadcast_ss(r + j0 + 6), y, a6);
                a7 = _mm256_fmadd_ps(_mm256_broadcast_ss(r + j0 + 7), y, a7);
            }
            const __m256 sums[8] = {a0, a1, a2, a3, a4, a5, a6, a7};
            for (int u = 0; u < 8; u++) {
                double *row = c + (long)(j0 + u) * stride + k0;
                _mm256_storeu_pd(row, _mm256_add_pd(_mm256_loadu_pd(row), _mm256_cvtps_pd(_mm256_castps256_ps128(sums[u]))));
                _mm256_storeu_pd(row + 4, _mm256_add_pd(_mm256_loadu_pd(row + 4), _mm256_cvtps_pd(_mm256_extractf128_ps(sums[u], 1))));
            }
        }
    }
}

static int avx2_state = -1;  // -1: not yet asked; the answer never changes, so a race only repeats the question

bool leadscore_gram_uses_avx2(void) {
    if (avx2_state < 0) {
        __builtin_cpu_init();
        avx2_state = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return avx2_state == 1;
}
#else
bool leadscore_gram_uses_avx2(void) { return false; }
#endif

/// The portable version: the upper triangle row by row, the inner loop contiguous so that compilers vectorise it.
void leadscore_gram_accumulate_portable(const double *b, int rows, int order, int stride, double *c) {
    for (int i = 0; i < rows; i++) {
        const double *r = b + (long)i * stride;
        for (int j = 0; j < order; j++) {
            const double v = r[j];
            double *out = c + (long)j * stride;
            for (int k = j; k < order; k++) out[k] += v * r[k];
        }
    }
}

/// The portable single-precision version, products summed in float within the block as in the vector version.
void leadscore_gram_accumulate_portable_f32(const float *b, int rows, int order, int stride, double *c) {
    for (int j = 0; j < order; j++) {
        for (int k = j; k < order; k++) {
            float sum = 0;
            for (int i = 0; i < rows; i++) sum += b[(long)i * stride + j] * b[(long)i * stride + k];
            c[(long)j * stride + k] += sum;
        }
    }
}

void leadscore_gram_accumulate_f32(const float *b, int rows, int order, int stride, double *c) {
#if defined(__x86_64__)
    if (leadscore_gram_uses_avx2()) { gram_avx2_f32(b, rows, order, stride, c); return; }
#endif
    leadscore_gram_accumulate_portable_f32(b, rows, order, stride, c);
}

void leadscore_gram_fill(const double *x, int rows, int columns, const double *scale, double *b, int stride) {
    for (int i = 0; i < rows; i++) {
        const double s = scale[i], *source = x + (long)i * columns;
        double *out = b + (long)i * stride;
        out[0] = s;
        for (int j = 0; j < columns; j++) out[1 + j] = s * source[j];
    }
}

void leadscore_gram_fill_f32(const double *x, int rows, int columns, const double *scale, float *b, int stride) {
    for (int i = 0; i < rows; i++) {
        const double s = scale[i], *source = x + (long)i * columns;
        float *out = b + (long)i * stride;
        out[0] = (float)s;
        for (int j = 0; j < columns; j++) out[1 + j] = (float)(s * source[j]);
    }
}

void leadscore_gram_accumulate(const double *b, int rows, int order, int stride, double *c) {
#if defined(__x86_64__)
    if (leadscore_gram_uses_avx2()) { gram_avx2(b, rows, order, stride, c); return; }
#endif
    leadscore_gram_accumulate_portable(b, rows, order, stride, c);
}
