// Introspection: the pg_catalog and information_schema queries clients send, answered from
// the connection's tables() metadata. Plain one-table queries run over small catalog tables
// (tables.ts, select.ts); psql's describe queries and known client queries are recognised by
// shape (psql.ts, clients.ts); any other query that reads the catalogs is planned and run by
// the SQL engine over the same catalog tables (engine.ts), and refused with 0A000 only when
// it uses what the engine or those tables lack.
import type { Statement } from '../statement.js';
import { localStatement } from '../statement.js';
import type { SessionApi } from '../commands.js';
import type { Connection } from '../../index.js';
import { PgError } from '../errors.js';
import { catalogModel } from './model.js';
import { answerPsql, type ProcedureInfo } from './psql.js';
import { catalogTableQuery } from './select.js';
import { answerClients, parameterCount } from './clients.js';
import { engineQuery, type EngineAnswer } from './engine.js';
import type { CatalogTableContext } from './tables.js';

export interface CatalogSession extends SessionApi {
  readonly connection: Connection;
}

const READS_CATALOG = /\b(pg_catalog"?\s*\.|information_schema"?\s*\.|pg_(class|namespace|attribute|attrdef|type|proc|database|description|index|am|settings|roles|user|tables|views|matviews|constraint|enum|inherits|stat_\w+)\b)/i;

export function catalogStatement(sql: string, session: CatalogSession): Statement | undefined {
  if (!READS_CATALOG.test(sql)) return undefined;
  const db = session.connection;
  // The schema-browsing queries of JDBC tools (DBeaver, Metabase) and Grafana, by shape.
  const client = answerClients(sql, { model: catalogModel(db), database: session.database, user: session.user });
  if (client) {
    return localStatement(
      sql,
      client.fields,
      (values) => {
        const rows = client.rows(values);
        return { rows, tag: `SELECT ${rows.length}` };
      },
      { parameters: parameterCount(sql) },
    );
  }
  let plain: ReturnType<typeof catalogTableQuery>;
  let refusal: unknown;
  try {
    plain = catalogTableQuery(sql);
  } catch (error) {
    // Not a plain query (or one naming what the small tables lack): psql's shapes may still know it.
    refusal = error;
  }
  // The catalog as it is when the statement runs (temporary tables come and go).
  const context = async (): Promise<CatalogTableContext> => ({
    model: catalogModel(db), database: session.database, user: session.user, settings: session.settings.all(), procedures: await procedures(db),
  });
  if (plain) {
    return localStatement(
      sql,
      plain.fields,
      async (values) => {
        const rows = plain.run(values, await context());
        return { rows, tag: `SELECT ${rows.length}` };
      },
      { parameters: plain.parameters },
    );
  }
  const answer = answerPsql(sql, { model: catalogModel(db), user: session.user, database: session.database, procedures: () => procedures(db) });
  if (!answer) {
    const described: CatalogTableContext = { model: catalogModel(db), database: session.database, user: session.user, settings: session.settings.all(), procedures: [] };
    let engine: EngineAnswer;
    try {
      engine = engineQuery(sql, described, parameterCount(sql));
    } catch (error) {
      if (refusal instanceof PgError && refusal.code !== '0A000') throw refusal;
      throw new PgError('0A000', 'stripe-sql cannot run this catalog query yet', {
        detail: error instanceof Error ? error.message : String(error),
        hint: 'SELECT … FROM sys_tables / sys_tablecolumns describe every table',
      });
    }
    return localStatement(
      sql,
      engine.fields,
      async (values) => {
        const rows = await engine.run(values, await context());
        return { rows, tag: `SELECT ${rows.length}` };
      },
      { parameters: parameterCount(sql) },
    );
  }
  return localStatement(sql, answer.fields, async () => {
    const rows = await answer.rows();
    return { rows, tag: `SELECT ${rows.length}` };
  });
}

/** The stored procedures and their parameters, read from the connection's system tables. */
async function procedures(db: Connection): Promise<ProcedureInfo[]> {
  const [list, parameters] = await Promise.all([
    db.query('SELECT ProcedureName, Description FROM sys_procedures ORDER BY ProcedureName'),
    db.query('SELECT ProcedureName, ColumnName, DataTypeName, IsRequired FROM sys_procedureparameters ORDER BY ProcedureName, Ordinal'),
  ]);
  const byName = new Map<string, ProcedureInfo>();
  for (const row of list.rows) byName.set(String(row.ProcedureName), { name: String(row.ProcedureName), description: String(row.Description ?? ''), parameters: [] });
  for (const row of parameters.rows) {
    byName.get(String(row.ProcedureName))?.parameters.push({ name: String(row.ColumnName), type: String(row.DataTypeName), required: row.IsRequired === true });
  }
  return [...byName.values()];
}
