/*
 * N-API glue of the native compute backend: argument checking (every buffer length is checked against the sizes
 * given, so a bad call throws instead of corrupting memory) and dispatch to OpenBLAS, LAPACK and the fused kernels.
 * The JS side is src/nn/backend/native.ts; the method list mirrors ComputeBackend in src/nn/backend/types.ts.
 */
#define NAPI_VERSION 8
#include <cblas.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ials.h"
#include "kernels.h"
#include "linalg.h"
#include "memory.h"

extern int openblas_get_num_threads(void);
extern void openblas_set_num_threads(int);
extern char *openblas_get_config(void);

typedef struct {
  void *data;
  size_t length;
  napi_typedarray_type type;
} Arr;

#define MAXARGS 12
#define THROW(env, msg)                    \
  do {                                     \
    napi_throw_error((env), NULL, (msg)); \
    return NULL;                           \
  } while (0)

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = MAXARGS;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < want) {
    char msg[96];
    snprintf(msg, sizeof msg, "layerwise_native: expected %zu arguments, got %zu", want, argc);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  return 1;
}

static int get_arr(napi_env env, napi_value v, Arr *out) {
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) {
    napi_throw_type_error(env, NULL, "layerwise_native: expected a typed array");
    return 0;
  }
  napi_value ab;
  size_t off;
  napi_get_typedarray_info(env, v, &out->type, &out->length, &out->data, &ab, &off);
  return 1;
}

static int get_f32(napi_env env, napi_value v, Arr *out, size_t need, const char *what) {
  if (!get_arr(env, v, out)) return 0;
  if (out->type != napi_float32_array || out->length < need) {
    char msg[160];
    snprintf(msg, sizeof msg, "layerwise_native: %s must be a Float32Array of at least %zu values (got %zu)", what,
             need, out->length);
    napi_throw_range_error(env, NULL, msg);
    return 0;
  }
  return 1;
}

static int get_typed(napi_env env, napi_value v, Arr *out, napi_typedarray_type t, size_t need, const char *what) {
  if (!get_arr(env, v, out)) return 0;
  if (out->type != t || out->length < need) {
    char msg[160];
    snprintf(msg, sizeof msg, "layerwise_native: %s has the wrong type or fewer than %zu values (got %zu)", what, need,
             out->length);
    napi_throw_range_error(env, NULL, msg);
    return 0;
  }
  return 1;
}

static double num(napi_env env, napi_value v) {
  double d = 0;
  napi_get_value_double(env, v, &d);
  return d;
}

static int flag(napi_env env, napi_value v) {
  bool b = false;
  if (napi_get_value_bool(env, v, &b) != napi_ok) return num(env, v) != 0;
  return b;
}

static napi_value int_value(napi_env env, int v) {
  napi_value r;
  napi_create_int32(env, v, &r);
  return r;
}

static napi_value Threads(napi_env env, napi_callback_info info) { return int_value(env, openblas_get_num_threads()); }

static napi_value SetThreads(napi_env env, napi_callback_info info) {
  napi_value argv[MAXARGS];
  if (!get_args(env, info, 1, argv)) return NULL;
  int n = (int)num(env, argv[0]);
  if (n < 1) THROW(env, "layerwise_native: setThreads needs n >= 1");
  openblas_set_num_threads(n);
  return NULL;
}

/* arenaMax(n): caps the C allocator's arenas (see memory.c); returns 0, -1 (refused) or -2 (not glibc). */
static napi_value ArenaMax(napi_env env, napi_callback_info info) {
  napi_value argv[MAXARGS];
  if (!get_args(env, info, 1, argv)) return NULL;
  int n = (int)num(env, argv[0]);
  if (n < 1) THROW(env, "layerwise_native: arenaMax needs n >= 1");
  return int_value(env, lw_arena_max(n));
}

/*
 * trim(): a promise of malloc_trim(0)'s answer — 1 (memory returned), 0 (none) or -2 (not glibc). It runs on libuv's
 * thread pool: giving back hundreds of MB of fragmented arenas takes tens of ms, which the event loop must not wait.
 */
typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  int result;
} TrimJob;

static void trim_execute(napi_env env, void *data) { ((TrimJob *)data)->result = lw_trim(); }

static void trim_complete(napi_env env, napi_status status, void *data) {
  TrimJob *job = data;
  napi_resolve_deferred(env, job->deferred, int_value(env, status == napi_ok ? job->result : 0));
  napi_delete_async_work(env, job->work);
  free(job);
}

