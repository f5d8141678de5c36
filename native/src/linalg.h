/* Row-major Cholesky family over LAPACK (Fortran symbols exported by OpenBLAS). */
#ifndef LAYERWISE_LINALG_H
#define LAYERWISE_LINALG_H
int lw_spotrf(float *a, int n);
int lw_dpotrf(double *a, int n);
int lw_spotri(float *a, int n);
int lw_dpotri(double *a, int n);
void lw_spotrs(const float *l, int n, float *b, int nrhs);
void lw_dpotrs(const double *l, int n, double *b, int nrhs);
#endif
