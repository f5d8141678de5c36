/**
 * `layerwise similar <file | --item ID> [-k 10] [--encoder NAME] [--index usearch|hnswlib|brute] [--json]`: the
 * library items most similar in shape to a mesh file or an ingested item, with cosine scores and near-duplicate flags.
 */
import { DEFAULT_SHAPE_ENCODER, SHAPE_ENCODERS, VECTOR_INDEX_KINDS } from '../../app/choices.js';
import { loadConfig } from '../../app/config.js';
import { findSimilar } from '../../app/shapes/search.js';
import { withStore } from '../../app/store.js';
import { LayerwiseError } from '../../core/errors.js';
import { choiceFlag, intFlag } from '../flags.js';
import type { RegisterCommand } from './types.js';

interface Flags {
  item?: string;
  k: string;
  encoder: string;
  index: string;
  json?: boolean;
  dataDir?: string;
}

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('similar')
    .description('find library items similar in shape to a mesh file or an item')
    .argument('[file]', 'mesh file to search with (STL, OBJ, PLY, OFF, 3MF)')
    .option('--item <id>', 'search with an ingested item instead of a file')
    .option('-k, --k <n>', 'number of results', '10')
    .option('--encoder <name>', `shape encoder: ${SHAPE_ENCODERS.join(' | ')}`, DEFAULT_SHAPE_ENCODER)
    .option('--index <kind>', `vector index: ${VECTOR_INDEX_KINDS.join(' | ')}`, 'usearch')
    .option('--json', 'print the result as JSON')
    .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .action(async (file: string | undefined, f: Flags) => {
      if ((file === undefined) === (f.item === undefined)) {
        throw new LayerwiseError('invalid_argument', 'similar: give exactly one of a mesh file or --item ID');
      }
      const k = intFlag('k', f.k, 1);
      const index = choiceFlag('index', f.index, VECTOR_INDEX_KINDS);
      const cfg = loadConfig({ flags: { dataDir: f.dataDir } });
      const result = await withStore(cfg, (store) =>
        findSimilar(store, file !== undefined ? { file } : { itemId: f.item! }, {
          encoder: f.encoder,
          k,
          index,
          dataDir: cfg.dataDir,
        }),
      );
      if (f.json) {
        ctx.io.out(JSON.stringify(result));
        return;
      }
      ctx.io.out(
        `${result.hits.length} of ${result.librarySize} items by ${result.encoder} v${result.encoderVersion} (${(1000 * result.seconds).toFixed(0)} ms)`,
      );
      result.hits.forEach((h, i) => {
        const name = h.title ?? h.path ?? '';
        ctx.io.out(
          `${String(i + 1).padStart(3)}. ${h.score.toFixed(4)}  ${h.itemId}  ${name}${h.nearDuplicate ? '  [near-duplicate]' : ''}`,
        );
      });
    });
};
