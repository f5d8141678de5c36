/**
 * The `.model` XML of a 3MF package (3MF core specification 1.3, §3–4) read with fast-xml-parser (mesh bodies by
 * ./threemf-mesh.ts), entity
 * processing off and any DOCTYPE refused (no external or recursive entities): unit, mesh objects (vertices,
 * triangles), component objects (`<component objectid transform [p:path]>`) and build items.
 */
import { XMLParser } from 'fast-xml-parser';
import { LayerwiseError } from '../../core/errors.js';
import { type LengthUnit, MM_PER_UNIT } from '../units.js';
import { scanMeshBody } from './threemf-mesh.js';

/** A 3×4 affine transform in 3MF order: m00 m01 m02 m10 m11 m12 m20 m21 m22 m30 m31 m32 (row vectors). */
export type Transform = Float64Array;

export interface ModelComponent {
  objectId: string;
  /** Normalised part path of another model file (production extension), or undefined for this file. */
  path: string | undefined;
  transform: Transform;
}

export interface ModelObject {
  id: string;
  name: string;
  /** Raw coordinates in the model's unit. */
  vertices: Float64Array | undefined;
  triangles: Uint32Array | undefined;
  components: ModelComponent[];
}

export interface ModelFile {
  unitMm: number;
  objects: Map<string, ModelObject>;
  items: ModelComponent[];
}

const ARRAYS = new Set(['object', 'component', 'item']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => ARRAYS.has(name),
  stopNodes: ['*.mesh'],
});

type Node = Record<string, unknown>;

export const IDENTITY: Transform = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);

function bad(part: string, message: string): LayerwiseError {
  return new LayerwiseError('parse_error', `3MF ${part}: ${message}`, { details: { part } });
}

/** Decodes the five XML entities and numeric character references (nothing else is ever expanded). */
export function decodeXmlText(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
  });
}

export function parseTransform(value: unknown, part: string): Transform {
  if (value === undefined) return IDENTITY;
  const nums = String(value).trim().split(/\s+/).map(Number);
  if (nums.length !== 12 || !nums.every(Number.isFinite)) {
    throw bad(part, `a transform needs 12 finite numbers, got "${String(value).slice(0, 80)}"`);
  }
  return new Float64Array(nums);
}

function arr(v: unknown): Node[] {
  return Array.isArray(v) ? (v as Node[]) : [];
}

function objectOf(o: Node, part: string, normalisePath: (p: string) => string): ModelObject {
  const id = String(o['@id'] ?? '');
  if (!id) throw bad(part, 'an object has no id');
  const name = o['@name'] === undefined ? `object ${id}` : decodeXmlText(String(o['@name']));
  const mesh = o.mesh;
  let vertices: Float64Array | undefined;
  let triangles: Uint32Array | undefined;
  if (typeof mesh === 'string') ({ vertices, triangles } = scanMeshBody(mesh, part, id));
  else if (mesh && typeof mesh === 'object' && typeof (mesh as Node)['#text'] === 'string') {
    ({ vertices, triangles } = scanMeshBody(String((mesh as Node)['#text']), part, id));
  }
  const comps = arr((o.components as Node | undefined)?.component).map((c) => componentOf(c, part, normalisePath));
  return { id, name, vertices, triangles, components: comps };
}

function componentOf(c: Node, part: string, normalisePath: (p: string) => string): ModelComponent {
  const objectId = String(c['@objectid'] ?? '');
  if (!objectId) throw bad(part, 'a component or build item has no objectid');
  const p = c['@path'];
  return {
    objectId,
    path: p === undefined ? undefined : normalisePath(decodeXmlText(String(p))),
    transform: parseTransform(c['@transform'], part),
  };
}

/** Parses one model part. `normalisePath` turns a `p:path` into a package part name (or throws). */
export function parseModelXml(xml: string, part: string, normalisePath: (p: string) => string): ModelFile {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new LayerwiseError('unsupported', `3MF ${part}: DOCTYPE/ENTITY declarations are not allowed in 3MF`);
  }
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (e) {
    throw new LayerwiseError('parse_error', `3MF ${part}: malformed XML (${(e as Error).message})`, {
      cause: e,
      details: { part },
    });
  }
  const model = doc.model as Node | undefined;
  if (!model || typeof model !== 'object') throw bad(part, 'no <model> root element');
  const unit = String(model['@unit'] ?? 'millimeter');
  if (!Object.hasOwn(MM_PER_UNIT, unit)) throw bad(part, `unknown unit "${unit.slice(0, 30)}"`);
  const unitMm = MM_PER_UNIT[unit as LengthUnit];
  const objects = new Map<string, ModelObject>();
  const resources = model.resources as Node | undefined;
  for (const o of arr(resources?.object)) {
    const obj = objectOf(o, part, normalisePath);
    objects.set(obj.id, obj);
  }
  const items = arr((model.build as Node | undefined)?.item).map((c) => componentOf(c, part, normalisePath));
  return { unitMm, objects, items };
}
