/**
 * Plain-words advice from a printability report: what is wrong with the mesh and how to fix it (in the tools makers
 * have: PrusaSlicer's repair, Blender's 3D-Print Toolbox, Meshmixer), then how to print it. Most important first;
 * nothing when there is nothing to say.
 */
import type { PrintabilityReport, PrinterProfile } from '../core/printability.js';

const mm = (x: number): string => (x >= 10 ? x.toFixed(0) : x.toFixed(x >= 1 ? 1 : 2));
const area = (x: number): string => `${x >= 100 ? x.toFixed(0) : x.toFixed(1)} mm²`;

export function adviceFor(r: PrintabilityReport, printer: PrinterProfile | undefined): string[] {
  const out: string[] = [];
  if (r.triangles === 0) return ['The file has no triangles: there is nothing to print.'];
  if (r.openEdges > 0) {
    out.push(
      `The surface has holes (${r.openEdges} open edges), so the inside is not well defined and slicers may fill it ` +
        "wrongly. Close them: PrusaSlicer's Fix through Netfabb/Windows repair, Blender's 3D-Print Toolbox Make " +
        'Manifold, or Meshmixer Inspector.',
    );
  }
  if (r.insideOut) {
    out.push(
      'The normals point inwards (the mesh is inside-out). Flip them: Blender Mesh ▸ Normals ▸ Recalculate Outside.',
    );
  } else if (r.inconsistentEdges > 0) {
    out.push(
      `Some faces are flipped (${r.inconsistentEdges} edges between faces of opposite winding). Recalculate the ` +
        'normals (Blender: Mesh ▸ Normals ▸ Recalculate Outside); most slicers repair this on load.',
    );
  }
  if (r.nonManifoldEdges > 0) {
    out.push(
      `${r.nonManifoldEdges} edges are shared by more than two faces (touching or overlapping bodies). Separate the ` +
        'bodies or merge them with a boolean union.',
    );
  }
  const x = r.selfIntersections;
  if (x && x.pairs > 0) {
    out.push(
      `Faces cross each other in ${x.regions.length} place(s) (${x.pairs} face pairs): usually overlapping ` +
        'bodies exported without a union. Slicers print the union, but volume, mass and ' +
        'wall thickness are overstated there; union the bodies (boolean union) to be sure.',
    );
  }
  const d = r.degenerate;
  if (d && d.zeroArea + d.slivers + d.duplicates > 0) {
    const parts = [
      d.zeroArea ? `${d.zeroArea} with zero area` : '',
      d.slivers ? `${d.slivers} needle-thin` : '',
      d.duplicates ? `${d.duplicates} duplicated` : '',
    ].filter(Boolean);
    out.push(
      `Degenerate faces (${parts.join(', ')}): harmless to most slicers but they break normals and repairs. Remove ` +
        'them: Blender Merge by Distance and Degenerate Dissolve.',
    );
  }
  const t = r.thinWalls;
  if (t && t.areaMm2 > 0) {
    const nozzle =
      printer?.technology === 'resin'
        ? ''
        : ` or use a smaller nozzle (walls below about the nozzle width are skipped)`;
    out.push(
      `${area(t.areaMm2)} of wall is thinner than ${mm(t.minWidthMm)} mm, the narrowest this printer makes` +
        `${t.minThicknessMm !== null ? ` (thinnest ${mm(t.minThicknessMm)} mm)` : ''}. Thicken those walls to at least ` +
        `${mm(t.minWidthMm)} mm${nozzle}.`,
    );
  }
  const b = r.bestOrientation;
  const turned = b ? Math.acos(Math.max(-1, Math.min(1, b.up[2]))) > (10 * Math.PI) / 180 : false;
  if (b && turned && b.supportAreaBeforeMm2 - b.supportAreaMm2 > Math.max(10, 0.2 * b.supportAreaBeforeMm2)) {
    out.push(
      `Turn it over before printing: with ${b.up.map((x) => x.toFixed(2)).join(', ')} up it needs ` +
        `${area(b.supportAreaMm2)} of support instead of ${area(b.supportAreaBeforeMm2)} and prints in about ` +
        `${Math.round(b.printMinutes)} min.`,
    );
  } else if (r.overhangAreaMm2 > 1) {
    out.push(`${area(r.overhangAreaMm2)} overhangs more than ${r.overhangAngleDeg}°: enable supports.`);
  }
  if (b && !b.stable) out.push('No orientation gives it a stable base on the bed: add a brim or a flat base.');
  if (r.fitsPrinter === false) out.push('It does not fit the printer in any orientation: scale it down or split it.');
  return out;
}
