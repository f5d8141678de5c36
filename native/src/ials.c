/*
 * iALS half-step on every core: each row x_r of X solves (YᵀY + λ_r I + Σ_q α v_q y_q y_qᵀ) x_r = Σ_q (1 + α v_q) y_q
 * by `steps` warm-started conjugate-gradient iterations (Takács, Pilászy & Tikk, RecSys 2011), the same arithmetic
 * as the portable kernel in src/nn/backend/js-ials.ts. Rows are handed out in blocks through an atomic counter, so
 * heavy rows (power-law users and items) do not leave a thread idle. float32 throughout, vectorised by the compiler
 * (-O3 -march=native). Threads: pthreads, as many as asked (the caller passes the BLAS thread count).
 */
#include "ials.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const int32_t *indptr, *indices;
  const float *values, *y, *gram, *lam;
  float *x;
  int rows, f, steps;
  float alpha;
  atomic_int next;
} Job;

#define BLOCK 64

static inline float dot(const float *a, const float *b, int f) {
  float s = 0;
#pragma omp simd reduction(+ : s)
  for (int i = 0; i < f; i++) s += a[i] * b[i];
  return s;
}

/* out = (G + λI) v + Σ α v_q (y_q·v) y_q */
static void mul_a(const Job *j, int start, int end, float lam, const float *v, float *out) {
  const int f = j->f;
  for (int a = 0; a < f; a++) {
    const float *g = j->gram + (size_t)a * f;
    out[a] = lam * v[a] + dot(g, v, f);
  }
  for (int q = start; q < end; q++) {
    const float *yq = j->y + (size_t)j->indices[q] * f;
    const float d = j->alpha * j->values[q] * dot(yq, v, f);
#pragma omp simd
    for (int a = 0; a < f; a++) out[a] += d * yq[a];
  }
}

static void solve_row(const Job *j, int row, float *r, float *p, float *ap) {
  const int f = j->f, start = j->indptr[row], end = j->indptr[row + 1];
  const float lam = j->lam[row];
  float *x = j->x + (size_t)row * f;
  mul_a(j, start, end, lam, x, ap);
  for (int a = 0; a < f; a++) r[a] = -ap[a];
  for (int q = start; q < end; q++) {
    const float *yq = j->y + (size_t)j->indices[q] * f;
    const float c = 1 + j->alpha * j->values[q];
    for (int a = 0; a < f; a++) r[a] += c * yq[a];
  }
  memcpy(p, r, sizeof(float) * f);
  float rs = dot(r, r, f);
  for (int it = 0; it < j->steps && rs > 1e-20f; it++) {
    mul_a(j, start, end, lam, p, ap);
    const float pap = dot(p, ap, f);
    if (!(pap > 0)) break;
    const float step = rs / pap;
    for (int a = 0; a < f; a++) {
      x[a] += step * p[a];
      r[a] -= step * ap[a];
    }
    const float rs_new = dot(r, r, f);
    const float beta = rs_new / rs;
    for (int a = 0; a < f; a++) p[a] = r[a] + beta * p[a];
    rs = rs_new;
  }
}

static void *worker(void *arg) {
  Job *j = arg;
  float *buf = malloc(sizeof(float) * 3 * (size_t)j->f);
  if (!buf) return (void *)1;
  for (;;) {
    int lo = atomic_fetch_add(&j->next, BLOCK);
    if (lo >= j->rows) break;
    int hi = lo + BLOCK < j->rows ? lo + BLOCK : j->rows;
    for (int row = lo; row < hi; row++) solve_row(j, row, buf, buf + j->f, buf + 2 * j->f);
  }
  free(buf);
  return NULL;
}

int lw_ials_cg(int rows, int f, const int32_t *indptr, const int32_t *indices, const float *values, float *x,
               const float *y, const float *gram, const float *lam, float alpha, int steps, int threads) {
  Job j = {indptr, indices, values, y, gram, lam, x, rows, f, steps, alpha, 0};
  atomic_init(&j.next, 0);
  if (threads < 1) threads = 1;
  if (threads > 64) threads = 64;
  pthread_t tid[64];
  int started = 0, failed = 0;
  for (int t = 1; t < threads; t++)
    if (pthread_create(&tid[started], NULL, worker, &j) == 0) started++;
  if (worker(&j) != NULL) failed = 1;
  for (int t = 0; t < started; t++) {
    void *res = NULL;
    pthread_join(tid[t], &res);
    if (res != NULL) failed = 1;
  }
  return failed ? -1 : started + 1;
}
