/** Layer rules: each layer may import only the layers below it (see README, Architecture). */
const layers = ['core', 'io', 'geometry', 'nn', 'ann', 'models', 'eval', 'store', 'app', 'api', 'cli', 'ui'];
const below = {
  core: [],
  io: ['core'],
  geometry: ['core', 'io'],
  nn: ['core'],
  ann: ['core'],
  models: ['core', 'io', 'geometry', 'nn', 'ann'],
  eval: ['core', 'io', 'geometry', 'nn', 'ann', 'models'],
  store: ['core', 'io', 'geometry', 'models'],
  app: ['core', 'io', 'geometry', 'nn', 'ann', 'models', 'eval', 'store'],
  api: ['core', 'io', 'geometry', 'models', 'eval', 'store', 'app'],
  cli: ['core', 'io', 'geometry', 'nn', 'ann', 'models', 'eval', 'store', 'app', 'api', 'ui'],
  ui: ['core', 'app', 'api'],
};
const forbidden = [
  { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ...layers.map((layer) => ({
    name: `layer-${layer}`,
    severity: 'error',
    comment: `src/${layer} may import only: ${below[layer].join(', ') || 'nothing in src'}`,
    from: { path: `^src/${layer}/` },
    to: { path: '^src/', pathNot: [`^src/${layer}/`, ...below[layer].map((l) => `^src/${l}/`), '^src/index\\.ts$'] },
  })),
];
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.ts$', 'src/ui/web/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js'],
    },
  },
};
