/**
 * Fastify route options generated from the wire contract (src/contract): for each route its method, path, scope and
 * the JSON Schemas ajv validates requests with and fast-json-stringify writes responses with; the named components
 * are added once with `$id` so responses refer to them (`{ $ref: 'Item#' }`) and the OpenAPI document lists them.
 * Nothing here defines a shape: change src/contract, not this file.
 */
import type { FastifySchema, RouteOptions } from 'fastify';
import {
  type ApiRoutes,
  apiRoutes,
  inputJsonSchema,
  type JsonSchema,
  type Limits,
  type RouteDef,
  type RouteName,
  toJsonSchemas,
} from '../contract/index.js';

type SwaggerTransform = NonNullable<NonNullable<RouteOptions['config']>['swaggerTransform']>;

/** What `app.route` needs from the contract (the route file adds the handler). */
export interface ContractRouteOptions {
  method: RouteDef['method'];
  url: string;
  config: { scope: RouteDef['scope']; swaggerTransform?: SwaggerTransform };
  schema: FastifySchema;
}

export interface ApiSchemas {
  routes: ApiRoutes;
  /** Components with `$id`, for `app.addSchema`. */
  shared: JsonSchema[];
  options(name: RouteName): ContractRouteOptions;
}

/** One server's schemas (the limits of `k` come from its config). */
export function apiSchemas(limits: Limits): ApiSchemas {
  const routes = apiRoutes(limits);
  const json = toJsonSchemas(routes);
  return {
    routes,
    shared: json.shared,
    options(name) {
      const def: RouteDef = routes[name];
      const parts = json.routes[name]!;
      const schema: FastifySchema & Record<string, unknown> = {
        tags: [...def.tags],
        summary: def.summary,
        response: parts.response,
      };
      if (def.description !== undefined) schema.description = def.description;
      if (parts.params) schema.params = parts.params;
      if (parts.querystring) schema.querystring = parts.querystring;
      if (parts.body) schema.body = parts.body;
      if (def.produces !== undefined) schema.produces = [def.produces];
      // public routes need no key: no security requirement in OpenAPI
      if (def.scope === 'public') schema.security = [];
      const options: ContractRouteOptions = { method: def.method, url: def.url, config: { scope: def.scope }, schema };
      if (def.multipart) {
        schema.consumes = ['multipart/form-data'];
        // documented, not validated: the multipart parser reads the parts as the handler asks for them
        const body = multipartDoc(def.multipart);
        options.config.swaggerTransform = ({ schema: s, url }) => ({ schema: { ...s, body }, url });
      }
      return options;
    },
  };
}

function multipartDoc(fields: NonNullable<RouteDef['multipart']>): JsonSchema {
  const properties = (inputJsonSchema(fields).properties ?? {}) as Record<string, unknown>;
  return {
    type: 'object',
    required: ['file'],
    properties: {
      file: { type: 'string', format: 'binary', description: 'the mesh (STL, OBJ, 3MF, …)' },
      ...properties,
    },
  };
}
