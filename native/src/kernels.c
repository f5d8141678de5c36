/*
 * Fused float32 kernels of the native backend. Loops are written so GCC vectorises them (AVX2/AVX-512 with
 * -march=native, `omp simd` via -fopenmp-simd); exp is a branch-free Cephes-style polynomial so it vectorises too.
 * They run on the calling thread: the second core is kept for OpenBLAS, whose workers spin between GEMMs (adding
 * OpenMP workers on a 2-core machine oversubscribes it and was measured slower). Formulas match js-kernels.ts.
 */
#include "kernels.h"

#include <math.h>
#include <stdint.h>

/* exp(x) for float32, |rel. error| < 2e-7 (Cephes expf: range reduction by ln 2, degree-6 polynomial). */
static inline float fexp(float x) {
  x = x < -87.0f ? -87.0f : (x > 88.3f ? 88.3f : x); /* NaN passes through */
  float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f; /* round to nearest, no floorf: it would not vectorise */
  float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  float e = p * r * r + r + 1.0f;
  union {
    int32_t i;
    float f;
  } scale = {.i = ((int32_t)n + 127) << 23};
  return e * scale.f;
}

static inline float erf_as(float x) {
  /* Abramowitz & Stegun 7.1.26 (|err| < 1.5e-7), same as the TS backend; branch-free so it vectorises. */
  float ax = fabsf(x);
  float t = 1.0f / (1.0f + 0.3275911f * ax);
  float y = 1.0f - ((((1.061405429f * t - 1.453152027f) * t + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) *
                       t * fexp(-ax * ax);
  return copysignf(y, x);
}

void lw_unary(int op, const float *restrict x, float *restrict y, size_t n) {
  long N = (long)n;
  switch (op) {
    case OP_RELU:
#pragma omp simd
      for (long i = 0; i < N; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
      break;
    case OP_TANH:
#pragma omp simd
      for (long i = 0; i < N; i++) {
        float e = fexp(-2.0f * fabsf(x[i]));
        float t = (1.0f - e) / (1.0f + e);
        y[i] = copysignf(t, x[i]);
      }
      break;
    case OP_SIGMOID:
#pragma omp simd
      for (long i = 0; i < N; i++) y[i] = 1.0f / (1.0f + fexp(-x[i]));
      break;
    case OP_GELU:
#pragma omp simd
      for (long i = 0; i < N; i++) y[i] = 0.5f * x[i] * (1.0f + erf_as(x[i] * 0.70710678118654752f));
      break;
    case OP_EXP:
#pragma omp simd
      for (long i = 0; i < N; i++) y[i] = fexp(x[i]);
      break;
  }
}

void lw_unary_grad(int op, const float *restrict x, const float *restrict y, const float *restrict gy,
                   float *restrict gx, size_t n) {
  long N = (long)n;
  switch (op) {
    case OP_RELU:
#pragma omp simd
      for (long i = 0; i < N; i++) gx[i] += x[i] > 0.0f ? gy[i] : 0.0f;
      break;
    case OP_TANH:
#pragma omp simd
      for (long i = 0; i < N; i++) gx[i] += gy[i] * (1.0f - y[i] * y[i]);
      break;
    case OP_SIGMOID:
#pragma omp simd
      for (long i = 0; i < N; i++) gx[i] += gy[i] * y[i] * (1.0f - y[i]);
      break;
    case OP_GELU:
#pragma omp simd
      for (long i = 0; i < N; i++) {
        float v = x[i];
        float d = 0.5f * (1.0f + erf_as(v * 0.70710678118654752f)) + v * 0.3989422804014327f * fexp(-0.5f * v * v);
        gx[i] += gy[i] * d;
      }
      break;
    case OP_EXP:
#pragma omp simd
      for (long i = 0; i < N; i++) gx[i] += gy[i] * y[i];
      break;
  }
}

void lw_softmax(const float *restrict x, size_t rows, size_t cols, float *restrict y, int log) {
  long R = (long)rows;
  long C = (long)cols;
  for (long r = 0; r < R; r++) {
    const float *xr = x + r * C;
    float *yr = y + r * C;
    float mx = -INFINITY;
    for (long j = 0; j < C; j++) mx = xr[j] > mx ? xr[j] : mx;
    float s = 0.0f;
#pragma omp simd reduction(+ : s)
    for (long j = 0; j < C; j++) {
      float e = fexp(xr[j] - mx);
      yr[j] = e;
      s += e;
    }
    if (log) {
      float lse = mx + logf(s);
#pragma omp simd
      for (long j = 0; j < C; j++) yr[j] = xr[j] - lse;
    } else {
      float inv = 1.0f / s;
#pragma omp simd
      for (long j = 0; j < C; j++) yr[j] *= inv;
    }
  }
}

void lw_softmax_grad(const float *restrict y, const float *restrict gy, size_t rows, size_t cols, float *restrict gx,
                     int log) {
  long R = (long)rows;
  long C = (long)cols;
  for (long r = 0; r < R; r++) {
    const float *yr = y + r * C;
    const float *gr = gy + r * C;
    float *xr = gx + r * C;
    float s = 0.0f;
    if (log) {
#pragma omp simd reduction(+ : s)
      for (long j = 0; j < C; j++) s += gr[j];
#pragma omp simd
      for (long j = 0; j < C; j++) xr[j] += gr[j] - fexp(yr[j]) * s;
    } else {
#pragma omp simd reduction(+ : s)
      for (long j = 0; j < C; j++) s += gr[j] * yr[j];
#pragma omp simd
      for (long j = 0; j < C; j++) xr[j] += yr[j] * (gr[j] - s);
    }
  }
}

void lw_adam(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, size_t n, float lr,
             float beta1, float beta2, float eps, float wd, int decoupled, double step) {
  double bc1 = 1.0 - pow(beta1, step);
  double bc2 = 1.0 - pow(beta2, step);
  float step_size = (float)(lr / bc1);
  float inv_sqrt_bc2 = (float)(1.0 / sqrt(bc2));
  float l2 = decoupled ? 0.0f : wd;
  float shrink = decoupled ? 1.0f - lr * wd : 1.0f;
  float b1c = 1.0f - beta1;
  float b2c = 1.0f - beta2;
  long N = (long)n;
#pragma omp simd
  for (long i = 0; i < N; i++) {
    float pi = p[i];
    float gi = g[i] + l2 * pi;
    float mi = beta1 * m[i] + b1c * gi;
    float vi = beta2 * v[i] + b2c * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi * shrink - step_size * mi / (sqrtf(vi) * inv_sqrt_bc2 + eps);
  }
}

void lw_csrmm(int trans, int rows, int cols, const int32_t *indptr, const int32_t *indices, const float *values,
              const float *b, int n, float beta, float *c) {
  long out_rows = trans ? cols : rows;
  long len = out_rows * (long)n;
  if (beta == 0.0f) {
    for (long i = 0; i < len; i++) c[i] = 0.0f;
  } else if (beta != 1.0f) {
    for (long i = 0; i < len; i++) c[i] *= beta;
  }
  if (!trans) {
    for (long i = 0; i < rows; i++) {
      float *ci = c + i * n;
      for (int32_t q = indptr[i]; q < indptr[i + 1]; q++) {
        const float *bj = b + (long)indices[q] * n;
        float v = values[q];
#pragma omp simd
        for (long t = 0; t < n; t++) ci[t] += v * bj[t];
      }
    }
  } else {
    /* C = Aᵀ·B: scatter each row of B into the rows of C named by its column indices. */
    for (long i = 0; i < rows; i++) {
      const float *bi = b + i * n;
      for (int32_t q = indptr[i]; q < indptr[i + 1]; q++) {
        float *cj = c + (long)indices[q] * n;
        float v = values[q];
#pragma omp simd
        for (long t = 0; t < n; t++) cj[t] += v * bi[t];
      }
    }
  }
}
