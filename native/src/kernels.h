/* Fused float32 kernels of the native backend (element-wise ops, softmax, Adam, CSR x dense). */
#ifndef LAYERWISE_KERNELS_H
#define LAYERWISE_KERNELS_H
#include <stdint.h>
#include <stddef.h>

/* Keep in sync with UnaryOp in src/nn/backend/types.ts. */
enum { OP_RELU = 0, OP_TANH = 1, OP_SIGMOID = 2, OP_GELU = 3, OP_EXP = 4 };

void lw_unary(int op, const float *x, float *y, size_t n);
void lw_unary_grad(int op, const float *x, const float *y, const float *gy, float *gx, size_t n);
void lw_softmax(const float *x, size_t rows, size_t cols, float *y, int log);
void lw_softmax_grad(const float *y, const float *gy, size_t rows, size_t cols, float *gx, int log);
void lw_adam(float *p, const float *g, float *m, float *v, size_t n, float lr, float beta1, float beta2, float eps,
             float wd, int decoupled, double step);
void lw_csrmm(int trans, int rows, int cols, const int32_t *indptr, const int32_t *indices, const float *values,
              const float *b, int n, float beta, float *c);
#endif
