// Predicates in Stripe's search query language: each operator's clause, how clauses become
// queries (AND or OR, never both, at most ten clauses), and when a table reads through search
// instead of its list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableDefs } from '../src/catalog/index.js';
import { planPushdown } from '../src/catalog/pushdown.js';
import { MAX_SEARCH_CLAUSES, planSearch, termClauses } from '../src/catalog/search-query.js';
import type { TableDef } from '../src/catalog/types.js';
import type { Predicate, PredicateOp, PredicateTerm, SqlValue } from '../src/engine/table.js';

const def = (name: string): TableDef => tableDefs.find((d) => d.name === name)!;
const customers = def('Customers');
const charges = def('Charges');

let nextId = 1;
function p(column: string, op: PredicateOp, value?: SqlValue | SqlValue[]): Predicate {
  const predicate: Predicate = { id: nextId++, column, op, text: `${column} ${op}` };
  if (Array.isArray(value)) predicate.values = value;
  else if (value !== undefined) predicate.value = value;
  return predicate;
}

function or(...alternatives: PredicateTerm[][]): Predicate {
  return { id: nextId++, column: '', op: 'OR', alternatives, text: 'OR' };
}

/** The clause texts of one term, or undefined. */
function clauses(table: TableDef, term: PredicateTerm): string[] | undefined {
  return termClauses(table, term)?.map((c) => c.text);
}

test('= on a string or id field is an exact match; text cannot be negated or ranged', () => {
  assert.deepEqual(clauses(customers, { column: 'Email', op: '=', value: 'ann@acme.com' }), ["email:'ann@acme.com'"]);
  assert.deepEqual(clauses(customers, { column: 'name', op: '=', value: "O'Brien \\ Sons" }), ["name:'O\\'Brien \\\\ Sons'"]);
  assert.deepEqual(clauses(charges, { column: 'CustomerId', op: '=', value: 'cus_1' }), ["customer:'cus_1'"]);
  assert.deepEqual(clauses(charges, { column: 'Status', op: 'IN', values: ['succeeded', 'failed'] }), ["status:'succeeded'", "status:'failed'"]);
  // Stripe matches text ignoring case: `-email:'a'` would drop 'A', which <> keeps.
  assert.equal(clauses(customers, { column: 'Email', op: '<>', value: 'a@b.c' }), undefined);
  assert.equal(clauses(customers, { column: 'Email', op: '>', value: 'a' }), undefined);
  assert.equal(clauses(customers, { column: 'Email', op: '=', value: '' }), undefined);
  assert.equal(clauses(customers, { column: 'Email', op: 'IS NULL' }), undefined);
});

test('LIKE: no wildcard is an exact match, else the longest literal run of 3+ characters as a substring', () => {
  const like = (pattern: string, table = customers, column = 'Email') => clauses(table, { column, op: 'LIKE', value: pattern });
  assert.deepEqual(like('%@acme.com'), ["email~'@acme.com'"]);
  assert.deepEqual(like('ann%'), ["email~'ann'"]);
  assert.deepEqual(like('%ab_cdef%g%'), ["email~'cdef'"]);
  assert.deepEqual(like('ann@acme.com'), ["email:'ann@acme.com'"]);
  assert.equal(like('%ab%'), undefined);
  assert.equal(like('a_b_c'), undefined);
  // An id field takes exact matches only.
  assert.equal(like('%cus%', charges, 'CustomerId'), undefined);
  assert.deepEqual(like('cusA1', charges, 'CustomerId'), ["customer:'cusA1'"]);
  // `_` is a wildcard too.
  assert.equal(like('cus_1', charges, 'CustomerId'), undefined);
});

test('numbers and datetimes: ranges rounded to the integers SQL keeps, = and <> on whole values', () => {
  const amount = (op: PredicateTerm['op'], value: number) => clauses(charges, { column: 'Amount', op, value });
  assert.deepEqual(amount('>', 100), ['amount>100']);
  assert.deepEqual(amount('>', 10.5), ['amount>=11']);
  assert.deepEqual(amount('>=', 10.5), ['amount>=11']);
  assert.deepEqual(amount('<', 10.5), ['amount<11']);
  assert.deepEqual(amount('<=', 10.5), ['amount<=10']);
  assert.deepEqual(amount('=', 100), ['amount:100']);
  assert.deepEqual(amount('<>', 0), ['-amount:0']);
  assert.equal(amount('=', 10.5), undefined);
  const created = (op: PredicateTerm['op'], iso: string) => clauses(customers, { column: 'Created', op, value: new Date(iso) });
  assert.deepEqual(created('>=', '2024-01-01T00:00:00Z'), ['created>=1704067200']);
  assert.deepEqual(created('<', '2024-01-01T00:00:00.500Z'), ['created<1704067201']);
  assert.deepEqual(created('=', '2024-01-01T00:00:00Z'), ['created:1704067200']);
  assert.equal(created('=', '2024-01-01T00:00:00.500Z'), undefined);
});

