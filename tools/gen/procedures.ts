// Stripe's action endpoints → stored procedures: `POST /v1/<resource>/{id}/<verb>` (capture,
// finalize, expire, …), `DELETE /v1/<resource>/{id}/<thing>` (delete a discount), and the
// cancel that Stripe spells as a DELETE of the subscription itself.

import type { ProcedureParamDef, StripeProcedureDef } from '../../src/catalog/procedure-types.js';
import type { TableDef } from '../../src/catalog/types.js';
import { ACCOUNT_PSEUDO_COLUMN, CONNECTED_ACCOUNT_COLUMN, pascal, singular } from './naming.js';
import { formSchema, refName, resolve, responseSchema, type Operation, type Schema, type Spec } from './spec.js';

/** Reference names (data-model.md) where the derived name differs. */
const referenceProcedureNames: Readonly<Record<string, string>> = {
  AttachPaymentMethod: 'AttachPaymentMethodToCustomer',
  DetachPaymentMethod: 'DetachPaymentMethodFromCustomer',
  VoidCreditNote: 'VoidCreditNotes',
};

/** Action-shaped paths that create something: named as creates, or left out (deprecated aliases). */
const createActions: Readonly<Record<string, string | null>> = {
  '/v1/accounts/{account}/login_links': 'CreateAccountLoginLink',
  '/v1/customers/{customer}/funding_instructions': 'CreateCustomerFundingInstructions',
  '/v1/accounts/{account}/bank_accounts': null,
};

/** Deletes of an object that Stripe documents as another verb. */
const deleteActions: readonly { path: string; name: string }[] = [
  { path: '/v1/subscriptions/{subscription_exposed_id}', name: 'CancelSubscription' },
];

/** `/v1/<…>/{id}/<action>`: the action is a literal segment right after a placeholder. */
const ACTION = /^\/v1\/.+\/\{[^}]+\}\/([a-z_]+)$/;

/**
 * The resource an action acts on, from the path's segments before the action: a segment followed
 * by a placeholder names an object (made singular), one that is not is a namespace
 * (`checkout`, `treasury`); `test_helpers` is dropped (they act on the same resource).
 * `/v1/customers/{customer}/sources/{id}/verify` → CustomerSource.
 */
