import pg from 'pg';
import { connect } from '/work/wt/lead/src/index.js';
import { PgServer } from '/work/wt/lead/src/pg/server.js';
import { startEmulator, DEMO_API_KEY } from '/work/wt/lead/emulator/index.js';
const em = await startEmulator({ seed: true });
const server = await PgServer.start({ connect: () => connect({ apiKey: DEMO_API_KEY, baseUrl: em.url }), host: '127.0.0.1', port: 0, version: 'test' });
const client = new pg.Client({ host: '127.0.0.1', port: server.address.port, user: 'a', database: 'stripe' });
await client.connect();
for (const sql of process.argv.slice(2)) {
  try { const r = await client.query(sql); console.log(sql, '=>', JSON.stringify(r.fields.map(f => [f.name, f.dataTypeID])), JSON.stringify(r.rows.slice(0, 2))); } catch (e) { console.log(sql, '=> ERROR', (e as any).code, (e as Error).message); }
}
await client.end(); await server.close(); await em.close();
