// PostgreSQL's built-in type OIDs (pg_type.dat) that this server sends or accepts, with their
// names and sizes (pg_type.typlen: -1 = variable length).

export const OID = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  regproc: 24,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  unknown: 705,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  numeric: 1700,
  regclass: 2205,
  jsonb: 3802,
  textArray: 1009,
  nameArray: 1003,
  // Catalog columns' own types, not offered as column types (no pg_type rows): arrays print as `{1,2}`, vectors as `1 2`.
  int2vector: 22,
  oidvector: 30,
  pgNodeTree: 194,
  int2Array: 1005,
  oidArray: 1028,
  aclitemArray: 1034,
  record: 2249,
  void: 2278,
} as const;

interface TypeInfo {
  name: string;
  /** How psql's format_type() prints it. */
  display: string;
  size: number;
}

export const TYPES: ReadonlyMap<number, TypeInfo> = new Map([
  [OID.bool, { name: 'bool', display: 'boolean', size: 1 }],
  [OID.bytea, { name: 'bytea', display: 'bytea', size: -1 }],
  [OID.char, { name: 'char', display: '"char"', size: 1 }],
  [OID.name, { name: 'name', display: 'name', size: 64 }],
  [OID.int8, { name: 'int8', display: 'bigint', size: 8 }],
  [OID.int2, { name: 'int2', display: 'smallint', size: 2 }],
  [OID.int4, { name: 'int4', display: 'integer', size: 4 }],
  [OID.regproc, { name: 'regproc', display: 'regproc', size: 4 }],
  [OID.text, { name: 'text', display: 'text', size: -1 }],
  [OID.oid, { name: 'oid', display: 'oid', size: 4 }],
  [OID.json, { name: 'json', display: 'json', size: -1 }],
  [OID.float4, { name: 'float4', display: 'real', size: 4 }],
  [OID.float8, { name: 'float8', display: 'double precision', size: 8 }],
  [OID.unknown, { name: 'unknown', display: 'unknown', size: -2 }],
  [OID.bpchar, { name: 'bpchar', display: 'character', size: -1 }],
  [OID.varchar, { name: 'varchar', display: 'character varying', size: -1 }],
  [OID.date, { name: 'date', display: 'date', size: 4 }],
  [OID.time, { name: 'time', display: 'time without time zone', size: 8 }],
  [OID.timestamp, { name: 'timestamp', display: 'timestamp without time zone', size: 8 }],
  [OID.timestamptz, { name: 'timestamptz', display: 'timestamp with time zone', size: 8 }],
  [OID.interval, { name: 'interval', display: 'interval', size: 16 }],
  [OID.numeric, { name: 'numeric', display: 'numeric', size: -1 }],
  [OID.regclass, { name: 'regclass', display: 'regclass', size: 4 }],
  [OID.jsonb, { name: 'jsonb', display: 'jsonb', size: -1 }],
  [OID.textArray, { name: '_text', display: 'text[]', size: -1 }],
  [OID.nameArray, { name: '_name', display: 'name[]', size: -1 }],
]);

export function typeSize(oid: number): number {
  return TYPES.get(oid)?.size ?? -1;
}

/** Types whose binary format this server reads and writes; text works for every type. */
export const BINARY_TYPES: ReadonlySet<number> = new Set<number>([
  OID.bool, OID.bytea, OID.int2, OID.int4, OID.int8, OID.oid, OID.float4, OID.float8, OID.numeric,
  OID.timestamp, OID.timestamptz, OID.date, OID.text, OID.varchar, OID.bpchar, OID.name, OID.json,
  OID.jsonb, OID.unknown, OID.char, OID.interval,
]);