function resourceName(path: string): string {
  const segments = path.replace(/^\/v1\//, '').split('/').slice(0, -1);
  const words: string[] = [];
  segments.forEach((segment, i) => {
    if (segment.startsWith('{') || segment === 'test_helpers') return;
    words.push(segments[i + 1]?.startsWith('{') ? singular(segment) : segment);
  });
  return pascal(words.join('_'));
}

/**
 * Every placeholder in `path` as a `<Resource>Id` parameter: the namespace and the singular of
 * the segment before it (`/v1/checkout/sessions/{session}` → CheckoutSessionId); a connected
 * account's is ConnectedAccountId, since AccountId means the Stripe-Account header.
 */
function pathParams(path: string): ProcedureParamDef[] {
  const segments = path.replace(/^\/v1\//, '').split('/');
  const params: ProcedureParamDef[] = [];
  let namespace: string[] = [];
  segments.forEach((segment, i) => {
    if (segment.startsWith('{') || segment === 'test_helpers') return;
    if (!segments[i + 1]?.startsWith('{')) {
      namespace.push(segment);
      return;
    }
    const noun = singular(segment);
    let name = `${pascal([...namespace, noun].join('_'))}Id`;
    if (name === ACCOUNT_PSEUDO_COLUMN) name = CONNECTED_ACCOUNT_COLUMN;
    params.push({ name, type: 'String', required: true, description: `Id of the ${[...namespace, noun].join(' ').replace(/_/g, ' ')}.`, in: 'path', placeholder: segments[i + 1]! });
    namespace = [];
  });
  return params;
}

/** A path with every placeholder blanked, to compare spec paths with runtime ones. */
function shapeOf(path: string): string {
  return path.replace(/\{[^}]+\}/g, '{}');
}

function isList(op: Operation | undefined): boolean {
  return responseSchema(op)?.properties?.object?.enum?.[0] === 'list';
}

function firstSentence(text: string | undefined): string {
  if (!text) return '';
  const plain = text.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
  const end = plain.search(/\.(\s|$)/);
  return end === -1 ? plain : plain.slice(0, end + 1);
}

function paramType(spec: Spec, schema: Schema): { type: ProcedureParamDef['type']; json: boolean } {
  const members = (schema.anyOf ?? [schema]).map((m) => resolve(spec, m));
  if (members.some((m) => m.type === 'object' || m.type === 'array' || m.properties)) return { type: 'String', json: true };
  const scalar = members.find((m) => m.type !== undefined && !(m.type === 'string' && m.enum?.length === 1 && m.enum[0] === ''));
  if (!scalar) return { type: 'String', json: false };
  if (scalar.type === 'boolean') return { type: 'Boolean', json: false };
  if (scalar.type === 'integer') return { type: scalar.format === 'unix-time' ? 'Datetime' : 'Long', json: false };
  if (scalar.type === 'number') return { type: 'Double', json: false };
  return { type: 'String', json: false };
}

function bodyParams(spec: Spec, op: Operation): ProcedureParamDef[] {
  const form = formSchema(op);
  if (!form?.properties) return [];
  const required = new Set(form.required ?? []);
  return Object.keys(form.properties).sort().filter((p) => p !== 'expand').map((param) => {
    const schema = form.properties![param]!;
    const { type, json } = paramType(spec, schema);
    return {
      name: pascal(param), type, required: required.has(param),
      description: firstSentence(schema.description ?? resolve(spec, schema).description), in: 'body', param, ...(json ? { json: true } : {}),
    };
  });
}

/** The table whose resource the endpoint returns (a top-level table preferred). */
function resultTable(spec: Spec, op: Operation, tables: readonly TableDef[]): string | undefined {
  const ref = responseSchema(op)?.$ref;
  if (!ref) return undefined;
  const objectType = resolve(spec, { $ref: ref }).properties?.object?.enum?.[0] ?? refName(ref);
  const matches = tables.filter((t) => t.resource === objectType && !t.singleton);
  return (matches.find((t) => !t.parent) ?? matches[0])?.name;
}

export function buildProcedures(spec: Spec, tables: readonly TableDef[]): StripeProcedureDef[] {
  const procedures: StripeProcedureDef[] = [];
  // A table's create path (UsageRecords) is INSERT, not a procedure.
  const createPaths = new Set(tables.flatMap((t) => (t.paths.create ? [shapeOf(t.paths.create)] : [])));
  for (const path of Object.keys(spec.paths).sort()) {
    const item = spec.paths[path]!;
    const explicit = deleteActions.find((d) => d.path === path);
    if (explicit && item.delete) procedures.push(procedure(spec, explicit.name, 'DELETE', path, item.delete, tables));
    const match = ACTION.exec(path);
    if (!match || isList(item.get) || createPaths.has(shapeOf(path))) continue;
    const action = match[1]!;
    const resource = resourceName(path);
    const [verb, ...rest] = action.split('_');
    // A GET at the path reads a sub-object (a discount); its POST, if any, is not an action.
    if (item.post && !item.get && createActions[path] !== null) {
      const derived = createActions[path] ?? `${pascal(verb!)}${resource}${pascal(rest.join('_'))}`;
      procedures.push(procedure(spec, referenceProcedureNames[derived] ?? derived, 'POST', path, item.post, tables));
    }
    if (item.delete) {
      const derived = `Delete${resource}${pascal(action)}`;
      procedures.push(procedure(spec, referenceProcedureNames[derived] ?? derived, 'DELETE', path, item.delete, tables));
    }
  }
  for (const p of procedures) {
    const names = p.parameters.map((q) => q.name.toLowerCase());
    if (new Set(names).size !== names.length) throw new Error(`procedure ${p.name} has two parameters of one name`);
  }
  const seen = new Map<string, string>();
  for (const p of procedures) {
    const other = seen.get(p.name);
    if (other) throw new Error(`procedure ${p.name} would stand for both ${other} and ${p.method} ${p.path}`);
    seen.set(p.name, `${p.method} ${p.path}`);
  }
  return procedures.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function procedure(spec: Spec, name: string, method: 'POST' | 'DELETE', path: string, op: Operation, tables: readonly TableDef[]): StripeProcedureDef {
  const summary = firstSentence((op as { description?: string; summary?: string }).description ?? (op as { summary?: string }).summary);
  const table = resultTable(spec, op, tables);
  return {
    name,
    description: summary || `${method} ${path}`,
    method,
    path,
    parameters: [...pathParams(path), ...bodyParams(spec, op)],
    ...(table ? { resultTable: table } : {}),
  };
}

export function emitProcedures(procedures: readonly StripeProcedureDef[], header: string): string {
  const lines = [header, '', "import type { StripeProcedureDef } from '../procedure-types.js';", '',
    '/** Every action endpoint of the spec as a stored procedure, in name order. */',
    'export const generatedProcedures: readonly StripeProcedureDef[] = ['];
  for (const p of procedures) {
    lines.push('  {');
    lines.push(`    name: ${JSON.stringify(p.name)},`);
    lines.push(`    description: ${JSON.stringify(p.description)},`);
    lines.push(`    method: ${JSON.stringify(p.method)},`);
    lines.push(`    path: ${JSON.stringify(p.path)},`);
    if (p.resultTable) lines.push(`    resultTable: ${JSON.stringify(p.resultTable)},`);
    lines.push('    parameters: [');
    for (const param of p.parameters) lines.push(`      ${literalParam(param)},`);
    lines.push('    ],');
    lines.push('  },');
  }
  lines.push('];', '');
  return lines.join('\n');
}

function literalParam(param: ProcedureParamDef): string {
  const entries = Object.entries(param).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return `{ ${entries.join(', ')} }`;
}
