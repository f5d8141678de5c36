/**
 * A dependency-free SVG of two log–log scatter panels (ours against PrusaSlicer's: print time and filament),
 * with the y = x line and the target band (±25 % time, ±15 % filament); held-out parts filled, fit parts hollow.
 */

export interface Point {
  x: number;
  y: number;
  holdout: boolean;
}

function panel(points: Point[], ox: number, title: string, unit: string, band: number): string {
  const size = 360;
  const pad = 50;
  const vals = points.flatMap((p) => [p.x, p.y]).filter((v) => v > 0);
  const lo = Math.log10(Math.min(...vals)) - 0.1;
  const hi = Math.log10(Math.max(...vals)) + 0.1;
  const sx = (v: number): number => ox + pad + ((Math.log10(v) - lo) / (hi - lo)) * size;
  const sy = (v: number): number => pad + size - ((Math.log10(v) - lo) / (hi - lo)) * size;
  const out: string[] = [];
  out.push(`<rect x="${ox + pad}" y="${pad}" width="${size}" height="${size}" fill="none" stroke="#999"/>`);
  out.push(`<text x="${ox + pad + size / 2}" y="${pad - 18}" text-anchor="middle" font-size="15">${title}</text>`);
  out.push(
    `<text x="${ox + pad + size / 2}" y="${pad + size + 38}" text-anchor="middle" font-size="12">PrusaSlicer 2.5 (${unit})</text>`,
  );
  out.push(
    `<text x="${ox + 14}" y="${pad + size / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 ${ox + 14} ${pad + size / 2})">layerwise estimate (${unit})</text>`,
  );
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) {
    const v = 10 ** e;
    out.push(`<line x1="${sx(v)}" y1="${pad + size}" x2="${sx(v)}" y2="${pad + size + 5}" stroke="#333"/>`);
    out.push(`<text x="${sx(v)}" y="${pad + size + 18}" text-anchor="middle" font-size="11">${v}</text>`);
    out.push(`<line x1="${ox + pad - 5}" y1="${sy(v)}" x2="${ox + pad}" y2="${sy(v)}" stroke="#333"/>`);
    out.push(`<text x="${ox + pad - 8}" y="${sy(v) + 4}" text-anchor="end" font-size="11">${v}</text>`);
  }
  const [a, b] = [10 ** lo, 10 ** hi];
  const poly = [
    [a, a * (1 - band)],
    [b, b * (1 - band)],
    [b, b * (1 + band)],
    [a, a * (1 + band)],
  ]
    .map(([x, y]) => `${sx(x!)},${sy(Math.max(y!, a))}`)
    .join(' ');
  out.push(`<polygon points="${poly}" fill="#4a90d9" fill-opacity="0.12"/>`);
  out.push(`<line x1="${sx(a)}" y1="${sy(a)}" x2="${sx(b)}" y2="${sy(b)}" stroke="#4a90d9"/>`);
  for (const p of points) {
    if (!(p.x > 0 && p.y > 0)) continue;
    const fill = p.holdout ? '#c0392b' : 'none';
    out.push(
      `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3" fill="${fill}" stroke="#c0392b" stroke-width="1"/>`,
    );
  }
  out.push(
    `<text x="${ox + pad + 8}" y="${pad + 16}" font-size="11">band: ±${band * 100} %; filled: held out, hollow: fit</text>`,
  );
  return out.join('\n');
}

export function scatterSvg(time: Point[], filament: Point[]): string {
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="920" height="470" font-family="sans-serif">',
    '<title>layerwise estimates against PrusaSlicer 2.5: print time and filament volume per part</title>',
    '<rect width="100%" height="100%" fill="white"/>',
    panel(time, 0, 'Print time', 'min', 0.25),
    panel(filament, 460, 'Filament volume', 'cm³', 0.15),
    '</svg>',
    '',
  ].join('\n');
}
