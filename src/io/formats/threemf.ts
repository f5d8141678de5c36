/**
 * 3MF packages: ZIP (see ../zip.ts) → root model part from `_rels/.rels` → objects, components and build items
 * (3MF core specification 1.3 §4.1–§5). Every build item becomes a group; components are instanced recursively
 * with their 3×4 transforms (cycles and depth limited), `p:path` components may point into other model parts,
 * and the model's `unit` is applied so positions end in millimetres. The caller's `unit` option is ignored here.
 */
import { LayerwiseError } from '../../core/errors.js';
import type { Mesh, MeshGroup } from '../../core/mesh.js';
import { countDegenerate } from '../mesh-builder.js';
import { checkLimit, type ResolvedParseOptions } from '../parse-options.js';
import type { MeshParser } from '../parser.js';
import { WarningSink } from '../warnings.js';
import { normaliseZipName, readZipDirectory, readZipEntry, type ZipEntry } from '../zip.js';
import { IDENTITY, type ModelFile, type ModelObject, parseModelXml, type Transform } from './threemf-model.js';

/** `a` then `b`: p ↦ b(a(p)) for row-vector 3×4 transforms. */
export function composeTransforms(a: Transform, b: Transform): Transform {
  const r = new Float64Array(12);
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 3; j++) {
      let v = i === 3 ? b[9 + j]! : 0;
      for (let k = 0; k < 3; k++) v += a[3 * i + k]! * b[3 * k + j]!;
      r[3 * i + j] = v;
    }
  }
  return r;
}

class Package {
  private readonly models = new Map<string, ModelFile>();
  constructor(
    private readonly bytes: Uint8Array,
    private readonly entries: Map<string, ZipEntry>,
    readonly options: ResolvedParseOptions,
  ) {}

  text(name: string): string | undefined {
    const e = this.entries.get(name);
    return e ? new TextDecoder().decode(readZipEntry(this.bytes, e, this.options)) : undefined;
  }

  rootModelPath(): string {
    const rels = this.text('_rels/.rels');
    if (rels) {
      for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
        const type = /\bType="([^"]*)"/.exec(m[0])?.[1] ?? '';
        const target = /\bTarget="([^"]*)"/.exec(m[0])?.[1];
        if (type.endsWith('/3dmodel') && target) return this.partName(target);
      }
    }
    if (this.entries.has('3D/3dmodel.model')) return '3D/3dmodel.model';
    const any = [...this.entries.keys()].find((k) => k.toLowerCase().endsWith('.model'));
    if (!any) {
      throw new LayerwiseError(
        'unsupported',
        'a ZIP package without a 3MF model part (zipped AMF or another format?); export the mesh as 3MF or STL',
      );
    }
    return any;
  }

  partName(path: string): string {
    const n = normaliseZipName(path);
    if (n === undefined) {
      throw new LayerwiseError('parse_error', `3MF: part path "${path.slice(0, 80)}" climbs out of the package`, {
        details: { part: path.slice(0, 200) },
      });
    }
    return n;
  }

  model(path: string): ModelFile {
    let m = this.models.get(path);
    if (!m) {
      const xml = this.text(path);
      if (xml === undefined) throw new LayerwiseError('parse_error', `3MF: missing part "${path}"`, { details: {} });
      m = parseModelXml(xml, path, (p) => this.partName(p));
      this.models.set(path, m);
    }
    return m;
  }

  object(path: string, id: string): ModelObject {
    const o = this.model(path).objects.get(id);
    if (!o)
      throw new LayerwiseError('parse_error', `3MF ${path}: no object with id ${id}`, { details: { part: path } });
    return o;
  }
}

interface Instance {
  obj: ModelObject;
  transform: Transform;
  scale: number;
}

/** Running totals while expanding build items: bounded so that nested components cannot explode. */
interface Tally {
  vertices: number;
  triangles: number;
  visits: number;
}

const MAX_VISITS = 1_000_000;

