/**
 * The compute backend interface: the few kernels that dominate training and linear-algebra time. Two
 * implementations: `native` (N-API addon over OpenBLAS/LAPACK with fused C kernels, see native/) and `js`
 * (portable TypeScript). Everything else in src/nn is plain TypeScript on top of these kernels.
 *
 * Conventions: matrices are row-major and dense unless stated; "accumulate" kernels add into their output
 * (`gx += …`) so a tensor used twice gets both gradients.
 */

export type BackendName = 'native' | 'js';

/** Element-wise activation codes shared with the C kernels (keep the numbers in sync with native/src/kernels.c). */
export const UnaryOp = { relu: 0, tanh: 1, sigmoid: 2, gelu: 3, exp: 4 } as const;
export type UnaryOpCode = (typeof UnaryOp)[keyof typeof UnaryOp];

export type Floats = Float32Array | Float64Array;

export interface ComputeBackend {
  readonly name: BackendName;
  /** Worker threads used for GEMM / LAPACK (1 for js). */
  threads(): number;
  /** C = alpha·op(A)·op(B) + beta·C (fp32). A: m×k (k×m if transA), B: k×n (n×k if transB), C: m×n. */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
  ): void;
  /** The same in fp64. */
  dgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float64Array,
    b: Float64Array,
    beta: number,
    c: Float64Array,
  ): void;
  /**
   * Sparse(CSR, rows×cols) × dense. transA=false: C (rows×n) = A·B + beta·C with B cols×n;
   * transA=true: C (cols×n) = Aᵀ·B + beta·C with B rows×n.
   */
  csrmm(
    transA: boolean,
    rows: number,
    cols: number,
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    b: Float32Array,
    n: number,
    beta: number,
    c: Float32Array,
  ): void;
  /**
   * One iALS half-step: every row x_r (rows × f, in place) solves (gram + lam[r]·I + Σ_q alpha·v_q·y_q·y_qᵀ) x_r =
   * Σ_q (1 + alpha·v_q)·y_q over its CSR row (column indices into y, nY × f) by `steps` warm-started conjugate-
   * gradient iterations. Returns the number of threads used.
   */
  ialsCg(
    indptr: Int32Array,
    indices: Int32Array,
    values: Float32Array,
    x: Float32Array,
    y: Float32Array,
    gram: Float32Array,
    lam: Float32Array,
    rows: number,
    nY: number,
    f: number,
    alpha: number,
    steps: number,
  ): number;
  /** In-place lower Cholesky of an SPD n×n matrix (upper triangle zeroed). Returns 0, or the 1-based failing pivot. */
  potrf(a: Floats, n: number): number;
  /** Given the lower Cholesky factor in `a`, overwrites `a` with the full symmetric inverse. Returns 0 or LAPACK info. */
  potri(a: Floats, n: number): number;
  /** Solves L·Lᵀ·X = B in place for `nrhs` right-hand sides stored row-major as B (n×nrhs). */
  potrs(l: Floats, n: number, b: Floats, nrhs: number): number;
  /** y = f(x) element-wise. */
  unary(op: UnaryOpCode, x: Float32Array, y: Float32Array): void;
  /** gx += f'(x)·gy, where y = f(x) is given too (cheaper for tanh/sigmoid/exp). */
  unaryGrad(op: UnaryOpCode, x: Float32Array, y: Float32Array, gy: Float32Array, gx: Float32Array): void;
  /** Row-wise softmax (or log-softmax when `log`) of a rows×cols matrix. */
  softmax(x: Float32Array, rows: number, cols: number, y: Float32Array, log: boolean): void;
  /** gx += Jacobianᵀ·gy for y = softmax(x) (or log-softmax). */
  softmaxGrad(y: Float32Array, gy: Float32Array, rows: number, cols: number, gx: Float32Array, log: boolean): void;
  /**
   * One Adam/AdamW update in place. `decoupled` = AdamW (p -= lr·wd·p); otherwise L2 (g += wd·p).
   * `step` is 1-based (bias correction).
   */
  adam(
    p: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    decoupled: boolean,
    step: number,
  ): void;
}
