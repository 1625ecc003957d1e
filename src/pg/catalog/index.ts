// Introspection: the pg_catalog and information_schema queries clients send, answered from
// the connection's tables() metadata. psql's describe queries are recognised by shape
// (psql.ts); anything else that reads the catalogs and is not recognised is refused with
// 0A000 rather than answered wrongly.
import type { Statement } from '../statement.js';
import { localStatement } from '../statement.js';
import type { SessionApi } from '../commands.js';
import type { Connection } from '../../index.js';
import { PgError } from '../errors.js';
import { catalogModel } from './model.js';
import { answerPsql, type ProcedureInfo } from './psql.js';
import { informationSchemaQuery } from './information-schema.js';

export interface CatalogSession extends SessionApi {
  readonly connection: Connection;
}

const READS_CATALOG = /\b(pg_catalog\s*\.|information_schema\s*\.|pg_(class|namespace|attribute|type|proc|database|description|index|am|settings|roles|user|tables|views|stat_\w+)\b)/i;

export function catalogStatement(sql: string, session: CatalogSession): Statement | undefined {
  if (!READS_CATALOG.test(sql)) return undefined;
  const db = session.connection;
  const context = { model: catalogModel(db), user: session.user, database: session.database, procedures: () => procedures(db) };
  const information = informationSchemaQuery(sql);
  if (information) {
    return localStatement(
      sql,
      information.fields,
      (values) => {
        const rows = information.run(values, catalogModel(session.connection), session.database, session.user);
        return { rows, tag: `SELECT ${rows.length}` };
      },
      { parameters: information.parameters },
    );
  }
  const answer = answerPsql(sql, context);
  if (!answer) {
    throw new PgError('0A000', 'stripe-sql answers only some catalog queries (psql\'s \\d, \\dt, \\df, \\l; information_schema.tables and .columns); this one is not among them', {
      hint: 'SELECT … FROM sys_tables / sys_tablecolumns describe every table',
    });
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
