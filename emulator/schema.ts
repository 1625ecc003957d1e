import { errors } from './errors.js';
import type { ParamObject, ParamValue } from './params.js';

// Declarative parameter schemas, written per endpoint from Stripe's spec. Validation both
// checks (unknown names, types, enums, required) and converts: integers to numbers,
// booleans to booleans, and an empty string on an "emptyable" parameter to null (unset).

interface Common {
  /** Accepts "" meaning "unset" (Stripe's `anyOf: [..., enum [""]]`). */
  emptyable?: boolean;
}
export type Schema =
  | (Common & { kind: 'string'; enum?: readonly string[]; maxLength?: number })
  | (Common & { kind: 'integer' })
  | (Common & { kind: 'number' })
  | (Common & { kind: 'boolean' })
  | (Common & { kind: 'object'; properties: Record<string, Schema>; required?: readonly string[] })
  | (Common & { kind: 'map' })
  | (Common & { kind: 'array'; items: Schema })
  | (Common & { kind: 'range' })
  | (Common & { kind: 'opaque' });

export type ObjectSchema = Extract<Schema, { kind: 'object' }>;

export const s = {
  string: (options: { enum?: readonly string[]; maxLength?: number; emptyable?: boolean } = {}): Schema => ({
    kind: 'string',
    ...options,
  }),
  enum: (values: readonly string[], emptyable = false): Schema => ({ kind: 'string', enum: values, emptyable }),
  integer: (emptyable = false): Schema => ({ kind: 'integer', emptyable }),
  number: (): Schema => ({ kind: 'number' }),
  boolean: (): Schema => ({ kind: 'boolean' }),
  object: (properties: Record<string, Schema>, required: readonly string[] = [], emptyable = false): ObjectSchema => ({
    kind: 'object',
    properties,
    required,
    emptyable,
  }),
  map: (emptyable = true): Schema => ({ kind: 'map', emptyable }),
  array: (items: Schema, emptyable = false): Schema => ({ kind: 'array', items, emptyable }),
  range: (): Schema => ({ kind: 'range' }),
  opaque: (): Schema => ({ kind: 'opaque', emptyable: true }),
};

/** Parameters every list endpoint takes. */
export const listParams: Record<string, Schema> = {
  ending_before: s.string({ maxLength: 5000 }),
  expand: s.array(s.string({ maxLength: 5000 })),
  limit: s.integer(),
  starting_after: s.string({ maxLength: 5000 }),
};

export const expandParam: Record<string, Schema> = { expand: s.array(s.string({ maxLength: 5000 })) };

export type Validated = Record<string, unknown>;

export function validateParams(schema: ObjectSchema, params: ParamObject): Validated {
  return validateObject(schema, params, '') as Validated;
}

function childPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}[${key}]`;
}

function validate(schema: Schema, value: ParamValue, path: string): unknown {
  if (value === '' && schema.kind !== 'string') {
    if (schema.emptyable) return null;
    throw errors.emptyString(path);
  }
  switch (schema.kind) {
    case 'string': {
      if (typeof value !== 'string') throw errors.invalidString(path);
      if (value === '') {
        if (schema.emptyable) return null;
        throw errors.emptyString(path);
      }
      if (schema.enum && !schema.enum.includes(value)) throw errors.invalidEnum(path, schema.enum);
      if (schema.maxLength !== undefined && value.length > schema.maxLength) throw errors.tooLong(path, schema.maxLength);
      return value;
    }
    case 'integer': {
      if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw errors.invalidInteger(path, display(value));
      return Number(value);
    }
    case 'number': {
      if (typeof value !== 'string' || !/^-?(\d+\.?\d*|\.\d+)$/.test(value)) throw errors.invalidNumber(path, display(value));
      return Number(value);
    }
    case 'boolean': {
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw errors.invalidBoolean(path, display(value));
    }
    case 'object':
      if (typeof value === 'string' || Array.isArray(value)) throw errors.invalidObject(path);
      return validateObject(schema, value, path);
    case 'map': {
      const entries = typeof value === 'string' ? null : Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      if (entries === null) throw errors.invalidObject(path);
      const out: Record<string, string | null> = {};
      for (const [key, entry] of entries) {
        if (typeof entry !== 'string') throw errors.invalidString(childPath(path, key));
        out[key] = entry === '' ? null : entry;
      }
      return out;
    }
    case 'array': {
      if (!Array.isArray(value)) throw errors.invalidArray(path);
      return value.map((item, index) => validate(schema.items, item, childPath(path, String(index))));
    }
    case 'range': {
      if (typeof value === 'string') return validate(s.integer(), value, path);
      if (Array.isArray(value)) throw errors.invalidObject(path);
      return validateObject(
        s.object({ gt: s.integer(), gte: s.integer(), lt: s.integer(), lte: s.integer() }),
        value,
        path,
      );
    }
    case 'opaque':
      return value;
  }
}

function validateObject(schema: ObjectSchema, value: { [key: string]: ParamValue }, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childSchema = schema.properties[key];
    if (!childSchema) throw errors.unknownParameter(childPath(path, key));
    out[key] = validate(childSchema, child, childPath(path, key));
  }
  for (const required of schema.required ?? []) {
    if (out[required] === undefined || out[required] === null) throw errors.missingParameter(childPath(path, required));
  }
  return out;
}

function display(value: ParamValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