test('booleans, metadata members and other JSON members search knows', () => {
  assert.deepEqual(clauses(charges, { column: 'Refunded', op: '=', value: true }), ["refunded:'true'"]);
  assert.deepEqual(clauses(charges, { column: 'Refunded', op: '<>', value: true }), ["refunded:'false'"]);
  assert.deepEqual(clauses(customers, { column: 'Metadata', path: ['tier'], op: '=', value: 'gold' }), ["metadata['tier']:'gold'"]);
  assert.deepEqual(clauses(customers, { column: 'Metadata', path: ["it's"], op: 'IN', values: ['a', 'b'] }), ["metadata['it\\'s']:'a'", "metadata['it\\'s']:'b'"]);
  assert.deepEqual(clauses(customers, { column: 'Metadata', path: ['tier'], op: 'LIKE', value: 'gold' }), ["metadata['tier']:'gold'"]);
  assert.equal(clauses(customers, { column: 'Metadata', path: ['tier'], op: 'LIKE', value: '%old%' }), undefined);
  assert.equal(clauses(customers, { column: 'Metadata', path: ['a', 'b'], op: '=', value: 'x' }), undefined);
  assert.equal(clauses(customers, { column: 'Metadata', op: '=', value: '{}' }), undefined);
  assert.deepEqual(clauses(def('Invoices'), { column: 'LastFinalizationError', path: ['code'], op: '=', value: 'card_declined' }), [
    "last_finalization_error_code:'card_declined'",
  ]);
});

test('fields search does not know, and tables without search, give no clause', () => {
  assert.equal(clauses(customers, { column: 'Description', op: '=', value: 'x' }), undefined);
  assert.equal(clauses(customers, { column: 'Nope', op: '=', value: 'x' }), undefined);
  assert.equal(clauses(def('CheckoutSession'), { column: 'Status', op: '=', value: 'open' }), undefined);
});

test('simple predicates AND into one query; past ten clauses, bounds are left out first', () => {
  const plan = planSearch(charges, [p('Amount', '>', 100), p('Status', '=', 'succeeded'), p('Description', '=', 'x'), p('Metadata', 'LIKE', 'x')]);
  assert.deepEqual(plan?.queries, ["status:'succeeded' AND amount>100"]);
  assert.deepEqual(plan?.used.map((u) => u.column), ['Status', 'Amount']);
  const many = [
    ...Array.from({ length: 6 }, (_, i) => p('Amount', '>', i)),
    ...Array.from({ length: 6 }, (_, i) => p('Metadata', 'IN', [`v${i}`])),
  ].map((predicate) => (predicate.column === 'Metadata' ? or([{ column: 'Metadata', path: [`k${predicate.id}`], op: '=', value: 'v' }]) : predicate));
  const query = planSearch(charges, many)!.queries[0]!.split(' AND ');
  assert.equal(query.length, MAX_SEARCH_CLAUSES);
  assert.equal(query.filter((c) => c.startsWith('metadata')).length, 6);
  assert.equal(planSearch(charges, [p('Description', '=', 'x')]), undefined);
});

test('an IN list becomes ORed queries of at most ten values each', () => {
  const emails = Array.from({ length: 25 }, (_, i) => `c${i}@x.com`);
  const plan = planSearch(customers, [p('Email', 'IN', emails)])!;
  assert.deepEqual(plan.queries.map((q) => q.split(' OR ').length), [10, 10, 5]);
  assert.equal(plan.queries[2], emails.slice(20).map((e) => `email:'${e}'`).join(' OR '));
});

test('an OR predicate: one clause per alternative, the one that narrows most; an alternative search cannot see leaves it out', () => {
  const plan = planSearch(customers, [or(
    [{ column: 'Email', op: 'LIKE', value: '%@acme.com' }],
    [{ column: 'Created', op: '>', value: new Date('2024-01-01T00:00:00Z') }, { column: 'Metadata', path: ['tier'], op: '=', value: 'gold' }],
    [{ column: 'Name', op: 'IN', values: ['Ann', 'Bo'] }],
  )]);
  assert.deepEqual(plan?.queries, ["email~'@acme.com' OR metadata['tier']:'gold' OR name:'Ann' OR name:'Bo'"]);
  assert.equal(planSearch(customers, [or([{ column: 'Email', op: '=', value: 'a' }], [{ column: 'Description', op: '=', value: 'b' }])]), undefined);
});

