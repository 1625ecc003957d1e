// What `\d` and Connection.tables() say each column's comparisons become at Stripe. The search
// part is checked against the clause builder itself, so the summary cannot promise a search the
// planner would not make.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableDefs } from '../src/catalog/index.js';
import { summarizeFilters } from '../src/catalog/filter-summary.js';
import { searchableColumns, termClauses } from '../src/catalog/search-query.js';
import type { SqlValue } from '../src/engine/table.js';
import { pred } from './catalog-fake-transport.js';

const def = (name: string) => tableDefs.find((d) => d.name === name)!;

test('Customers: list filters, the read by id, the account header and search, column by column', () => {
  assert.deepEqual(summarizeFilters(def('Customers'), true), {
    Id: '= IN · read by id',
    Created: '= < <= > >=; search: = <> < <= > >= IN',
    Email: '= IN; search: = IN LIKE',
    TestClockId: '= IN',
    AccountId: '= IN · Stripe-Account header',
    Name: 'search: = IN LIKE',
    Phone: 'search: = IN LIKE',
    Metadata: "search: Metadata->>'key' =",
  });
});

test('without search (UseSearch=never) only the list filters are claimed', () => {
  const summary = summarizeFilters(def('Customers'), false);
  assert.equal(summary.Name, undefined);
  assert.equal(summary.Email, '= IN');
});

test('a filter Stripe insists on says so, and a parent id in the path says where it goes', () => {
  const required = tableDefs.find((d) => d.filters.some((f) => f.required))!;
  const filter = required.filters.find((f) => f.required)!;
  assert.match(summarizeFilters(required, false)[filter.column]!, /· required/);
  assert.equal(summarizeFilters(def('InvoiceLineItems'), false).InvoiceId, '= IN · in the path');
});

test('every search operator the summary claims, for every table, is one the search query builder turns into a clause', () => {
  let checked = 0;
  for (const table of tableDefs) {
    for (const [name, ops] of searchableColumns(table)) {
      const column = table.columns.find((c) => c.name === name)!;
      for (const op of ops) {
        const value: SqlValue = column.type === 'Datetime' ? new Date(1_700_000_000_000) : column.type === 'Boolean' ? true : ['Integer', 'Long', 'Decimal', 'Double'].includes(column.type) ? 7 : op === 'LIKE' ? '%abc%' : 'abc';
        const predicate = op === 'IN' ? pred(name, 'IN', [value, value]) : pred(name, op, value);
        assert.ok(termClauses(table, predicate), `${table.name}.${name} ${op}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 60, `checked ${checked}`);
});
