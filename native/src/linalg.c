/*
 * Row-major Cholesky factorisation, SPD inverse and solves. LAPACK is column-major: a row-major lower factor is
 * the column-major upper one, so every call passes uplo = 'U'. OpenBLAS ships optimised, threaded potrf/trtri/lauum.
 */
#include "linalg.h"

#include <cblas.h>

extern void spotrf_(const char *uplo, const int *n, float *a, const int *lda, int *info);
extern void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
extern void spotri_(const char *uplo, const int *n, float *a, const int *lda, int *info);
extern void dpotri_(const char *uplo, const int *n, double *a, const int *lda, int *info);

#define BLK 64

/* Zero the strict upper triangle (row-major), so the buffer holds exactly L. */
#define ZERO_UPPER(T)                                             \
  static void zero_upper_##T(T *a, int n) {                      \
    for (long i = 0; i < n; i++)                                 \
      for (long j = i + 1; j < n; j++) a[i * n + j] = 0;         \
  }
/* Copy the lower triangle onto the upper one, in cache blocks. */
#define MIRROR(T)                                                                   \
  static void mirror_##T(T *a, int n) {                                            \
    for (long i0 = 0; i0 < n; i0 += BLK)                                           \
      for (long j0 = 0; j0 <= i0; j0 += BLK)                                       \
        for (long i = i0; i < i0 + BLK && i < n; i++)                              \
          for (long j = j0; j < j0 + BLK && j < i; j++) a[j * n + i] = a[i * n + j]; \
  }
ZERO_UPPER(float)
ZERO_UPPER(double)
MIRROR(float)
MIRROR(double)

int lw_spotrf(float *a, int n) {
  int info = 0;
  spotrf_("U", &n, a, &n, &info);
  if (info == 0) zero_upper_float(a, n);
  return info;
}

int lw_dpotrf(double *a, int n) {
  int info = 0;
  dpotrf_("U", &n, a, &n, &info);
  if (info == 0) zero_upper_double(a, n);
  return info;
}

int lw_spotri(float *a, int n) {
  int info = 0;
  spotri_("U", &n, a, &n, &info);
  if (info == 0) mirror_float(a, n);
  return info;
}

int lw_dpotri(double *a, int n) {
  int info = 0;
  dpotri_("U", &n, a, &n, &info);
  if (info == 0) mirror_double(a, n);
  return info;
}

/* Solve L·Lᵀ·X = B, B row-major n×nrhs: two triangular solves. */
void lw_spotrs(const float *l, int n, float *b, int nrhs) {
  cblas_strsm(CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, n, nrhs, 1.0f, l, n, b, nrhs);
  cblas_strsm(CblasRowMajor, CblasLeft, CblasLower, CblasTrans, CblasNonUnit, n, nrhs, 1.0f, l, n, b, nrhs);
}

void lw_dpotrs(const double *l, int n, double *b, int nrhs) {
  cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, n, nrhs, 1.0, l, n, b, nrhs);
  cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasTrans, CblasNonUnit, n, nrhs, 1.0, l, n, b, nrhs);
}
