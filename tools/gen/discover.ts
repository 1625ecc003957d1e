// Which resources become tables: every list endpoint (top-level or under a parent path), the
// objects Stripe only reads by id, and the balance singleton. Paths of each resource's
// retrieve, create, update, delete and search endpoints.

import { childTableName, defaultTableName, referenceNames, retrieveOnlyTables, singletonViews, skippedLists } from './naming.js';
import { refName, responseSchema, type Spec } from './spec.js';

export interface ResourcePaths {
  list?: string;
  retrieve?: string;
  create?: string;
  update?: string;
  delete?: string;
  search?: string;
}

export interface DiscoveredTable {
  name: string;
  /** Schema name of the objects (`customer`, `line_item`). */
  schema: string;
  kind: 'table' | 'view';
  /** Paths as in the spec (`/v1/invoices/{invoice}/lines`). */
  specPaths: ResourcePaths;
  /** The parent path's placeholder and the parent's spec list/retrieve path, for child tables. */
  pathParent?: { placeholder: string; parentPath: string; parentName: string };
  singleton?: { path: string; rows?: string };
  description?: string;
}

const PLACEHOLDER = /\{[^}]+\}/g;

export function listPaths(spec: Spec): string[] {
  return Object.keys(spec.paths).filter((path) => {
    const schema = responseSchema(spec.paths[path]!.get);
    return schema?.properties?.object?.enum?.[0] === 'list' && schema.properties.data?.items?.$ref !== undefined && !skippedLists.has(path);
  }).sort();
}

function itemSchema(spec: Spec, listPath: string): string {
  return refName(responseSchema(spec.paths[listPath]!.get)!.properties!.data!.items!.$ref!);
}

/** The `…/{x}` path under `base` with one more placeholder, if the spec has it. */
function objectPath(spec: Spec, base: string): string | undefined {
  const pattern = new RegExp(`^${base.replace(/[{}]/g, '\\$&')}/\\{[^}/]+\\}$`);
  return Object.keys(spec.paths).filter((p) => pattern.test(p)).sort()[0];
}

export function resourcePaths(spec: Spec, listPath: string | undefined, objectPathGiven?: string): ResourcePaths {
  const paths: ResourcePaths = {};
  const item = objectPathGiven ?? (listPath ? objectPath(spec, listPath) : undefined);
  if (listPath && spec.paths[listPath]?.get) paths.list = listPath;
  if (item && spec.paths[item]?.get) paths.retrieve = item;
  if (listPath && spec.paths[listPath]?.post) paths.create = listPath;
  if (item && spec.paths[item]?.post) paths.update = item;
  if (item && spec.paths[item]?.delete) paths.delete = item;
  if (listPath && spec.paths[`${listPath}/search`]?.get) paths.search = `${listPath}/search`;
  return paths;
}

export function discoverTables(spec: Spec): DiscoveredTable[] {
  const tables: DiscoveredTable[] = [];
  const nameOfPath = new Map<string, string>();
  const lists = listPaths(spec);
  const topLevel = lists.filter((p) => !p.includes('{'));
  for (const path of topLevel) nameOfPath.set(path, referenceNames[path] ?? defaultTableName(path));
  for (const t of retrieveOnlyTables) if (!nameOfPath.has(t.retrieve.replace(/\/\{[^}]+\}$/, ''))) nameOfPath.set(t.retrieve.replace(/\/\{[^}]+\}$/, ''), t.name);

  for (const path of topLevel) {
    tables.push({ name: nameOfPath.get(path)!, schema: itemSchema(spec, path), kind: 'table', specPaths: resourcePaths(spec, path) });
  }
  for (const path of lists.filter((p) => p.includes('{'))) {
    const match = /^(.*)\/(\{[^}]+\})\/([^{}]+)$/.exec(path);
    if (!match) continue;
    const [, parentPath, placeholder, segment] = match as unknown as [string, string, string, string];
    const parentName = nameOfPath.get(parentPath) ?? defaultTableName(parentPath);
    const name = referenceNames[path] ?? childTableName(parentName, segment);
    tables.push({
      name, schema: itemSchema(spec, path), kind: 'table', specPaths: resourcePaths(spec, path),
      pathParent: { placeholder, parentPath, parentName },
    });
  }
  for (const t of retrieveOnlyTables) {
    const schema = refName(responseSchema(spec.paths[t.retrieve]!.get)!.$ref!);
    const paths: ResourcePaths = { retrieve: t.retrieve };
    if (t.create) paths.create = t.create;
    if (spec.paths[t.retrieve]?.post) paths.update = t.retrieve;
    tables.push({ name: t.name, schema, kind: 'table', specPaths: paths, description: t.description });
  }
  for (const view of singletonViews) {
    const schema = view.rowSchema ?? refName(responseSchema(spec.paths[view.path]!.get)!.$ref!);
    tables.push({
      name: view.name, schema, kind: 'view', specPaths: {},
      singleton: { path: view.path, ...(view.rows ? { rows: view.rows } : {}) }, description: view.description,
    });
  }
  const cashBalance = '/v1/customers/{customer}/cash_balance';
  tables.push({
    name: referenceNames[cashBalance]!, schema: 'cash_balance', kind: 'view', specPaths: {},
    pathParent: { placeholder: '{customer}', parentPath: '/v1/customers', parentName: 'Customers' },
    singleton: { path: cashBalance }, description: 'Cash balance of each customer: one row per customer.',
  });
  const usageRecords = '/v1/subscription_items/{subscription_item}/usage_records';
  tables.push({
    name: referenceNames[usageRecords]!, schema: 'usage_record', kind: 'table', specPaths: { create: usageRecords },
    pathParent: { placeholder: '{subscription_item}', parentPath: '/v1/subscription_items', parentName: 'SubscriptionItems' },
    description: 'Usage records reported for metered subscription items (write-only in Stripe; read UsageRecordSummaries).',
  });
  return tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `/v1/invoices/{invoice}/lines/{id}` → `/v1/invoices/{parent}/lines/{id}`. */
export function runtimePath(path: string | undefined, parentPlaceholder: string | undefined): string | undefined {
  if (!path) return undefined;
  let result = parentPlaceholder ? path.replace(parentPlaceholder, '{parent}') : path;
  const placeholders = result.match(PLACEHOLDER) ?? [];
  const last = placeholders[placeholders.length - 1];
  if (last && last !== '{parent}' && result.endsWith(last)) result = result.slice(0, -last.length) + '{id}';
  return result;
}
