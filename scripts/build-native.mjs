// Builds the optional native compute addon (native/: N-API + OpenBLAS/LAPACK) with npm's node-gyp. Called by npm's
// "install" script. Never fails the install: without libopenblas-dev, or when the build fails, it says why and the
// portable TypeScript backend is used instead.
//   LAYERWISE_SKIP_NATIVE=1       skip the build
//   LAYERWISE_BLAS_INCLUDE=DIR    look for cblas.h only in DIR (default: Debian/Ubuntu locations)
//   LAYERWISE_NATIVE_DIR=DIR      build the addon sources in DIR (tests use a scratch copy)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = process.env.LAYERWISE_NATIVE_DIR ?? join(root, 'native');
const done = (msg) => {
  if (msg) console.log(`layerwise: ${msg}`);
  process.exit(0);
};
if (!existsSync(join(nativeDir, 'binding.gyp'))) done();
if (process.env.LAYERWISE_SKIP_NATIVE === '1') done('LAYERWISE_SKIP_NATIVE=1, skipping the native backend');
const headerDirs = process.env.LAYERWISE_BLAS_INCLUDE
  ? [process.env.LAYERWISE_BLAS_INCLUDE]
  : [
      '/usr/include/x86_64-linux-gnu/openblas-pthread',
      '/usr/include/x86_64-linux-gnu',
      '/usr/include/aarch64-linux-gnu/openblas-pthread',
      '/usr/include/aarch64-linux-gnu',
      '/usr/include/openblas',
      '/usr/include',
    ];
if (!headerDirs.some((d) => existsSync(join(d, 'cblas.h'))))
  done(
    `OpenBLAS headers not found (looked for cblas.h in ${headerDirs.join(', ')}); using the portable backend. ` +
      'For full speed: apt-get install libopenblas-dev, then npm rebuild',
  );
const gypCandidates = [
  process.env.npm_config_node_gyp,
  join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  '/usr/share/nodejs/node-gyp/bin/node-gyp.js',
].filter((p) => p && existsSync(p));
if (gypCandidates.length === 0) done('node-gyp not found (it ships with npm); using the portable backend');
// Called through npm, node-gyp finds the system Node headers; called directly it would try to download them.
const nodedir = existsSync('/usr/include/node/node_api.h') ? ['--nodedir=/usr'] : [];
const r = spawnSync(process.execPath, [gypCandidates[0], 'rebuild', ...nodedir], { cwd: nativeDir, stdio: 'inherit' });
if (r.status !== 0) done('native backend build failed (see above); using the portable backend');
done('native backend built (OpenBLAS)');
