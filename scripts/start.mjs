// `npm start`: on an empty data directory, generate the demo library, ingest it, compute shape embeddings and train
// the recommenders; then serve the API and the web UI (built first if missing). Later starts skip straight to serving.
// Honours LAYERWISE_DATA_DIR and LAYERWISE_PORT (read by the commands themselves).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'layerwise.js');
const run = (args, capture = false) => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
  });
  if (r.status !== 0 && !capture) {
    console.error(`layerwise start: \`layerwise ${args.join(' ')}\` failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
  return r;
};

const stats = run(['stats', '--json'], true);
let items = 0;
let models = 0;
try {
  const s = JSON.parse(stats.stdout);
  items = s.items?.total ?? 0;
  models = typeof s.models === 'number' ? s.models : (s.models?.total ?? 0);
} catch {
  items = 0;
}
const t0 = Date.now();
if (items === 0) {
  console.log('layerwise start: empty data directory — generating and ingesting the demo library (first start only)');
  run(['demo']);
}
if (items === 0 || models === 0) {
  console.log('layerwise start: computing shape embeddings');
  run(['embed']);
  console.log('layerwise start: training the recommenders');
  run(['train', '--sequential', 'markov,lastknn']);
  console.log(`layerwise start: library ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
if (!existsSync(join(root, 'src', 'ui', 'web', 'dist', 'index.html'))) {
  console.log('layerwise start: building the web UI (npm run build:ui)');
  const ui = spawnSync('npm', ['run', 'build:ui'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (ui.status !== 0) console.error('layerwise start: the UI build failed; serving the API only');
}
const port = process.env.LAYERWISE_PORT ?? '7070';
console.log(`layerwise start: starting the server; open http://127.0.0.1:${port}/ for the web UI`);
run(['serve']);
