// Every stored procedure in sys_procedures, EXECuted through SQL against the demo data with
// arguments taken from that data: it succeeds, or Stripe refuses it for the object's state
// (the emulator's lifecycle tables), or the emulator does not serve its endpoint. The counts
// are literals, so a change in what the demo data allows shows here on purpose.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generatedProcedures } from '../src/catalog/generated/procedures.js';
import { connect, type Connection } from '../src/index.js';
import { RESOURCES } from '../emulator/generated/resources.js';
import { DEMO_API_KEY, startEmulator, type Emulator } from '../emulator/index.js';

let emulator: Emulator;
let db: Connection;

before(async () => {
  emulator = await startEmulator();
  db = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRequestsPerSecond: 10_000, maxRetries: 0 });
});

after(async () => {
  await db.close();
  await emulator.close();
});

/** The object type each endpoint answers with, from the emulator's generated metadata. */
const typeOfEndpoint = new Map<string, string>();
/** `type path` of every retrieve: an action acts on its last path parameter when its path is one. */
const retrieves = new Set<string>();
for (const resource of RESOURCES) {
  for (const endpoint of resource.endpoints) {
    const method = endpoint.kind === 'delete' ? 'DELETE' : endpoint.kind === 'retrieve' || endpoint.kind === 'list' || endpoint.kind === 'search' ? 'GET' : 'POST';
    typeOfEndpoint.set(`${method} ${endpoint.path}`, resource.object);
    if (endpoint.kind === 'retrieve') retrieves.add(`${resource.object} ${endpoint.path}`);
  }
}

/** Path parameters that name a parent (or an object of another type) by their placeholder. */
const PLACEHOLDER_TYPES: Record<string, string> = {
  customer: 'customer',
  subscription_exposed_id: 'subscription',
  account: 'account',
};

/** Values for the required body parameters, by Stripe's parameter name. */
function bodyValue(param: string, procedure: string): string {
  const first = (type: string) => `'${String(emulator.objects(type)[0]?.id)}'`;
  switch (param) {
    case 'customer': return first('customer');
    case 'payment_intent': return first('payment_intent');
    case 'setup_intent': return first('setup_intent');
    case 'frozen_time': return "'2031-01-01T00:00:00Z'";
    case 'amount': return '99999999';
    case 'increment_amount': return '100';
    case 'currency': return "'usd'";
    case 'customer_consent_collected': return 'true';
    // Refreshing takes balance, ownership or transactions; subscribing only transactions.
    case 'features': return /subscribe/i.test(procedure) ? `'["transactions"]'` : `'["balance"]'`;
    case 'reason': return "'fraud'";
    case 'rejection_reasons': return `'{"card_logo":["geographic_location"]}'`;
    case 'type': return "'cart'";
    case 'values': return `'["32","45"]'`;
    case 'bank_transfer': return `'{"type":"us_bank_transfer"}'`;
    case 'funding_type': return "'bank_transfer'";
    default: throw new Error(`no value for the required parameter ${param}`);
  }
}

type Outcome = 'succeeded' | 'refused' | 'not served' | 'no data';

/** EXEC with arguments from the demo data: the newest object of the type the path acts on. */
async function exec(procedure: (typeof generatedProcedures)[number]): Promise<{ outcome: Outcome; detail: string }> {
  const ownType = typeOfEndpoint.get(`${procedure.method} ${procedure.path}`);
  const own = ownType ? emulator.objects(ownType)[0] : undefined;
  const pathParams = procedure.parameters.filter((p) => p.in === 'path');
  const args: string[] = [];
  for (const [index, param] of pathParams.entries()) {
    const placeholder = String(param.placeholder).slice(1, -1);
    const last = index === pathParams.length - 1;
    const named = PLACEHOLDER_TYPES[placeholder];
    const objectPath = procedure.method === 'DELETE' ? procedure.path : procedure.path.replace(/\/\w+$/, '');
    const actsOnOwn = retrieves.has(`${ownType} ${objectPath}`) || !named;
    let id: unknown;
    if (last && own && actsOnOwn) id = own.id;
    else if (own && typeof own[placeholder] === 'string') id = own[placeholder];
    else if (named) id = emulator.objects(named)[0]?.id;
    if (typeof id !== 'string') return { outcome: 'no data', detail: `nothing for {${placeholder}}` };
    args.push(`@${param.name} = '${id}'`);
  }
  for (const param of procedure.parameters.filter((p) => p.in !== 'path' && p.required)) args.push(`@${param.name} = ${bodyValue(String(param.param), procedure.name)}`);
  try {
    const result = await db.query(`EXEC ${procedure.name} ${args.join(', ')}`);
    return { outcome: 'succeeded', detail: `${result.rows.length} row` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/Unrecognized request URL/.test(message)) return { outcome: 'not served', detail: message };
    return { outcome: 'refused', detail: message };
  }
}

test('EXEC of every procedure against the demo data: each served, succeeding or refused for its state in Stripe\'s words', async () => {
  const outcomes = new Map<string, { outcome: Outcome; detail: string }>();
  for (const procedure of generatedProcedures) outcomes.set(procedure.name, await exec(procedure));
  const named = (outcome: Outcome) => [...outcomes].filter(([, o]) => o.outcome === outcome).map(([name]) => name);
  const counts = Object.fromEntries((['succeeded', 'refused', 'not served', 'no data'] as const).map((outcome) => [outcome, named(outcome).length]));
  assert.deepEqual(counts, { succeeded: 21, refused: 66, 'not served': 0, 'no data': 0 }, JSON.stringify([...outcomes], null, 1));
  // A refusal is about the object's state, in Stripe's words, never about the arguments.
  const STATE_REFUSAL = /because it has a status of|already|Only Checkout Sessions with a status|currently busy|no action in progress|No active discount|No such subscription/;
  for (const [name, { outcome, detail }] of outcomes) {
    if (outcome === 'refused') assert.match(detail, STATE_REFUSAL, name);
  }
  assert.deepEqual(named('not served'), []);
});
