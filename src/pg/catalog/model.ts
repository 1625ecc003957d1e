// The connection's tables as PostgreSQL's catalogs would list them: one relation per table or
// view in schema `public`, with stable OIDs, numbered columns, their PostgreSQL types and
// descriptions. Names keep the connection's spelling (`CheckoutSession`, `AmountTotal`): the
// connection matches names case-insensitively, quoted or not, so `customers`, `Customers` and
// `"Customers"` all name the same table, and a name pattern matches either spelling.
import type { Connection } from '../../index.js';
import { TYPES } from '../protocol/types.js';
import { oidOfType } from '../types.js';

export const PUBLIC_NAMESPACE_OID = 2200;
export const PG_CATALOG_NAMESPACE_OID = 11;
export const INFORMATION_SCHEMA_NAMESPACE_OID = 13_000;
export const DATABASE_OID = 16384;
/** Relation OIDs start above PostgreSQL's bootstrap range. */
const FIRST_RELATION_OID = 16385;

export interface CatalogColumn {
  attnum: number;
  name: string;
  typeOid: number;
  /** As format_type() prints it: `text`, `integer`, `timestamp with time zone`, … */
  typeName: string;
  notNull: boolean;
  description: string;
}

export interface CatalogRelation {
  oid: number;
  name: string;
  /** pg_class.relkind: 'r' table, 'v' view. */
  kind: 'r' | 'v';
  description: string;
  columns: CatalogColumn[];
  /** The key column (Id), shown as the primary key. */
  keyColumn?: string;
  /** Which writes the table takes (INSERT / UPDATE / DELETE become Stripe requests). */
  insertable: boolean;
  updatable: boolean;
  deletable: boolean;
  /** Columns holding another table's Id, shown as foreign keys to its primary key. */
  foreignKeys: CatalogForeignKey[];
}

export interface CatalogForeignKey {
  /** PostgreSQL's default name: `<table>_<column>_fkey`. */
  name: string;
  column: CatalogColumn;
  /** The referenced table (it has a key column). */
  references: CatalogRelation;
}

export interface CatalogModel {
  relations: CatalogRelation[];
  byOid: Map<number, CatalogRelation>;
}

/** Read from the connection each time (temporary tables come and go). OIDs follow the sorted names. */
export function catalogModel(db: Connection): CatalogModel {
  const tables = [...db.tables()].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  const relations = tables.map((t, i): CatalogRelation => {
    const columns = t.columns.map((c, j): CatalogColumn => {
      const typeOid = oidOfType(c.type, c.json === true);
      return {
        attnum: j + 1,
        name: c.name,
        typeOid,
        typeName: TYPES.get(typeOid)?.display ?? 'text',
        notNull: c.key === true || c.nullable === false,
        description: [c.description ?? '', c.pseudo ? '(pseudo-column: usable in WHERE and INSERT, not in SELECT *)' : ''].filter(Boolean).join(' '),
      };
    });
    const key = t.columns.find((c) => c.key);
    return {
      oid: FIRST_RELATION_OID + i,
      name: t.name,
      kind: t.kind === 'VIEW' ? 'v' : 'r',
      description: t.description,
      columns,
      ...(key ? { keyColumn: key.name } : {}),
      insertable: t.insertable,
      updatable: t.updatable,
      deletable: t.deletable,
      foreignKeys: [],
    };
  });
  const byLowerName = new Map(relations.map((r) => [r.name.toLowerCase(), r]));
  tables.forEach((t, i) => {
    const relation = relations[i]!;
    for (const [columnName, tableName] of Object.entries(t.references)) {
      const column = relation.columns.find((c) => c.name === columnName);
      const references = byLowerName.get(tableName.toLowerCase());
      if (!column || !references?.keyColumn) continue;
      relation.foreignKeys.push({ name: `${relation.name}_${column.name}_fkey`.toLowerCase(), column, references });
    }
  });
  return { relations, byOid: new Map(relations.map((r) => [r.oid, r])) };
}

/** The primary key's constraint (and index) name, as PostgreSQL names it by default. */
export function pkeyName(r: CatalogRelation): string {
  return `${r.name.toLowerCase()}_pkey`;
}

/** psql's name patterns arrive as regular expressions (`^(cust.*)$`), unquoted names folded to lower case: either spelling matches. */
export function matchesPattern(name: string, regex: string | undefined): boolean {
  if (regex === undefined) return true;
  try {
    const re = new RegExp(regex);
    return re.test(name) || re.test(name.toLowerCase());
  } catch {
    return false;
  }
}
