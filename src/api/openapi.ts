// The OpenAPI 3.1 document, generated from the routes' zod schemas (zod 4's own JSON Schema
// output: OpenAPI 3.1 schema objects are JSON Schema 2020-12, so no second generator is needed).
// Schemas with a meta id become components; zod puts them in `$defs`, which would resolve against
// the document root in OpenAPI, so they are moved to #/components/schemas and their refs rewritten.
import { z } from 'zod';
import type { Route } from './route.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const DEFS_REF = /^#\/\$defs\//;

function rewriteRefs(value: Json): Json {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      k === '$ref' && typeof v === 'string' ? v.replace(DEFS_REF, '#/components/schemas/') : rewriteRefs(v);
  }
  return out;
}

export function buildOpenApiDocument(routes: readonly Route[]): Json {
  const components: { [key: string]: Json } = {};
  const toSchema = (schema: z.ZodType, io: 'input' | 'output'): Json => {
    // JSON.parse(JSON.stringify(…)) turns zod's typed JSON Schema object into plain JSON values.
    const converted = JSON.parse(
      JSON.stringify(z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' })),
    ) as { [key: string]: Json };
    const { $schema: _dialect, $defs, ...rest } = converted;
    if ($defs && typeof $defs === 'object' && !Array.isArray($defs))
      for (const [id, def] of Object.entries($defs)) components[id] = rewriteRefs(def);
    const id = z.globalRegistry.get(schema)?.id;
    if (typeof id === 'string') {
      components[id] = rewriteRefs(rest);
      return { $ref: `#/components/schemas/${id}` };
    }
    return rewriteRefs(rest);
  };

  const paths: { [path: string]: { [method: string]: Json } } = {};
  for (const route of routes) {
    const parameters: Json[] = [];
    const addParameters = (schema: z.ZodObject | undefined, where: 'path' | 'query') => {
      if (!schema) return;
      const json = toSchema(schema, 'input') as { properties?: { [k: string]: Json }; required?: string[] };
      for (const [name, property] of Object.entries(json.properties ?? {})) {
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (json.required ?? []).includes(name),
          schema: property,
        });
      }
    };
    addParameters(route.params, 'path');
    addParameters(route.query, 'query');
    const operation: { [key: string]: Json } = {
      operationId: route.operationId,
      summary: route.summary,
      ...(parameters.length ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toSchema(route.body, 'input') } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(route.responses).map(([status, spec]) => [
          status,
          {
            description: spec.description,
            content: { 'application/json': { schema: toSchema(spec.schema, 'output') } },
          },
        ]),
      ),
      ...(route.public ? { security: [] } : {}),
    };
    paths[route.path] ??= {};
    const entry = paths[route.path];
    if (entry) entry[route.method.toLowerCase()] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'commit-gate HTTP API',
      version: '1.0.0',
      description:
        'Systems of record (CRM, ERP, WMS, accounting) create requests, read them, record deliveries, slips, quality issues and payments, and set capacity. Writes take an optional external_id: the same id again returns the first answer and changes nothing.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'COMMIT_GATE_API_TOKEN' } },
      schemas: components,
    },
    paths,
  };
}
