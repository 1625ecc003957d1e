// What a table's WHERE can ask Stripe to do, column by column, in words a `\d` reader needs:
// which comparisons become list parameters (or a read by id), which ones Stripe's search
// narrows, and which filter Stripe insists on. Everything else the engine evaluates itself,
// after reading the rows.

import type { PredicateOp } from '../engine/table.js';
import { searchableColumns, searchableMetadataColumn } from './search-query.js';
import type { FilterCapability, TableDef } from './types.js';

/** Column name → what Stripe does with it (`= IN · required`, `search: = LIKE`); absent: nothing. */
export type FilterSummary = Readonly<Record<string, string>>;

const HOW: Record<FilterCapability['kind'], string> = {
  retrieve: 'read by id',
  account: 'Stripe-Account header',
  parent: 'in the path',
  equals: '',
  range: '',
  boolean: '',
};

export function summarizeFilters(def: TableDef, searches: boolean): FilterSummary {
  const parts = new Map<string, string[]>();
  const add = (column: string, part: string) => parts.set(column, [...(parts.get(column) ?? []), part]);
  for (const filter of def.filters) {
    const how = HOW[filter.kind];
    add(filter.column, [opsText(filter.ops), how, filter.required ? 'required' : ''].filter((p) => p !== '').join(' · '));
  }
  if (searches) {
    for (const [column, ops] of searchableColumns(def)) add(column, `search: ${opsText(ops)}`);
    const metadata = searchableMetadataColumn(def);
    if (metadata) add(metadata, `search: ${metadata}->>'key' =`);
  }
  return Object.fromEntries([...parts].map(([column, texts]) => [column, [...new Set(texts)].join('; ')]));
}

/** In one order whatever the definition's: `= <> < <= > >= IN LIKE`. */
const OP_ORDER: readonly PredicateOp[] = ['=', '<>', '<', '<=', '>', '>=', 'IN', 'LIKE'];

function opsText(ops: readonly PredicateOp[]): string {
  return OP_ORDER.filter((op) => ops.includes(op)).join(' ');
}
