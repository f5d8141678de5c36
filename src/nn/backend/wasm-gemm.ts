/**
 * A WebAssembly SIMD fp32 GEMM micro-kernel for the portable backend, assembled here from bytes (no toolchain, no
 * build step; WASM SIMD is on by default since Node 16.4). It computes 4×8 tiles of C = Aᵀᵖ·Bᵖ from panel-packed
 * operands with eight f32x4 accumulators (load32_splat of A, two vector loads of B per k step). JS packs op(A)
 * into 4-row panels and op(B) into 8-column panels (zero-padded), runs the kernel, and applies alpha/beta.
 * When WebAssembly SIMD is unavailable, `wasmSgemm` is null and the scalar 4×4 kernel is used.
 */

// --- a minimal assembler --------------------------------------------------------------------------------------
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const str = (s: string): number[] => [...uleb(s.length), ...[...s].map((ch) => ch.charCodeAt(0))];

const I32 = 0x7f;
const V128 = 0x7b;
const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
const i32c = (v: number): number[] => [0x41, ...sleb(v)];
const ADD = [0x6a];
const SUB = [0x6b];
const MUL = [0x6c];
const GE_U = [0x4f];
const EQZ = [0x45];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = [0x0b];
const br = (d: number): number[] => [0x0c, ...uleb(d)];
const brIf = (d: number): number[] => [0x0d, ...uleb(d)];
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const vload = (offset: number): number[] => simd(0x00, 4, ...uleb(offset));
const vstore = (offset: number): number[] => simd(0x0b, 4, ...uleb(offset));
const splatLoad = (offset: number): number[] => simd(0x09, 2, ...uleb(offset));
const F32X4_ADD = simd(228);
const F32X4_MUL = simd(230);
const V128_ZERO = simd(0x0c, ...new Array<number>(16).fill(0));

// params: 0 ap, 1 bp, 2 cp, 3 mBlocks, 4 nBlocks, 5 k, 6 ldc (byte offsets / C row stride in bytes)
// i32 locals: 7 jb, 8 ib, 9 p, 10 pa, 11 pb, 12 pc; v128 locals: 13..20 acc, 21 b0, 22 b1, 23 a
// Loop order: 4-row A micro-panel (L1) outer, 8-column B micro-panels inner; C tiles are accumulated (C += tile).
const [AP, BP, CP, MB, NB, K, LDC, JB, IB, P, PA, PB, PC] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const ACC = (r: number): number => 13 + r;
const B0 = 21;
const B1 = 22;
const A = 23;

function body(): number[] {
  const fma = (acc: number, b: number): number[] => [
    ...get(acc),
    ...get(A),
    ...get(b),
    ...F32X4_MUL,
    ...F32X4_ADD,
    ...set(acc),
  ];
  // biome-ignore format: one wasm statement per line
  const inner: number[] = [
    ...get(PB), ...vload(0), ...set(B0),
    ...get(PB), ...vload(16), ...set(B1),
  ];
  for (let r = 0; r < 4; r++)
    inner.push(...get(PA), ...splatLoad(4 * r), ...set(A), ...fma(ACC(2 * r), B0), ...fma(ACC(2 * r + 1), B1));
  inner.push(...get(PA), ...i32c(16), ...ADD, ...set(PA), ...get(PB), ...i32c(32), ...ADD, ...set(PB));
  inner.push(...get(P), ...i32c(1), ...SUB, ...set(P));
  const store: number[] = [];
  for (let r = 0; r < 4; r++) {
    for (const h of [0, 1])
      store.push(...get(PC), ...get(PC), ...vload(16 * h), ...get(ACC(2 * r + h)), ...F32X4_ADD, ...vstore(16 * h));
    store.push(...get(PC), ...get(LDC), ...ADD, ...set(PC));
  }
  const zero: number[] = [];
  for (let r = 0; r < 8; r++) zero.push(...V128_ZERO, ...set(ACC(r)));
  // biome-ignore format: one wasm statement per line
  return [
    ...i32c(0), ...set(IB),
    ...BLOCK, ...LOOP,
    ...get(IB), ...get(MB), ...GE_U, ...brIf(1),
    ...i32c(0), ...set(JB),
    ...BLOCK, ...LOOP,
    ...get(JB), ...get(NB), ...GE_U, ...brIf(1),
    // pa = ap + ib·k·16; pb = bp + jb·k·32; pc = cp + ib·4·ldc + jb·32
    ...get(AP), ...get(IB), ...get(K), ...MUL, ...i32c(16), ...MUL, ...ADD, ...set(PA),
    ...get(BP), ...get(JB), ...get(K), ...MUL, ...i32c(32), ...MUL, ...ADD, ...set(PB),
    ...get(CP), ...get(IB), ...i32c(4), ...MUL, ...get(LDC), ...MUL, ...ADD, ...get(JB), ...i32c(32), ...MUL, ...ADD, ...set(PC),
    ...zero,
    ...get(K), ...set(P),
    ...BLOCK, ...LOOP,
    ...get(P), ...EQZ, ...brIf(1),
    ...inner,
    ...br(0), ...END, ...END,
    ...store,
    ...get(JB), ...i32c(1), ...ADD, ...set(JB),
    ...br(0), ...END, ...END,
    ...get(IB), ...i32c(1), ...ADD, ...set(IB),
    ...br(0), ...END, ...END,
  ];
}

