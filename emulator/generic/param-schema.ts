import { s, type ObjectSchema, type Schema } from '../schema.js';
import type { ParamSpec } from './metadata.js';

// Turns the generated compact parameter specs into the validator's schemas.

export function toSchema(spec: ParamSpec): Schema {
  if (typeof spec === 'string') {
    const emptyable = spec.startsWith('?');
    const kind = emptyable ? spec.slice(1) : spec;
    if (kind.startsWith('e:')) return s.enum(kind.slice(2).split('|'), emptyable);
    switch (kind) {
      case 's':
        return s.string({ emptyable });
      case 'i':
        return s.integer(emptyable);
      case 'n':
        return { kind: 'number', emptyable };
      case 'b':
        return { kind: 'boolean', emptyable };
      case 'm':
        return s.map(true);
      case 'r':
        return s.range();
      default:
        return s.opaque();
    }
  }
  const head = spec[0];
  const emptyable = head.startsWith('?');
  if (spec.length === 2) return s.array(toSchema(spec[1] as ParamSpec), emptyable);
  const [, properties, required] = spec as [string, Record<string, ParamSpec>, string[]];
  return toObjectSchema(properties, required, emptyable);
}

export function toObjectSchema(properties: Record<string, ParamSpec>, required: readonly string[] = [], emptyable = false): ObjectSchema {
  const converted: Record<string, Schema> = {};
  for (const [name, spec] of Object.entries(properties)) converted[name] = toSchema(spec);
  return s.object(converted, required, emptyable);
}
