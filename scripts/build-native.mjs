// Builds the optional native compute addon (OpenBLAS). Never fails the install:
// without libopenblas-dev the portable backend is used instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
if (!existsSync(join(nativeDir, 'binding.gyp'))) process.exit(0);
if (process.env.LAYERWISE_SKIP_NATIVE === '1') {
  console.log('layerwise: LAYERWISE_SKIP_NATIVE=1, skipping the native backend');
  process.exit(0);
}
const hasBlas = [
  '/usr/include/x86_64-linux-gnu/cblas.h',
  '/usr/include/cblas.h',
  '/usr/include/openblas/cblas.h',
  '/usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h',
  '/usr/include/aarch64-linux-gnu/cblas.h',
].some((p) => existsSync(p));
if (!hasBlas) {
  console.log('layerwise: OpenBLAS headers not found (apt-get install libopenblas-dev); using the portable backend');
  process.exit(0);
}
const gyp = process.env.npm_config_node_gyp;
const args = gyp
  ? [gyp, 'rebuild']
  : [
      join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
      'rebuild',
      '--nodedir=/usr',
    ];
const r = spawnSync(process.execPath, args, { cwd: nativeDir, stdio: 'inherit' });
if (r.status !== 0) console.log('layerwise: native backend build failed; using the portable backend');
process.exit(0);