/** Expands an object into mesh instances (components resolved), checking depth, cycles and limits. */
function expand(
  pkg: Package,
  path: string,
  id: string,
  t: Transform,
  depth: number,
  seen: string[],
  acc: Tally,
  out: Instance[],
) {
  const key = `${path}#${id}`;
  if (seen.includes(key)) throw new LayerwiseError('parse_error', `3MF: component cycle through object ${id}`);
  const o = pkg.options;
  checkLimit(depth, o.maxComponentDepth, '3MF component nesting depth', 'maxComponentDepth');
  checkLimit(++acc.visits, MAX_VISITS, '3MF object instances', 'a flatter 3MF file');
  const obj = pkg.object(path, id);
  if (obj.triangles && obj.triangles.length > 0) {
    acc.vertices += obj.vertices!.length / 3;
    acc.triangles += obj.triangles.length / 3;
    checkLimit(acc.triangles, o.maxTriangles, '3MF triangle count (after instancing)', 'maxTriangles');
    checkLimit(acc.vertices, o.maxVertices, '3MF vertex count (after instancing)', 'maxVertices');
    out.push({ obj, transform: t, scale: pkg.model(path).unitMm });
  }
  for (const c of obj.components) {
    const cpath = c.path ?? path;
    expand(pkg, cpath, c.objectId, composeTransforms(c.transform, t), depth + 1, [...seen, key], acc, out);
  }
}

export function parse3mf(bytes: Uint8Array, options: ResolvedParseOptions): Mesh {
  const pkg = new Package(bytes, readZipDirectory(bytes, options), options);
  const root = pkg.rootModelPath();
  const model = pkg.model(root);
  const warnings = new WarningSink();
  let items = model.items;
  if (items.length === 0) {
    warnings.add('no_build_items', 'the 3MF build has no items; every mesh object was used once, untransformed');
    items = [...model.objects.values()].map((o) => ({ objectId: o.id, path: undefined, transform: IDENTITY }));
  }
  const groups: { name: string; instances: Instance[] }[] = [];
  const acc: Tally = { vertices: 0, triangles: 0, visits: 0 };
  for (const item of items) {
    const instances: Instance[] = [];
    const path = item.path ?? root;
    expand(pkg, path, item.objectId, item.transform, 0, [], acc, instances);
    groups.push({ name: pkg.object(path, item.objectId).name, instances });
  }
  const positions = new Float32Array(3 * acc.vertices);
  const indices = new Uint32Array(3 * acc.triangles);
  const meshGroups: MeshGroup[] = [];
  let v0 = 0;
  let t0 = 0;
  for (const g of groups) {
    const start = t0;
    for (const { obj, transform: m, scale } of g.instances) {
      const vs = obj.vertices!;
      for (let i = 0; i < vs.length; i += 3) {
        const x = vs[i]!;
        const y = vs[i + 1]!;
        const z = vs[i + 2]!;
        const o = 3 * v0 + i;
        positions[o] = (x * m[0]! + y * m[3]! + z * m[6]! + m[9]!) * scale;
        positions[o + 1] = (x * m[1]! + y * m[4]! + z * m[7]! + m[10]!) * scale;
        positions[o + 2] = (x * m[2]! + y * m[5]! + z * m[8]! + m[11]!) * scale;
      }
      const ts = obj.triangles!;
      for (let i = 0; i < ts.length; i++) indices[3 * t0 + i] = ts[i]! + v0;
      v0 += vs.length / 3;
      t0 += ts.length / 3;
    }
    if (t0 > start) meshGroups.push({ name: g.name, start, count: t0 - start });
  }
  const degenerate = countDegenerate(positions, indices);
  if (degenerate > 0)
    warnings.add('degenerate_face', 'a face has zero area (repeated or collinear vertices)', degenerate);
  return { positions, indices, groups: meshGroups, format: '3mf', warnings: warnings.list() };
}

export const threeMfParser: MeshParser = {
  format: '3mf',
  detect: (bytes) => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4,
  parse: parse3mf,
};
