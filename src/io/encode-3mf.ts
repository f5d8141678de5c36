/**
 * 3MF writer: a ZIP package (fflate) holding `[Content_Types].xml`, `_rels/.rels` and `3D/3dmodel.model` with one
 * mesh object and one build item per input object (3MF core specification 1.3). Positions are millimetres; with
 * another `unit` they are converted so that the file describes the same physical size.
 */
import { strToU8, zipSync } from 'fflate';
import type { Mesh } from '../core/mesh.js';
import { escapeXmlAttr, formatDouble9, formatFloat32 } from './text-number.js';
import { type LengthUnit, MM_PER_UNIT } from './units.js';

export interface ThreeMfObject {
  name: string;
  mesh: Pick<Mesh, 'positions' | 'indices'>;
}

export interface ThreeMfEncodeOptions {
  /** The `unit` attribute of the model (default `millimeter`). */
  unit?: LengthUnit;
}

const CORE_NS = 'http://schemas.microsoft.com/3dmanufacturing/core/2015/02';

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/>' +
  '</Types>';

const RELS =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Target="/3D/3dmodel.model" Id="rel0" ' +
  'Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/>' +
  '</Relationships>';

function objectXml(id: number, obj: ThreeMfObject, scale: number): string {
  const parts: string[] = [`<object id="${id}" name="${escapeXmlAttr(obj.name)}" type="model"><mesh><vertices>`];
  const p = obj.mesh.positions;
  const f = scale === 1 ? formatFloat32 : formatDouble9;
  for (let i = 0; i < p.length; i += 3) {
    parts.push(`<vertex x="${f(p[i]! * scale)}" y="${f(p[i + 1]! * scale)}" z="${f(p[i + 2]! * scale)}"/>`);
  }
  parts.push('</vertices><triangles>');
  const idx = obj.mesh.indices;
  for (let t = 0; t < idx.length; t += 3) {
    parts.push(`<triangle v1="${idx[t]}" v2="${idx[t + 1]}" v3="${idx[t + 2]}"/>`);
  }
  parts.push('</triangles></mesh></object>');
  return parts.join('');
}

/** The `3D/3dmodel.model` XML for the objects (exported for tests and for writers of custom packages). */
export function encode3mfModelXml(objects: readonly ThreeMfObject[], options: ThreeMfEncodeOptions = {}): string {
  const unit = options.unit ?? 'millimeter';
  const scale = 1 / MM_PER_UNIT[unit];
  const resources = objects.map((o, i) => objectXml(i + 1, o, scale)).join('');
  const items = objects.map((_, i) => `<item objectid="${i + 1}"/>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<model unit="${unit}" xml:lang="en-US" xmlns="${CORE_NS}">` +
    `<resources>${resources}</resources><build>${items}</build></model>\n`
  );
}

/** A complete 3MF package (ZIP bytes) with one object and one build item per entry of `objects`. */
export function encode3mf(objects: readonly ThreeMfObject[], options: ThreeMfEncodeOptions = {}): Uint8Array {
  return zipSync(
    {
      '[Content_Types].xml': strToU8(CONTENT_TYPES),
      '_rels/.rels': strToU8(RELS),
      '3D/3dmodel.model': strToU8(encode3mfModelXml(objects, options)),
    },
    { level: 6 },
  );
}
