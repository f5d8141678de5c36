/**
 * `layerwise embed [--encoder NAME] [--refit] [--json] [--data-dir D]`: fits the library's shape encoder when there
 * is none (or with --refit) and computes the missing shape embeddings of ingested items.
 */

import { DEFAULT_SHAPE_ENCODER, isShapeEncoderName, SHAPE_ENCODERS } from '../../app/choices.js';
import { loadConfig } from '../../app/config.js';
import { computeEmbeddings } from '../../app/shapes/embed.js';
import { withStore } from '../../app/store.js';
import { LayerwiseError } from '../../core/errors.js';
import type { RegisterCommand } from './types.js';

interface Flags {
  encoder: string;
  refit?: boolean;
  params?: string;
  root?: string[];
  json?: boolean;
  dataDir?: string;
}

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('embed')
    .description('fit the shape encoder on the library (if needed) and compute missing shape embeddings')
    .option('--encoder <name>', `shape encoder: ${SHAPE_ENCODERS.join(' | ')}`, DEFAULT_SHAPE_ENCODER)
    .option('--refit', 'refit the encoder and recompute every embedding')
    .option('--params <json>', 'encoder config when fitting, e.g. \'{"epochs":5}\'')
    .option('--root <dir...>', 'extra folders item paths are relative to (default: the ingest roots)')
    .option('--json', 'print the summary as JSON')
    .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .action(async (f: Flags) => {
      if (!isShapeEncoderName(f.encoder)) {
        throw new LayerwiseError(
          'invalid_argument',
          `--encoder: unknown encoder "${f.encoder}" (known: ${SHAPE_ENCODERS.join(', ')})`,
        );
      }
      let config: Record<string, unknown> | undefined;
      if (f.params) {
        try {
          config = JSON.parse(f.params) as Record<string, unknown>;
        } catch (e) {
          throw new LayerwiseError('invalid_argument', `--params is not valid JSON: ${(e as Error).message}`);
        }
      }
      const cfg = loadConfig({ flags: { dataDir: f.dataDir } });
      const summary = await withStore(cfg, (store) =>
        computeEmbeddings(store, cfg.dataDir, {
          encoder: f.encoder,
          ...(f.refit ? { refit: true } : {}),
          ...(config ? { config } : {}),
          ...(f.root ? { roots: f.root } : {}),
          onProgress: (m) => ctx.io.err(m),
        }),
      );
      if (f.json) ctx.io.out(JSON.stringify(summary));
      else {
        ctx.io.out(
          `${summary.encoder} v${summary.version}: ${summary.embedded} embedded, ${summary.alreadyEmbedded} already had vectors, ` +
            `${summary.failed} failed${summary.fitted ? `; encoder fitted in ${summary.fitSeconds.toFixed(1)} s` : ''} (${summary.seconds.toFixed(1)} s)`,
        );
        for (const e of summary.errors.slice(0, 20)) ctx.io.out(`  ${e.itemId}: ${e.code}: ${e.message}`);
      }
      if (summary.failed > 0) ctx.setExitCode(1);
    });
};
