import type { StripeObject } from '../store.js';
import { idPrefix } from './id-prefixes.js';
import type { FieldShape } from './metadata.js';
import { resourceFor, sharedShape } from './registry.js';

// Builds a well-formed object of any resource from its generated field shapes: nullable
// fields are null, enums take their first value, references point at a real object of the
// referenced type when `pickReference` finds one. Seeds override the fields that matter.

/** Marks an optional field the spec never makes null: left out until something sets it. */
export const ABSENT = '~';

export interface SynthesisContext {
  newId(prefix: string): string;
  created: number;
  /** An existing id of the type, so references stay consistent; null leaves the field null, undefined invents an id. */
  pickReference(objectType: string): string | null | undefined;
}

export function synthesize(objectType: string, ctx: SynthesisContext, overrides: Record<string, unknown> = {}): StripeObject {
  const resource = resourceFor(objectType);
  if (!resource) throw new Error(`no generated metadata for ${objectType}`);
  const id = overrides.id ?? ctx.newId(idPrefix(objectType));
  const object: Record<string, unknown> = { id, object: objectType };
  const fixed = fixedValues(objectType, resource.fields);
  for (const [field, shape] of Object.entries(resource.fields)) {
    if (field === 'id' || field === 'object' || field in overrides) continue;
    if (typeof shape === 'string' && shape.startsWith(ABSENT)) continue;
    const value = fixed.get(field);
    if (value === undefined) object[field] = valueFor(field, shape, ctx, 0);
    else object[field] = value !== null && typeof value === 'object' ? copy(value) : value;
  }
  if ('created' in resource.fields) object.created = ctx.created;
  if ('livemode' in resource.fields) object.livemode = false;
  if ('metadata' in resource.fields && !('metadata' in overrides)) object.metadata = {};
  Object.assign(object, overrides);
  // Stripe's order: id and object first, then the fields alphabetically.
  const ordered: Record<string, unknown> = { id: object.id, object: object.object };
  for (const key of Object.keys(object).sort()) if (key !== 'id' && key !== 'object') ordered[key] = object[key];
  return ordered as StripeObject;
}

// Most fields come out the same on every object of a type (no time, no reference, no id):
// those are built once per type and copied, which keeps the seed fast.
const fixedByType = new Map<string, Map<string, unknown>>();

function fixedValues(objectType: string, fields: Record<string, FieldShape>): Map<string, unknown> {
  let fixed = fixedByType.get(objectType);
  if (!fixed) {
    fixed = new Map();
    const inert: SynthesisContext = { newId: () => '', created: 0, pickReference: () => null };
    for (const [field, shape] of Object.entries(fields)) {
      if (isFixed(field, shape, 0)) fixed.set(field, valueFor(field, shape, inert, 0));
    }
    fixedByType.set(objectType, fixed);
  }
  return fixed;
}

function isFixed(field: string, shape: FieldShape, depth: number): boolean {
  if (Array.isArray(shape)) return true;
  if (typeof shape === 'object') return Object.entries(shape).every(([name, child]) => isFixed(name, child, depth + 1));
  if (shape.startsWith('?') || shape.startsWith(ABSENT) || shape.startsWith('e:')) return true;
  if (shape.startsWith('r:') || shape === 't') return false;
  if (shape === 's') return field !== 'id';
  if (shape.startsWith('@')) {
    const shared = sharedShape(shape.slice(1));
    return shared === undefined || depth > 6 || isFixed(field, shared, depth + 1);
  }
  return true;
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const STRING_DEFAULTS: Record<string, string> = {
  currency: 'usd',
  country: 'US',
  default_currency: 'usd',
  email: 'jenny.rosen@example.com',
  name: 'Demo',
  url: 'https://example.com',
  type: 'standard',
  status: 'active',
  description: 'Demo object',
  secret: 'whsec_demo0000000000000000000000',
};

export function valueFor(field: string, shape: FieldShape, ctx: SynthesisContext, depth: number): unknown {
  if (Array.isArray(shape)) return [];
  if (typeof shape === 'object') {
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(shape)) {
      if (typeof child === 'string' && child.startsWith(ABSENT)) continue;
      out[name] = valueFor(name, child, ctx, depth + 1);
    }
    return out;
  }
  if (shape.startsWith('?') || shape.startsWith(ABSENT)) return null;
  if (shape.startsWith('e:')) return shape.slice(2).split('|')[0];
  if (shape.startsWith('r:')) {
    const type = shape.slice(2);
    const picked = ctx.pickReference(type);
    return picked === undefined ? ctx.newId(idPrefix(type)) : picked;
  }
  if (shape.startsWith('@')) {
    const shared = sharedShape(shape.slice(1));
    return shared === undefined || depth > 6 ? {} : valueFor(field, shared, ctx, depth + 1);
  }
  switch (shape) {
    case 's':
      return STRING_DEFAULTS[field] ?? (field === 'id' ? ctx.newId('obj') : `${field.replace(/_/g, ' ')}`);
    case 'i':
      return 0;
    case 't':
      return ctx.created;
    case 'n':
      return 0;
    case 'b':
      return false;
    case 'm':
      return {};
    case 'L':
      return { object: 'list', data: [], has_more: false, url: '' };
    default:
      return {};
  }
}
