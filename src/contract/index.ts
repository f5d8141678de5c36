/**
 * The HTTP wire contract, defined once: zod 4 schemas of every route's params, querystring, body and responses,
 * and the TypeScript types inferred from them. The API generates its validation and OpenAPI document from these
 * (json-schema.ts), the serving use case returns these types, and the web UI imports them (types only, so no zod
 * reaches the browser bundle). Layer: imports only core and npm packages.
 */
export * from './common.js';
export * from './events.js';
export * from './experiments.js';
export * from './health.js';
export * from './insights.js';
export * from './items.js';
export * from './jobs.js';
export * from './json-schema.js';
export * from './models.js';
export * from './next.js';
export * from './printability.js';
export * from './recommendations.js';
export { components, isOpen, type NamedOptions, named } from './registry.js';
export * from './removal.js';
export * from './routes.js';
export * from './search.js';
export * from './slicing.js';
export * from './users.js';