test('AND or OR: whichever narrows more (an OR by its loosest alternative), the single query on a tie', () => {
  const emails = p('Email', 'IN', ['a@x.com', 'b@x.com']);
  // Only a bound to AND: the exact ORs narrow more.
  assert.deepEqual(planSearch(customers, [p('Created', '>', new Date(0)), emails])?.queries, ["email:'a@x.com' OR email:'b@x.com'"]);
  // A substring to AND: still the exact ORs.
  assert.deepEqual(planSearch(customers, [p('Name', 'LIKE', '%Smith%'), emails])?.queries, ["email:'a@x.com' OR email:'b@x.com'"]);
  // An exact match to AND ties: one query.
  assert.deepEqual(planSearch(customers, [p('Name', '=', 'Ann'), emails])?.queries, ["name:'Ann'"]);
  // Two ORs: the one that narrows more, then the one with fewer alternatives.
  const loose = or([{ column: 'Email', op: 'LIKE', value: '%acme%' }], [{ column: 'Name', op: 'LIKE', value: '%ann%' }]);
  assert.deepEqual(planSearch(customers, [loose, p('Name', 'IN', ['A', 'B', 'C'])])?.queries, ["name:'A' OR name:'B' OR name:'C'"]);
});

test('search is chosen only where the list cannot filter, or where an IN would cost a list per value', () => {
  const plan = (table: TableDef, predicates: Predicate[], search = true) => planPushdown(table, predicates, { search });
  // The list filters by email=: one exact, fresh request.
  const byEmail = plan(customers, [p('Email', '=', 'a@x.com'), or([{ column: 'Metadata', path: ['k'], op: '=', value: 'v' }])]);
  assert.equal(byEmail.search, undefined);
  assert.equal(byEmail.lists.length, 1);
  // A created range alone is the list's; with a LIKE, search says more.
  assert.equal(plan(customers, [p('Created', '>', new Date(0))]).search, undefined);
  const like = p('Email', 'LIKE', '%@acme.com');
  const account = p('AccountId', '=', 'acct_1');
  const searched = plan(customers, [p('Created', '>', new Date(0)), like, account]);
  assert.deepEqual(searched.search, {
    path: '/v1/customers/search',
    queries: ["email~'@acme.com' AND created>0"],
    exactOnListFilters: false,
    // What is read instead if Stripe refuses the search.
    lists: [{ created: { gt: 0 } }],
  });
  assert.deepEqual(searched.lists, []);
  assert.deepEqual(searched.pushed, [account]);
  assert.deepEqual(searched.residual.map((r) => r.column), ['Created', 'Email']);
  assert.deepEqual(searched.accounts, ['acct_1']);
  // UseSearch=never, or no search endpoint: the list.
  assert.equal(plan(customers, [like], false).search, undefined);
  assert.equal(plan(def('CheckoutSession'), [p('CustomerDetailsEmail', 'LIKE', '%@acme.com')]).search, undefined);
  // Id = is a retrieve.
  assert.equal(plan(customers, [p('Id', '=', 'cus_1'), like]).search, undefined);
  // An IN the list fans out per value: ORed searches when that takes fewer requests.
  const fanned = plan(customers, [p('Email', 'IN', ['a@x.com', 'b@x.com'])]);
  assert.deepEqual(fanned.search?.queries, ["email:'a@x.com' OR email:'b@x.com'"]);
  assert.equal(fanned.search?.exactOnListFilters, true);
  assert.equal(plan(customers, [p('Email', 'IN', ['a@x.com'])]).search, undefined);
  // An enum or boolean filter picks out many objects: search may add to it.
  const invoices = plan(def('Invoices'), [p('Status', '=', 'paid'), or([{ column: 'Metadata', path: ['k'], op: '=', value: 'v' }])]);
  assert.deepEqual(invoices.search?.queries, ["status:'paid' AND metadata['k']:'v'"]);
  // A charge's customer is an exact list filter: the list, even with a status search could add.
  assert.equal(plan(charges, [p('CustomerId', '=', 'cus_1'), p('Status', '=', 'failed')]).search, undefined);
});