function moduleBytes(): Uint8Array {
  const type = section(1, [1, 0x60, ...uleb(7), ...new Array<number>(7).fill(I32), 0]);
  const func = section(3, [1, 0]);
  const mem = section(5, [1, 0x00, 1]);
  const exp = section(7, [2, ...str('mem'), 0x02, 0, ...str('kernel'), 0x00, 0]);
  const code = [...uleb(2), ...uleb(6), I32, ...uleb(11), V128, ...body(), ...END];
  const codeSec = section(10, [1, ...uleb(code.length), ...code]);
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...func, ...mem, ...exp, ...codeSec]);
}

// --- the JS driver ----------------------------------------------------------------------------------------------
/** k-block (A micro-panel 4·KC floats stays in L1) and column-panel chunk (B chunk 8·NC·KC floats stays in L2). */
const KC = 256;
const NC = 32;

interface Kernel {
  mem: WebAssembly.Memory;
  kernel(ap: number, bp: number, cp: number, mb: number, nb: number, k: number, ldc: number): void;
}

function instantiate(): Kernel | null {
  try {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes() as Uint8Array<ArrayBuffer>));
    return inst.exports as unknown as Kernel;
  } catch {
    return null;
  }
}

const wasm = instantiate();

/** Whether the WASM SIMD kernel compiled on this runtime. */
export const hasWasmSimd = wasm !== null;

/**
 * C = alpha·op(A)·op(B) + beta·C (fp32, row-major) through the WASM SIMD kernel. Returns false (doing nothing)
 * when WASM SIMD is unavailable or the operands would not fit in 32-bit wasm memory.
 */
export function wasmSgemm(
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
): boolean {
  if (!wasm) return false;
  const mb = Math.ceil(m / 4);
  const nb = Math.ceil(n / 8);
  const m4 = mb * 4;
  const n8 = nb * 8;
  const kc = Math.min(k, KC);
  const floats = m4 * kc + n8 * kc + m4 * n8;
  if (floats * 4 > 2 ** 31) return false;
  const need = floats * 4 - wasm.mem.buffer.byteLength;
  if (need > 0) wasm.mem.grow(Math.ceil(need / 65536));
  const heap = new Float32Array(wasm.mem.buffer);
  const ap = 0;
  const bp = m4 * kc;
  const cp = bp + n8 * kc;
  heap.fill(0, cp, cp + m4 * n8);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kb = Math.min(KC, k - p0);
    packA(heap, ap, transA, a, m, k, mb, p0, kb);
    packB(heap, bp, transB, b, n, k, nb, p0, kb);
    for (let j0 = 0; j0 < nb; j0 += NC)
      wasm.kernel(ap * 4, (bp + j0 * 8 * kb) * 4, (cp + j0 * 8) * 4, mb, Math.min(NC, nb - j0), kb, n8 * 4);
  }
  for (let i = 0; i < m; i++) {
    const o = i * n;
    const w = cp + i * n8;
    if (beta === 0) for (let j = 0; j < n; j++) c[o + j] = alpha * heap[w + j]!;
    else for (let j = 0; j < n; j++) c[o + j] = beta * c[o + j]! + alpha * heap[w + j]!;
  }
  return true;
}

/** Packs op(A)[:, p0..p0+kb) into 4-row panels: panel ib holds, for each p, rows 4ib..4ib+3 (zero-padded). */
function packA(
  heap: Float32Array,
  ap: number,
  transA: boolean,
  a: Float32Array,
  m: number,
  k: number,
  mb: number,
  p0: number,
  kb: number,
): void {
  for (let ib = 0; ib < mb; ib++) {
    const base = ap + ib * 4 * kb;
    for (let r = 0; r < 4; r++) {
      const i = ib * 4 + r;
      if (i >= m) for (let p = 0; p < kb; p++) heap[base + p * 4 + r] = 0;
      else if (transA) for (let p = 0; p < kb; p++) heap[base + p * 4 + r] = a[(p0 + p) * m + i]!;
      else for (let p = 0, o = i * k + p0; p < kb; p++) heap[base + p * 4 + r] = a[o + p]!;
    }
  }
}

/** Packs op(B)[p0..p0+kb, :] into 8-column panels: panel jb holds, for each p, columns 8jb..8jb+7 (zero-padded). */
function packB(
  heap: Float32Array,
  bp: number,
  transB: boolean,
  b: Float32Array,
  n: number,
  k: number,
  nb: number,
  p0: number,
  kb: number,
): void {
  for (let jb = 0; jb < nb; jb++) {
    const base = bp + jb * 8 * kb;
    for (let t = 0; t < 8; t++) {
      const j = jb * 8 + t;
      if (j >= n) for (let p = 0; p < kb; p++) heap[base + p * 8 + t] = 0;
      else if (transB) for (let p = 0, o = j * k + p0; p < kb; p++) heap[base + p * 8 + t] = b[o + p]!;
      else for (let p = 0; p < kb; p++) heap[base + p * 8 + t] = b[(p0 + p) * n + j]!;
    }
  }
}