static napi_value Trim(napi_env env, napi_callback_info info) {
  TrimJob *job = calloc(1, sizeof *job);
  if (job == NULL) THROW(env, "layerwise_native: trim could not allocate");
  napi_value promise, name;
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "layerwise_native.trim", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, trim_execute, trim_complete, job, &job->work);
  napi_queue_async_work(env, job->work);
  return promise;
}

static napi_value Version(napi_env env, napi_callback_info info) {
  napi_value r;
  const char *cfg = openblas_get_config();
  napi_create_string_utf8(env, cfg ? cfg : "openblas", NAPI_AUTO_LENGTH, &r);
  return r;
}

/* gemm(transA, transB, m, n, k, alpha, a, b, beta, c) in float32 or float64 (by c's type). */
static napi_value Gemm(napi_env env, napi_callback_info info) {
  napi_value argv[MAXARGS];
  if (!get_args(env, info, 10, argv)) return NULL;
  int ta = flag(env, argv[0]), tb = flag(env, argv[1]);
  int m = (int)num(env, argv[2]), n = (int)num(env, argv[3]), k = (int)num(env, argv[4]);
  double alpha = num(env, argv[5]), beta = num(env, argv[8]);
  if (m < 0 || n < 0 || k < 0) THROW(env, "layerwise_native: gemm sizes must be >= 0");
  Arr a, b, c;
  if (!get_arr(env, argv[9], &c)) return NULL;
  napi_typedarray_type t = c.type;
  if (t != napi_float32_array && t != napi_float64_array) THROW(env, "layerwise_native: gemm needs Float32/64Array");
  if (!get_typed(env, argv[6], &a, t, (size_t)m * k, "gemm A") || !get_typed(env, argv[7], &b, t, (size_t)k * n, "gemm B") ||
      !get_typed(env, argv[9], &c, t, (size_t)m * n, "gemm C"))
    return NULL;
  if (m == 0 || n == 0) return NULL;
  int lda = ta ? m : k, ldb = tb ? k : n;
  if (k == 0) lda = ldb = 1;
  CBLAS_TRANSPOSE TA = ta ? CblasTrans : CblasNoTrans, TB = tb ? CblasTrans : CblasNoTrans;
  if (t == napi_float32_array)
    cblas_sgemm(CblasRowMajor, TA, TB, m, n, k, (float)alpha, a.data, lda > 0 ? lda : 1, b.data, ldb > 0 ? ldb : 1,
                (float)beta, c.data, n);
  else
    cblas_dgemm(CblasRowMajor, TA, TB, m, n, k, alpha, a.data, lda > 0 ? lda : 1, b.data, ldb > 0 ? ldb : 1, beta,
                c.data, n);
  return NULL;
}

/* csrmm(transA, rows, cols, indptr, indices, values, b, n, beta, c) */
static napi_value Csrmm(napi_env env, napi_callback_info info) {
  napi_value argv[MAXARGS];
  if (!get_args(env, info, 10, argv)) return NULL;
  int ta = flag(env, argv[0]);
  int rows = (int)num(env, argv[1]), cols = (int)num(env, argv[2]), n = (int)num(env, argv[7]);
  double beta = num(env, argv[8]);
  Arr ip, ix, vals, b, c;
  if (!get_typed(env, argv[3], &ip, napi_int32_array, (size_t)rows + 1, "csr indptr")) return NULL;
  const int32_t *indptr = ip.data;
  if (rows < 0 || cols < 0 || n < 0 || indptr[0] != 0) THROW(env, "layerwise_native: csrmm needs sizes >= 0 and indptr[0] = 0");
  for (int i = 0; i < rows; i++)
    if (indptr[i + 1] < indptr[i]) THROW(env, "layerwise_native: csr indptr must not decrease");
  size_t nnz = (size_t)indptr[rows];
  if (!get_typed(env, argv[4], &ix, napi_int32_array, nnz, "csr indices") ||
      !get_f32(env, argv[5], &vals, nnz, "csr values") ||
      !get_f32(env, argv[6], &b, (size_t)(ta ? rows : cols) * n, "csrmm B") ||
      !get_f32(env, argv[9], &c, (size_t)(ta ? cols : rows) * n, "csrmm C"))
    return NULL;
  const int32_t *indices = ix.data;
  for (size_t q = 0; q < nnz; q++)
    if (indices[q] < 0 || indices[q] >= cols) THROW(env, "layerwise_native: csr column index out of range");
  lw_csrmm(ta, rows, cols, indptr, indices, vals.data, b.data, n, (float)beta, c.data);
  return NULL;
}

