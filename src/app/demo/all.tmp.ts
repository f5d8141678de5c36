import { Rng } from '../../core/rng.js';
import { buildShape } from './build-shape.js';
import { sampleParams } from './family.js';
import { FAMILIES } from './families/index.js';
import { loadKernel } from './kernel.js';
const k = await loadKernel();
const rng = new Rng(7);
const n = Number(process.argv[2] ?? 20);
for (const f of FAMILIES) {
  const t0 = performance.now();
  let fails = 0; const tris: number[] = []; const tr: Record<string, number> = {};
  const msgs = new Set<string>();
  for (let i = 0; i < n; i++) {
    try { const r = buildShape(k, f, sampleParams(f, rng)); tris.push(r.triangles); for (const [t, v] of Object.entries(r.traits)) if (v) tr[t] = (tr[t] ?? 0) + 1; }
    catch (e) { fails++; msgs.add((e as Error).message.replace(/[\d.]+/g, '#')); }
  }
  tris.sort((a, b) => a - b);
  console.log(f.id.padEnd(14), 'ms', ((performance.now() - t0) / n).toFixed(1).padStart(6), 'fail', fails, 'tri', tris[0], tris[tris.length >> 1], tris[tris.length - 1], JSON.stringify(tr), [...msgs].join('; '));
}
