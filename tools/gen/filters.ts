// A list endpoint's query parameters → the filters Stripe applies exactly, the parameters it
// requires, and the defaults that would hide rows.

import type { ColumnDef, DefaultParam, FilterCapability, ListPaging } from '../../src/catalog/types.js';
import type { PredicateOp } from '../../src/engine/table.js';
import { fieldEnums } from './columns.js';
import { pascal } from './naming.js';
import { queryParams, resolve, type Operation, type Parameter, type Schema, type Spec } from './spec.js';

const PAGING = new Set(['limit', 'starting_after', 'ending_before', 'expand']);
const EQUALS_OPS: PredicateOp[] = ['=', 'IN'];
const RANGE_OPS: PredicateOp[] = ['=', '<', '<=', '>', '>='];
const BOOLEAN_OPS: PredicateOp[] = ['=', '<>'];

/**
 * Parameters whose match is not SQL equality: a LIKE match (`value`), containment (`contains`),
 * a prefix, or a parameter that needs a companion (`owner` needs `owner[type]`).
 */
const INEXACT = /is like|contain|prefix/i;
/** `… using * as a wildcard`: equality for any value without that character. */
const WILDCARD = /using (\S) as a wildcard/i;
const NEEDS_COMPANION: ReadonlySet<string> = new Set(['/v1/tax_ids owner']);

export interface ListFilters {
  filters: FilterCapability[];
  defaultParams: DefaultParam[];
  /** Columns added for required parameters no field carries. */
  paramColumns: ColumnDef[];
  /** Required top-level parameters (for parent detection). */
  requiredParams: string[];
}

export function listFilters(spec: Spec, listPath: string, op: Operation, columns: ColumnDef[]): ListFilters {
  const result: ListFilters = { filters: [], defaultParams: [], paramColumns: [], requiredParams: [] };
  for (const param of queryParams(op)) {
    if (PAGING.has(param.name)) continue;
    if (param.required) result.requiredParams.push(param.name);
    const inexact = INEXACT.test(param.description ?? '') && !WILDCARD.test(param.description ?? '');
    if (!param.required && (inexact || NEEDS_COMPANION.has(`${listPath} ${param.name}`))) continue;
    const schema = resolve(spec, param.schema ?? {});
    addFilters(spec, param, schema, [param.name], columns, result);
    const defaulted = hidingDefault(param, schema);
    if (defaulted) result.defaultParams.push(defaulted);
  }
  return result;
}

function addFilters(spec: Spec, param: Parameter, schema: Schema, path: string[], columns: ColumnDef[], out: ListFilters): void {
  const field = path.join('.');
  const bracket = path[0] + path.slice(1).map((p) => `[${p}]`).join('');
  const column = columns.find((c) => c.field === field && c.encoding !== 'json');
  const required = param.required === true && (path.length === 1 || (resolve(spec, param.schema ?? {}).required ?? []).includes(path[1]!));

  if (isRange(schema)) {
    if (column && (column.type === 'Datetime' || column.type === 'Integer')) {
      out.filters.push({ column: column.name, ops: RANGE_OPS, param: bracket, kind: 'range', ...(required ? { required } : {}) });
    }
    return;
  }
  if (schema.type === 'object' && schema.properties) {
    for (const [name, sub] of Object.entries(schema.properties)) addFilters(spec, param, resolve(spec, sub), [...path, name], columns, out);
    return;
  }
  if (schema.type === 'boolean') {
    if (column?.type === 'Boolean') out.filters.push({ column: column.name, ops: BOOLEAN_OPS, param: bracket, kind: 'boolean', ...(required ? { required } : {}) });
    return;
  }
  if (schema.type !== 'string' && schema.type !== 'integer') return;
  const compatible = column && (schema.type === 'string'
    ? column.type === 'String' || column.type === 'Decimal'
    : column.type === 'Integer' || column.type === 'Datetime');
  if (column && compatible) {
    const values = enumValues(schema, column);
    const wildcard = WILDCARD.exec(param.description ?? '')?.[1];
    out.filters.push({
      column: column.name, ops: EQUALS_OPS, param: bracket, kind: 'equals',
      ...(values ? { enum: values } : {}), ...(required ? { required } : {}), ...(wildcard ? { wildcard } : {}),
    });
  } else if (required && !column && path.length === 1) {
    // Stripe needs it, yet no field shows it: a pseudo-column carries the value in and back out.
    const name = paramColumnName(param);
    out.paramColumns.push({
      name, type: schema.type === 'integer' ? (schema.format === 'unix-time' ? 'Datetime' : 'Integer') : 'String', pseudo: true, readOnly: true,
      encoding: 'param', param: param.name, description: `The ${param.name} parameter the list was read with (required).`,
    });
    out.filters.push({ column: name, ops: EQUALS_OPS, param: bracket, kind: 'equals', required: true });
  }
}

/** Which paging parameters the list takes; undefined when it takes both, as nearly every list does. */
export function listPaging(op: Operation): ListPaging | undefined {
  const names = new Set(queryParams(op).map((p) => p.name));
  const paging: ListPaging = { limit: names.has('limit'), cursor: names.has('starting_after') && names.has('ending_before') };
  return paging.limit && paging.cursor ? undefined : paging;
}

function isRange(schema: Schema): boolean {
  return (schema.anyOf ?? []).some((m) => m.type === 'object' && m.properties !== undefined && 'gte' in m.properties && 'lt' in m.properties);
}

/** Values the field can hold and the parameter accepts; `all`-style extras are not field values. */
function enumValues(schema: Schema, column: ColumnDef): string[] | undefined {
  const accepted = schema.enum?.filter((v): v is string => typeof v === 'string' && v !== '');
  if (!accepted || accepted.length === 0) return undefined;
  const held = fieldEnums.get(column);
  return held ? accepted.filter((v) => held.includes(v)) : accepted.filter((v) => v !== 'all');
}

/** `status` whose enum offers `all`: Stripe's default leaves some statuses out, so ask for all. */
function hidingDefault(param: Parameter, schema: Schema): DefaultParam | undefined {
  if (schema.enum?.includes('all')) {
    return { param: param.name, value: 'all', reason: `without ${param.name}, Stripe leaves some ${param.name} values out of the list` };
  }
  return undefined;
}

/** `customer` → CustomerId: a parameter naming an object is shown as that object's id. */
function paramColumnName(param: Parameter): string {
  const name = pascal(param.name);
  return /\bID\b|identifier/i.test(param.description ?? '') || ['customer'].includes(param.name) ? `${name}Id` : name;
}