/* ialsCg(indptr, indices, values, x, y, gram, lam, rows, nY, f, alpha, steps) — threads: the BLAS thread count. */
static napi_value IalsCg(napi_env env, napi_callback_info info) {
  napi_value argv[MAXARGS];
  if (!get_args(env, info, 12, argv)) return NULL;
  int rows = (int)num(env, argv[7]), ny = (int)num(env, argv[8]), f = (int)num(env, argv[9]);
  double alpha = num(env, argv[10]);
  int steps = (int)num(env, argv[11]);
  if (rows < 0 || ny < 0 || f < 1 || steps < 0) THROW(env, "layerwise_native: ialsCg needs rows, nY >= 0, f >= 1");
  Arr ip, ix, vals, x, y, g, lam;
  if (!get_typed(env, argv[0], &ip, napi_int32_array, (size_t)rows + 1, "ials indptr")) return NULL;
  const int32_t *indptr = ip.data;
  if (indptr[0] != 0) THROW(env, "layerwise_native: ials indptr[0] must be 0");
  for (int i = 0; i < rows; i++)
    if (indptr[i + 1] < indptr[i]) THROW(env, "layerwise_native: ials indptr must not decrease");
  size_t nnz = (size_t)indptr[rows];
  if (!get_typed(env, argv[1], &ix, napi_int32_array, nnz, "ials indices") ||
      !get_f32(env, argv[2], &vals, nnz, "ials values") || !get_f32(env, argv[3], &x, (size_t)rows * f, "ials X") ||
      !get_f32(env, argv[4], &y, (size_t)ny * f, "ials Y") || !get_f32(env, argv[5], &g, (size_t)f * f, "ials gram") ||
      !get_f32(env, argv[6], &lam, (size_t)rows, "ials lambda"))
    return NULL;
  const int32_t *indices = ix.data;
  for (size_t q = 0; q < nnz; q++)
    if (indices[q] < 0 || indices[q] >= ny) THROW(env, "layerwise_native: ials column index out of range");
  int used = lw_ials_cg(rows, f, indptr, indices, vals.data, x.data, y.data, g.data, lam.data, (float)alpha, steps,
                        openblas_get_num_threads());
  if (used < 0) THROW(env, "layerwise_native: ialsCg could not allocate its work buffers");
  return int_value(env, used);
}

static int square_arg(napi_env env, napi_value v, int n, Arr *a) {
  if (!get_arr(env, v, a)) return 0;
  if ((a->type != napi_float32_array && a->type != napi_float64_array) || a->length < (size_t)n * n) {
    napi_throw_range_error(env, NULL, "layerwise_native: expected a Float32/64Array with n*n values");
    return 0;
  }
  return 1;
}

static napi_value Potrf(napi_env env, napi_callback_info info) {
  napi_value argv[MAXARGS];
  Arr a;
  if (!get_args(env, info, 2, argv)) return NULL;
  int n = (int)num(env, argv[1]);
  if (!square_arg(env, argv[0], n, &a)) return NULL;
  if (n == 0) return int_value(env, 0);
  return int_value(env, a.type == napi_float32_array ? lw_spotrf(a.data, n) : lw_dpotrf(a.data, n));
}

static napi_value Potri(napi_env env, napi_callback_info info) {
  napi_value argv[MAXARGS];
  Arr a;
  if (!get_args(env, info, 2, argv)) return NULL;
  int n = (int)num(env, argv[1]);
  if (!square_arg(env, argv[0], n, &a)) return NULL;
  if (n == 0) return int_value(env, 0);
  return int_value(env, a.type == napi_float32_array ? lw_spotri(a.data, n) : lw_dpotri(a.data, n));
}

static napi_value Potrs(napi_env env, napi_callback_info info) {
  napi_value argv[MAXARGS];
  Arr l, b;
  if (!get_args(env, info, 4, argv)) return NULL;
  int n = (int)num(env, argv[1]), nrhs = (int)num(env, argv[3]);
  if (!square_arg(env, argv[0], n, &l) || !get_typed(env, argv[2], &b, l.type, (size_t)n * nrhs, "potrs B"))
    return NULL;
  if (n == 0 || nrhs == 0) return int_value(env, 0);
  if (l.type == napi_float32_array) lw_spotrs(l.data, n, b.data, nrhs);
  else lw_dpotrs(l.data, n, b.data, nrhs);
  return int_value(env, 0);
}

