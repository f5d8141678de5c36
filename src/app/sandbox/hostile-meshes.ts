/**
 * Mesh files for robustness tests and the soak benchmark: a noisy mesh of n triangles (legitimate but heavy) and a
 * 3MF whose model entry inflates far beyond its download size while staying under the compression-ratio limit (the
 * "476 MB from 3.5 MB" upload of issue 15, scalable), and an OBJ of one triangle in very many named groups (small
 * typed arrays, a large JavaScript heap).
 */
import { zipSync } from 'fflate';
import { Rng } from '../../core/rng.js';
import { encode3mf } from '../../io/encode-3mf.js';
import { encodeStlBinary } from '../../io/encode-stl.js';

/** A closed-ish noisy strip of `n` triangles over `n + 2` vertices (seeded). */
export function noisyMesh(n: number, seed = 1): { positions: Float32Array; indices: Uint32Array } {
  const rng = new Rng(seed);
  const positions = new Float32Array((n + 2) * 3);
  for (let i = 0; i < positions.length; i++) positions[i] = rng.next() * 100;
  const indices = new Uint32Array(n * 3);
  for (let t = 0; t < n; t++) indices.set([t, t + 1, t + 2], t * 3);
  return { positions, indices };
}

export function heavyStl(triangles: number, seed = 1): Uint8Array {
  return encodeStlBinary(noisyMesh(triangles, seed));
}

export function heavy3mf(triangles: number, seed = 1): Uint8Array {
  return encode3mf([{ name: 'heavy', mesh: noisyMesh(triangles, seed) }]);
}

/**
 * A 3MF whose model entry holds `megabytes` MB of XML that compresses ~20× (well under the default ratio limit
 * of 200): a comment of repeated short random runs, then one valid triangle.
 */
export function inflating3mf(megabytes: number, seed = 7): Uint8Array {
  const rng = new Rng(seed);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  const unit: string[] = [];
  for (let i = 0; i < 4096; i++)
    unit.push(alphabet[Math.floor(rng.next() * 26)]!.repeat(1 + Math.floor(rng.next() * 90)));
  const block = new TextEncoder().encode(unit.join(' '));
  const total = megabytes * 1024 * 1024;
  const head = new TextEncoder().encode(
    '<?xml version="1.0" encoding="UTF-8"?>\n<model unit="millimeter" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02"><!--',
  );
  const tail = new TextEncoder().encode(
    '--><resources><object id="1" type="model"><mesh><vertices><vertex x="0" y="0" z="0"/><vertex x="1" y="0" z="0"/>' +
      '<vertex x="0" y="1" z="0"/></vertices><triangles><triangle v1="0" v2="1" v3="2"/></triangles></mesh></object>' +
      '</resources><build><item objectid="1"/></build></model>',
  );
  const body = new Uint8Array(head.length + total + tail.length);
  body.set(head, 0);
  for (let o = head.length; o < head.length + total; o += block.length) {
    body.set(block.subarray(0, Math.min(block.length, head.length + total - o)), o);
  }
  body.set(tail, head.length + total);
  return zipSync(
    {
      '[Content_Types].xml': new TextEncoder().encode(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/></Types>',
      ),
      '_rels/.rels': new TextEncoder().encode(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/></Relationships>',
      ),
      '3D/3dmodel.model': body,
    },
    { level: 1 },
  );
}

/** An OBJ of one triangle repeated in `groups` named groups: ~90 bytes and one heap object per group. */
export function manyGroupsObj(groups: number): Uint8Array {
  const lines = ['v 0 0 0', 'v 1 0 0', 'v 0 1 0'];
  for (let i = 0; i < groups; i++) lines.push(`g group_with_a_rather_long_name_${i}_${'x'.repeat(40)}`, 'f 1 2 3');
  return new TextEncoder().encode(lines.join('\n'));
}
