// The Gram-matrix kernel behind the trainer's Hessian: C += B^T B over a block of rows that is already in cache.
#ifndef LEADSCORE_GRAM_KERNEL_H
#define LEADSCORE_GRAM_KERNEL_H

#include <stdbool.h>

/// Adds B^T B to the upper triangle of C.
///
/// B holds `rows` rows of `stride` doubles (row-major), of which the first `order` are values and the rest zero;
/// `stride` is a multiple of 8 and B is 32-byte aligned. C is row-major with row length `stride` and at least
/// `order` rounded up to 4 rows: tiles of 4 x 8 may also write below the diagonal and into the padding, which
/// the caller ignores.
void leadscore_gram_accumulate(const double *b, int rows, int order, int stride, double *c);

/// As `leadscore_gram_accumulate`, for a block of floats: products and sums within the block in single precision, added
/// to the double-precision C. `stride` is a multiple of 8, and C has at least `order` rounded up to 8 rows (tiles are
/// 8 x 8 on the diagonal's blocks and above).
void leadscore_gram_accumulate_f32(const float *b, int rows, int order, int stride, double *c);

/// Writes block row i = scale[i] * [1, x_i] for `rows` rows of `x` (row-major, `columns` values each) into `b`
/// (row length `stride`, at least columns + 1; the padding is left alone): the trainer's scaled rows with the
/// intercept's column of ones in front.
void leadscore_gram_fill(const double *x, int rows, int columns, const double *scale, double *b, int stride);

/// As `leadscore_gram_fill`, rounding to single precision.
void leadscore_gram_fill_f32(const double *x, int rows, int columns, const double *scale, float *b, int stride);

/// The portable versions of the two kernels, which the dispatchers above use on CPUs without AVX2/FMA; exposed so
/// that tests check them on any machine.
void leadscore_gram_accumulate_portable(const double *b, int rows, int order, int stride, double *c);
void leadscore_gram_accumulate_portable_f32(const float *b, int rows, int order, int stride, double *c);

/// Whether this CPU runs the AVX2/FMA version of the kernel (otherwise a portable loop runs).
bool leadscore_gram_uses_avx2(void);

#endif
