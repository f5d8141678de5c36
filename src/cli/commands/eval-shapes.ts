/**
 * `layerwise eval-shapes --dir DIR --labels FILE.csv [--label-column C] [--encoder NAMES] [--fit-on tuning] [--json]`:
 * fits each shape encoder on the unlabelled meshes of DIR (or, with `--fit-on tuning`, on those of the tuning half of
 * the classes only) and reports Princeton Shape Benchmark retrieval metrics (mAP, NN, FT, ST, DCG; each shape queries
 * all others), per-class tables, the two-halves generalisation check and training time.
 * `--json` prints `{ <encoder>: { map, nn, ft, st, dcg, … } }` on stdout (progress and tables go to stderr).
 */

import { isShapeEncoderName, SHAPE_ENCODERS, type ShapeEncoderName } from '../../app/choices.js';
import { loadShapeDataset, readLabels } from '../../app/shapes/dataset.js';
import { type EncoderEvaluation, evaluateShapeEncoders } from '../../app/shapes/evaluate.js';
import { LayerwiseError } from '../../core/errors.js';
import type { RegisterCommand } from './types.js';

interface Flags {
  dir: string;
  labels: string;
  labelColumn?: string;
  pathColumn?: string;
  encoder?: string;
  params?: string;
  seed?: string;
  fitOn?: string;
  perClass?: boolean;
  json?: boolean;
}

const pct = (v: number): string => (100 * v).toFixed(1).padStart(5);

/** The overall table: one row per encoder. */
export function formatShapeTable(results: readonly EncoderEvaluation[]): string {
  const lines = [
    'encoder       dim    mAP    NN    FT    ST   DCG   tune-mAP held-mAP  fit s  s/epoch  embed/s',
    ...results.map((r) =>
      [
        r.encoder.padEnd(12),
        String(r.dim).padStart(4),
        ...[r.overall.map, r.overall.nn, r.overall.ft, r.overall.st, r.overall.dcg].map(pct),
        `  ${pct(r.splits.tuning.map)}   `,
        pct(r.splits.heldOut.map),
        r.fitSeconds.toFixed(1).padStart(7),
        (r.secondsPerEpoch === null ? '-' : r.secondsPerEpoch.toFixed(2)).padStart(8),
        r.meshesPerSecond.toFixed(0).padStart(8),
      ].join(' '),
    ),
  ];
  return lines.join('\n');
}

/** Per-class mAP / NN (percent), one column pair per encoder. */
export function formatPerClass(results: readonly EncoderEvaluation[]): string {
  const classes = Object.keys(results[0]?.perClass ?? {});
  const width = Math.max(12, ...classes.map((c) => c.length));
  const head = `${'class'.padEnd(width)}   n ${results.map((r) => `${r.encoder.slice(0, 11).padStart(11)} mAP/NN`).join(' ')}`;
  const rows = classes.map((c) => {
    const n = results[0]!.perClass[c]!.queries;
    const cells = results.map((r) => `${pct(r.perClass[c]!.map)} /${pct(r.perClass[c]!.nn)}`.padStart(18));
    return `${c.padEnd(width)} ${String(n).padStart(3)} ${cells.join(' ')}`;
  });
  return [head, ...rows].join('\n');
}

function parseEncoders(v: string | undefined): ShapeEncoderName[] {
  if (!v) return [...SHAPE_ENCODERS];
  return v.split(',').map((s) => {
    const name = s.trim();
    if (!isShapeEncoderName(name)) {
      throw new LayerwiseError(
        'invalid_argument',
        `--encoder: unknown encoder "${name}" (known: ${SHAPE_ENCODERS.join(', ')})`,
      );
    }
    return name;
  });
}

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('eval-shapes')
    .description('evaluate shape encoders on a labelled folder of meshes (Princeton Shape Benchmark metrics)')
    .requiredOption('--dir <dir>', 'folder of mesh files')
    .requiredOption(
      '--labels <file>',
      'CSV with a path column (stl_path or path, relative to --dir) and a label column',
    )
    .option('--label-column <name>', 'label column (default: family, label, class, category or assembly)')
    .option('--path-column <name>', 'path column (default: stl_path, else path)')
    .option('--encoder <names>', `comma-separated encoders (default: all of ${SHAPE_ENCODERS.join(', ')})`)
    .option('--params <json>', 'config per encoder, e.g. \'{"pointnet":{"epochs":5}}\'')
    .option('--seed <n>', 'training seed (default: each encoder’s own)')
    .option('--fit-on <half>', 'fit on `all` meshes (default) or on the `tuning` half of the classes only')
    .option('--per-class', 'also print the per-class table (always included in --json)')
    .option('--json', 'print the results as JSON on stdout (tables go to stderr)')
    .action((f: Flags) => {
      const encoders = parseEncoders(f.encoder);
      const fitOn = f.fitOn ?? 'all';
      if (fitOn !== 'all' && fitOn !== 'tuning') {
        throw new LayerwiseError('invalid_argument', `--fit-on: expected all or tuning, got "${fitOn}"`);
      }
      let configs: Record<string, Record<string, unknown>> = {};
      if (f.params) {
        try {
          configs = JSON.parse(f.params) as Record<string, Record<string, unknown>>;
        } catch (e) {
          throw new LayerwiseError('invalid_argument', `--params is not valid JSON: ${(e as Error).message}`);
        }
      }
      const files = readLabels(f.labels, {
        ...(f.labelColumn ? { labelColumn: f.labelColumn } : {}),
        ...(f.pathColumn ? { pathColumn: f.pathColumn } : {}),
      });
      const data = loadShapeDataset(f.dir, files, (done, total) => {
        if (done % 50 === 0 || done === total) ctx.io.err(`prepared ${done}/${total} meshes`);
      });
      const classes = new Set(data.labels).size;
      ctx.io.err(
        `${data.shapes.length} meshes in ${classes} classes prepared in ${data.seconds.toFixed(1)} s; ${data.errors.length} skipped`,
      );
      for (const e of data.errors.slice(0, 10)) ctx.io.err(`  skipped ${e.path}: ${e.code}: ${e.message}`);
      if (data.shapes.length < 2)
        throw new LayerwiseError('invalid_argument', `need at least 2 readable meshes, got ${data.shapes.length}`);
      const results = evaluateShapeEncoders(data, {
        encoders,
        configs,
        fitOn,
        ...(f.seed ? { seed: Number(f.seed) } : {}),
        onStage: (name, stage, detail) => ctx.io.err(`${name}: ${stage}${detail ? ` ${detail}` : ''}`),
      });
      const table = formatShapeTable(results);
      if (f.json) {
        ctx.io.err(table);
        const json = Object.fromEntries(
          results.map((r) => [
            r.encoder,
            {
              map: r.overall.map,
              nn: r.overall.nn,
              ft: r.overall.ft,
              st: r.overall.st,
              dcg: r.overall.dcg,
              queries: r.overall.queries,
              dim: r.dim,
              fitSeconds: r.fitSeconds,
              fitShapes: r.fitShapes,
              epochs: r.epochs,
              secondsPerEpoch: r.secondsPerEpoch,
              embedSeconds: r.embedSeconds,
              splits: r.splits,
              perClass: r.perClass,
            },
          ]),
        );
        ctx.io.out(JSON.stringify(json, null, 2));
      } else {
        ctx.io.out(table);
        if (f.perClass) ctx.io.out(`\n${formatPerClass(results)}`);
      }
    });
};
