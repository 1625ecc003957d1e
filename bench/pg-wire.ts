// Wire-server overhead: the same 100k-row temporary table read through the library directly,
// through `stripe-sql serve` with node-postgres, and with psql. Prints rows/s and each path's
// ratio to the library (1.0 = no overhead). Run: node --import tsx bench/pg-wire.ts [rows]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { connect } from '../src/index.js';
import { PgServer } from '../src/pg/server.js';
import { startEmulator, DEMO_API_KEY } from '../emulator/index.js';

const ROWS = Number(process.argv[2] ?? 100_000);
const BATCH = 1000;
const CREATE = 'CREATE TEMP TABLE wire (id INT, name VARCHAR, amount DOUBLE, created DATETIME, active BOOLEAN)';
const SELECT = 'SELECT id, name, amount, created, active FROM wire';

function inserts(): string[] {
  const statements: string[] = [];
  for (let start = 0; start < ROWS; start += BATCH) {
    const values: string[] = [];
    for (let i = start; i < Math.min(ROWS, start + BATCH); i++) {
      values.push(`(${i}, 'customer ${i}', ${(i * 1.25).toFixed(2)}, '2024-01-${String((i % 28) + 1).padStart(2, '0')} 12:00:00', ${i % 2 === 0 ? 'true' : 'false'})`);
    }
    statements.push(`INSERT INTO wire (id, name, amount, created, active) VALUES ${values.join(', ')}`);
  }
  return statements;
}

async function time(run: () => Promise<number>): Promise<{ ms: number; rows: number }> {
  const started = performance.now();
  const rows = await run();
  return { ms: performance.now() - started, rows };
}

const emulator = await startEmulator({ seed: false });
const open = () => connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url });
const server = await PgServer.start({ connect: open, port: 0, version: 'bench' });
const { port } = server.address;
try {
  const statements = inserts();

  const db = open();
  await db.execute(CREATE);
  for (const sql of statements) await db.execute(sql);
  const library = await time(async () => (await db.query(SELECT, undefined, { rowMode: 'array' })).rowCount);
  await db.close();

  const client = new pg.Client({ host: '127.0.0.1', port, user: 'bench' });
  await client.connect();
  await client.query(CREATE);
  for (const sql of statements) await client.query(sql);
  const nodePg = await time(async () => (await client.query({ text: SELECT, rowMode: 'array' })).rowCount ?? 0);
  await client.end();

  let psql: { ms: number; rows: number } | undefined;
  if (existsSync('/usr/bin/psql')) {
    const script = `${CREATE};\n${statements.join(';\n')};\n\\o /dev/null\n\\timing on\n${SELECT};\n`;
    // Asynchronous: the server answering psql runs in this process.
    const child = spawn('/usr/bin/psql', [`host=127.0.0.1 port=${port} user=bench sslmode=disable`, '-X', '-q', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const exited = new Promise((resolve) => child.on('close', resolve));
    child.stdin.end(script);
    await exited;
    const ms = Number(/Time: ([\d.]+) ms/.exec(output)?.[1]);
    if (Number.isFinite(ms)) psql = { ms, rows: ROWS };
  }

  const rate = (r: { ms: number; rows: number }) => Math.round((r.rows / r.ms) * 1000);
  console.log(`wire server, ${ROWS} rows of a temporary table (5 columns):`);
  console.log(`  library (query, rowMode array)  ${rate(library).toLocaleString('en')} rows/s`);
  console.log(`  node-postgres through serve     ${rate(nodePg).toLocaleString('en')} rows/s  (${(rate(nodePg) / rate(library)).toFixed(2)}x the library)`);
  if (psql) console.log(`  psql through serve              ${rate(psql).toLocaleString('en')} rows/s  (${(rate(psql) / rate(library)).toFixed(2)}x the library, psql's \\timing)`);
  else console.log('  psql: not installed (apt-get install postgresql-client)');
} finally {
  await server.close();
  await emulator.close();
}
