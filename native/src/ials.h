/* Multi-threaded iALS conjugate-gradient half-step (see ials.c). */
#ifndef LAYERWISE_IALS_H
#define LAYERWISE_IALS_H
#include <stdint.h>
/* Returns the number of threads used, or -1 when a worker could not allocate its buffers. */
int lw_ials_cg(int rows, int f, const int32_t *indptr, const int32_t *indices, const float *values, float *x,
               const float *y, const float *gram, const float *lam, float alpha, int steps, int threads);
#endif
