/**
 * Layer rules (ARCHITECTURE.md): each layer imports only the layers below it, no cycles, and the edges (api, cli)
 * call app — below it they may import types only. The web UI (src/ui/web) imports only the wire contract.
 * Tests (`*.test.ts`), contract suites (`*.case.ts`) and test fixtures (`testing/`) may reach further and are not
 * checked here; they are also kept out of `dist` (tsconfig.build.json).
 */
const lower = ['core', 'io', 'geometry', 'nn', 'ann', 'models', 'eval', 'store'];
const below = {
  core: [],
  io: ['core'],
  geometry: ['core', 'io'],
  nn: ['core'],
  ann: ['core'],
  models: ['core', 'io', 'geometry', 'nn', 'ann'],
  eval: ['core', 'io', 'geometry', 'nn', 'ann', 'models'],
  store: ['core', 'io', 'geometry', 'models'],
  contract: ['core'],
  app: [...lower, 'contract'],
  demo: [...lower, 'contract', 'app'],
  api: ['core', 'contract', 'app'],
  cli: ['core', 'contract', 'app', 'demo', 'api'],
};
/** Edges may import these layers for types only (`import type`). */
const typesOnly = { api: lower.slice(1), cli: lower.slice(1) };
const layers = Object.keys(below);
const forbidden = [
  { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ...layers.map((layer) => ({
    name: `layer-${layer}`,
    severity: 'error',
    comment: `src/${layer} may import only: ${below[layer].join(', ') || 'nothing in src'}${
      typesOnly[layer] ? ` (and types from ${typesOnly[layer].join(', ')})` : ''
    }`,
    from: { path: `^src/${layer}/`, pathNot: '\\.(test|case)\\.ts$|/testing/' },
    to: {
      path: '^src/',
      pathNot: [
        `^src/${layer}/`,
        ...below[layer].map((l) => `^src/${l}/`),
        ...(typesOnly[layer] ?? []).map((l) => `^src/${l}/`),
      ],
    },
  })),
  ...Object.entries(typesOnly).map(([layer, only]) => ({
    name: `edge-${layer}-calls-app`,
    severity: 'error',
    comment: `src/${layer} is an edge: it calls app; from ${only.join(', ')} it may import types only`,
    from: { path: `^src/${layer}/`, pathNot: '\\.(test|case)\\.ts$|/testing/' },
    to: { path: `^src/(${only.join('|')})/`, dependencyTypesNot: ['type-only'] },
  })),
  {
    name: 'ui-web-contract-only',
    severity: 'error',
    comment: 'the web UI talks HTTP: it imports only the wire contract (src/contract) from src',
    from: { path: '^src/ui/web/' },
    to: { path: '^src/', pathNot: ['^src/ui/web/', '^src/contract/'] },
  },
  {
    name: 'not-to-tests',
    severity: 'error',
    comment: 'shipped code never imports tests, contract suites or fixtures',
    from: { path: '^src/', pathNot: '\\.(test|case)\\.ts$|/testing/' },
    to: { path: '\\.(test|case)\\.ts$|/testing/' },
  },
];
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.ts$', 'src/ui/web/dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js'],
    },
  },
};
