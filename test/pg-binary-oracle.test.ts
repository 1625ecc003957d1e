// Binary (and text) results byte for byte against PostgreSQL itself. node-postgres decodes a binary
// DataRow field as UTF-8 text, so it cannot check binary values, and our own decoder would
// share our encoder's mistakes. Here the same Parse/Bind/Execute, asking for binary results,
// goes to PGlite (PostgreSQL compiled to WebAssembly) and over a socket to `stripe-sql serve`,
// and each field's bytes must be equal; the announced type OIDs too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect as connectSocket, type Socket } from 'node:net';
import { once } from 'node:events';
import { PGlite } from '@electric-sql/pglite';
import { serialize } from 'pg-protocol';
import { usePgServer } from './pg-helpers.js';

const fx = usePgServer();
let postgres: PGlite;

before(async () => {
  postgres = await PGlite.create();
  await postgres.exec("SET TIME ZONE 'UTC'");
});
after(() => postgres.close());

/** One value per supported binary type, with the edges each encoding has (sign, scale, epoch). */
const CASES: Record<string, string> = {
  'negative int4': '(-2147483648)::int4',
  'NULL': 'NULL::int8',
  int4: '2147483647::int4',
  int8: '(-9223372036854775807)::int8',
  float8: '-2.25e-300::float8',
  bool: 'true',
  text: "'héllo ☃'::text",
  numeric: '12.340::numeric',
  'small numeric': '-0.0001::numeric',
  'big numeric': '123456789012345678901234567890.000001::numeric',
  'zero numeric': '0::numeric(10,2)',
  'numeric NaN': "'NaN'::numeric",
  'numeric Infinity': "'Infinity'::numeric",
  'numeric -Infinity': "'-Infinity'::numeric",
  'float8 NaN': "'NaN'::float8",
  'float8 -Infinity': "'-Infinity'::float8",
  timestamptz: "TIMESTAMPTZ '2024-01-11 15:11:14.25+00'",
  'timestamptz before 2000': "TIMESTAMPTZ '1999-12-31 23:59:59+00'",
  date: "DATE '2024-03-01'",
  'date before 2000': "DATE '1970-01-01'",
  json: `'{"a": [1, 2]}'::json`,
  // Types the engine holds as its own nearest (Integer, Double, Datetime, text), announced as written:
  int2: '(-32768)::int2',
  float4: '1.5::float4',
  'real, inexact': '0.1::real',
  'timestamp without time zone': "TIMESTAMP '2024-01-11 15:11:14'",
  jsonb: `'{"b": 1, "a": [1, 2]}'::jsonb`,
};

for (const [name, expression] of Object.entries(CASES)) {
  for (const binary of [true, false]) {
    test(`${binary ? 'binary' : 'text'} ${name}: ${expression} has PostgreSQL's bytes and type OID`, async () => {
      const { ours, theirs } = await both(`SELECT ${expression} AS v`, binary);
      assert.deepEqual(ours.typeOids, theirs.typeOids, 'announced type OIDs');
      assert.deepEqual(ours.rows.map(hex), theirs.rows.map(hex), 'DataRow fields');
    });
  }
}

async function both(sql: string, binary: boolean): Promise<{ ours: Answer; theirs: Answer }> {
  const ours = await viaSocket(fx.port, sql, binary);
  const theirs = parseMessages(Buffer.from(await postgres.execProtocolRaw(extendedQuery(sql, binary))));
  assert.deepEqual(ours.errors, [], `our server refused ${sql}`);
  assert.deepEqual(theirs.errors, [], `PostgreSQL refused ${sql}`);
  return { ours, theirs };
}

/** Parse, Bind asking for every result column in binary (or text), Execute, Sync. */
function extendedQuery(sql: string, binary: boolean): Uint8Array {
  return Buffer.concat([
    serialize.parse({ text: sql, types: [] }),
    serialize.bind({ values: [], binary }),
    serialize.describe({ type: 'P' }),
    serialize.execute({}),
    serialize.sync(),
  ]);
}

interface Answer {
  typeOids: number[];
  rows: (Buffer | null)[][];
  errors: string[];
}

const hex = (row: (Buffer | null)[]) => row.map((field) => (field === null ? null : field.toString('hex')));

/** The RowDescription type OIDs, the DataRow fields and any ErrorResponse messages in a reply. */
function parseMessages(reply: Buffer): Answer {
  const answer: Answer = { typeOids: [], rows: [], errors: [] };
  for (let at = 0; at + 5 <= reply.length; ) {
    const type = String.fromCharCode(reply[at]!);
    const length = reply.readInt32BE(at + 1);
    const body = reply.subarray(at + 5, at + 1 + length);
    if (type === 'T') answer.typeOids = rowDescriptionOids(body);
    if (type === 'D') answer.rows.push(dataRowFields(body));
    if (type === 'E') answer.errors.push(body.toString('utf8').replace(/\0/g, ' ').trim());
    at += 1 + length;
  }
  return answer;
}

function rowDescriptionOids(body: Buffer): number[] {
  const oids: number[] = [];
  let at = 2;
  for (let i = 0; i < body.readInt16BE(0); i++) {
    at = body.indexOf(0, at) + 1; // the column name
    oids.push(body.readInt32BE(at + 6)); // after table OID (4) and attribute number (2)
    at += 18;
  }
  return oids;
}

function dataRowFields(body: Buffer): (Buffer | null)[] {
  const fields: (Buffer | null)[] = [];
  let at = 2;
  for (let i = 0; i < body.readInt16BE(0); i++) {
    const length = body.readInt32BE(at);
    at += 4;
    fields.push(length < 0 ? null : Buffer.from(body.subarray(at, at + length)));
    if (length > 0) at += length;
  }
  return fields;
}

/** Connects as a client would, runs the extended query, and returns what came back before ReadyForQuery. */
async function viaSocket(port: number, sql: string, binary: boolean): Promise<Answer> {
  const socket = connectSocket({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  try {
    socket.write(serialize.startup({ user: 'analyst', database: 'stripe' }));
    await readUntilReady(socket);
    socket.write(extendedQuery(sql, binary));
    return parseMessages(await readUntilReady(socket));
  } finally {
    socket.destroy();
  }
}

/** Everything the server sends up to and including ReadyForQuery ('Z'). */
function readUntilReady(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (endsWithReady(received)) {
        socket.off('data', onData).off('error', reject);
        resolve(received);
      }
    };
    socket.on('data', onData).on('error', reject);
  });
}

function endsWithReady(buffer: Buffer): boolean {
  for (let at = 0; at + 5 <= buffer.length; ) {
    const length = buffer.readInt32BE(at + 1);
    if (at + 1 + length > buffer.length) return false;
    if (buffer[at] === 0x5a && at + 1 + length === buffer.length) return true;
    at += 1 + length;
  }
  return false;
}