static napi_value Unary(napi_env env, napi_callback_info info) {
  napi_value argv[MAXARGS];
  Arr x, y;
  if (!get_args(env, info, 3, argv) || !get_f32(env, argv[1], &x, 0, "x")) return NULL;
  if (!get_f32(env, argv[2], &y, x.length, "y")) return NULL;
  lw_unary((int)num(env, argv[0]), x.data, y.data, x.length);
  return NULL;
}

static napi_value UnaryGrad(napi_env env, napi_callback_info info) {
  napi_value argv[MAXARGS];
  Arr x, y, gy, gx;
  if (!get_args(env, info, 5, argv) || !get_f32(env, argv[1], &x, 0, "x")) return NULL;
  if (!get_f32(env, argv[2], &y, x.length, "y") || !get_f32(env, argv[3], &gy, x.length, "gy") ||
      !get_f32(env, argv[4], &gx, x.length, "gx"))
    return NULL;
  lw_unary_grad((int)num(env, argv[0]), x.data, y.data, gy.data, gx.data, x.length);
  return NULL;
}

/* softmax(x, rows, cols, y, log) */
static napi_value Softmax(napi_env env, napi_callback_info info) {
  napi_value argv[MAXARGS];
  Arr x, y;
  if (!get_args(env, info, 5, argv)) return NULL;
  size_t rows = (size_t)num(env, argv[1]), cols = (size_t)num(env, argv[2]);
  if (!get_f32(env, argv[0], &x, rows * cols, "x") || !get_f32(env, argv[3], &y, rows * cols, "y")) return NULL;
  lw_softmax(x.data, rows, cols, y.data, flag(env, argv[4]));
  return NULL;
}

/* softmaxGrad(y, gy, rows, cols, gx, log) */
static napi_value SoftmaxGrad(napi_env env, napi_callback_info info) {
  napi_value argv[MAXARGS];
  Arr y, gy, gx;
  if (!get_args(env, info, 6, argv)) return NULL;
  size_t rows = (size_t)num(env, argv[2]), cols = (size_t)num(env, argv[3]);
  size_t need = rows * cols;
  if (!get_f32(env, argv[0], &y, need, "y") || !get_f32(env, argv[1], &gy, need, "gy") ||
      !get_f32(env, argv[4], &gx, need, "gx"))
    return NULL;
  lw_softmax_grad(y.data, gy.data, rows, cols, gx.data, flag(env, argv[5]));
  return NULL;
}

/* adam(p, g, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, step) */
static napi_value AdamStep(napi_env env, napi_callback_info info) {
  napi_value argv[MAXARGS];
  Arr p, g, m, v;
  if (!get_args(env, info, 11, argv) || !get_f32(env, argv[0], &p, 0, "p")) return NULL;
  if (!get_f32(env, argv[1], &g, p.length, "g") || !get_f32(env, argv[2], &m, p.length, "m") ||
      !get_f32(env, argv[3], &v, p.length, "v"))
    return NULL;
  lw_adam(p.data, g.data, m.data, v.data, p.length, (float)num(env, argv[4]), (float)num(env, argv[5]),
          (float)num(env, argv[6]), (float)num(env, argv[7]), (float)num(env, argv[8]), flag(env, argv[9]),
          num(env, argv[10]));
  return NULL;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"threads", NULL, Threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, SetThreads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"arenaMax", NULL, ArenaMax, NULL, NULL, NULL, napi_enumerable, NULL},
      {"trim", NULL, Trim, NULL, NULL, NULL, napi_enumerable, NULL},
      {"version", NULL, Version, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sgemm", NULL, Gemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"dgemm", NULL, Gemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"csrmm", NULL, Csrmm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"potrf", NULL, Potrf, NULL, NULL, NULL, napi_enumerable, NULL},
      {"potri", NULL, Potri, NULL, NULL, NULL, napi_enumerable, NULL},
      {"potrs", NULL, Potrs, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unary", NULL, Unary, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unaryGrad", NULL, UnaryGrad, NULL, NULL, NULL, napi_enumerable, NULL},
      {"softmax", NULL, Softmax, NULL, NULL, NULL, napi_enumerable, NULL},
      {"softmaxGrad", NULL, SoftmaxGrad, NULL, NULL, NULL, napi_enumerable, NULL},
      {"adam", NULL, AdamStep, NULL, NULL, NULL, napi_enumerable, NULL},
      {"ialsCg", NULL, IalsCg, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
