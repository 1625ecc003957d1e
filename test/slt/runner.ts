// sqllogictest: reads SQLite's conformance files (format in test/slt/data/README.md) and runs
// them against our engine on temporary tables, identifying as `postgresql`. Used by
// `npm run slt` (tools/slt.ts, every record) and by test/slt.test.ts (a fast slice).

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { planStatement, Session } from '../../src/engine/index.js';
import type { Catalog, SqlValue } from '../../src/engine/table.js';
import { parse } from '../../src/sql/parser.js';
import { SqlError } from '../../src/sql/errors.js';
import { PartialWriteError } from '../../src/engine/index.js';

export const DATA_DIR = new URL('./data/', import.meta.url).pathname;
const ENGINE_NAME = 'postgresql';

export type SltRecord =
  | { kind: 'statement'; line: number; expectError: boolean; sql: string }
  | { kind: 'query'; line: number; types: string; sort: 'nosort' | 'rowsort' | 'valuesort'; label?: string; sql: string; expected: string[] }
  | { kind: 'hashThreshold'; line: number; value: number }
  | { kind: 'halt'; line: number };

/** The records of one file that apply to us (skipif/onlyif already resolved). */
export function parseSlt(text: string): { records: SltRecord[]; skipped: number } {
  const lines = text.split(/\r?\n/);
  const records: SltRecord[] = [];
  let skipped = 0;
  let i = 0;
  while (i < lines.length) {
    while (i < lines.length && isBlankOrComment(lines[i]!)) i++;
    if (i >= lines.length) break;
    let applies = true;
    let header = words(lines[i]!);
    while (header[0] === 'skipif' || header[0] === 'onlyif') {
      if (header[0] === 'skipif' && header[1] === ENGINE_NAME) applies = false;
      if (header[0] === 'onlyif' && header[1] !== ENGINE_NAME) applies = false;
      header = words(lines[++i]!);
    }
    const line = i + 1;
    const body: string[] = [];
    i++;
    while (i < lines.length && lines[i]!.trim() !== '') body.push(lines[i++]!);
    const record = toRecord(header, body, line);
    if (!record) continue;
    if (!applies) {
      if (record.kind === 'statement' || record.kind === 'query') skipped++;
      continue;
    }
    records.push(record);
  }
  return { records, skipped };
}

function isBlankOrComment(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

function words(line: string): string[] {
  return line.replace(/#.*$/, '').trim().split(/\s+/);
}

function toRecord(header: string[], body: string[], line: number): SltRecord | undefined {
  switch (header[0]) {
    case 'statement':
      return { kind: 'statement', line, expectError: header[1] === 'error', sql: body.join('\n') };
    case 'query': {
      const separator = body.indexOf('----');
      const sql = (separator >= 0 ? body.slice(0, separator) : body).join('\n');
      const expected = separator >= 0 ? body.slice(separator + 1) : [];
      const sort = (header[2] ?? 'nosort') as 'nosort' | 'rowsort' | 'valuesort';
      return { kind: 'query', line, types: header[1] ?? '', sort, ...(header[3] ? { label: header[3] } : {}), sql, expected };
    }
    case 'hash-threshold':
      return { kind: 'hashThreshold', line, value: Number(header[1]) };
    case 'halt':
      return { kind: 'halt', line };
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Running

export interface SltFailure {
  file: string;
  line: number;
  sql: string;
  problem: string;
}

export interface SltFileResult {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  failures: SltFailure[];
}

const emptyCatalog: Catalog = { getTable: () => undefined, tableNames: () => [] };

/**
 * `CREATE TABLE` in these files makes an ordinary table; ours are temporary tables (the data
 * folder's README says so). Everything else is sent as written.
 */
function adapt(sql: string): string {
  return sql.replace(/^\s*CREATE\s+TABLE\b/i, 'CREATE TEMP TABLE');
}

async function runStatement(sql: string, session: Session): Promise<SqlValue[][] | undefined> {
  const text = adapt(sql);
  const plan = planStatement(parse(text), text, emptyCatalog, undefined, session);
  if (plan.kind === 'write') {
    const result = await plan.execute({});
    if (result.lastInsertId !== undefined) session.lastInsertId = result.lastInsertId;
    return result.rows;
  }
  const rows: SqlValue[][] = [];
  for await (const row of plan.rows({})) rows.push(row);
  return rows;
}

/** Errors a statement may legitimately raise; anything else is an engine defect even where an error is expected. */
function isExpectedErrorClass(error: unknown): boolean {
  return error instanceof SqlError || error instanceof PartialWriteError;
}

export async function runSlt(file: string, text: string, options: { maxRecords?: number } = {}): Promise<SltFileResult> {
  const { records, skipped } = parseSlt(text);
  const result: SltFileResult = { file, passed: 0, failed: 0, skipped, failures: [] };
  const session = new Session();
  let hashThreshold = 0;
  let count = 0;
  /** A label's result hash: records sharing a label must agree (as the reference runner checks). */
  const labels = new Map<string, string>();
  const fail = (record: SltRecord & { sql: string }, problem: string): void => {
    result.failed++;
    result.failures.push({ file, line: record.line, sql: record.sql, problem });
  };
  for (const record of records) {
    if (record.kind === 'halt') break;
    if (record.kind === 'hashThreshold') {
      hashThreshold = record.value;
      continue;
    }
    if (options.maxRecords !== undefined && count >= options.maxRecords) break;
    count++;
    let rows: SqlValue[][] | undefined;
    let error: unknown;
    try {
      rows = await runStatement(record.sql, session);
    } catch (caught) {
      error = caught;
    }
    if (record.kind === 'statement') {
      if (error !== undefined && !isExpectedErrorClass(error)) fail(record, `internal error: ${describe(error)}`);
      else if (record.expectError && error === undefined) fail(record, 'expected an error, the statement succeeded');
      else if (!record.expectError && error !== undefined) fail(record, `failed: ${describe(error)}`);
      else result.passed++;
      continue;
    }
    if (error !== undefined) {
      fail(record, `${isExpectedErrorClass(error) ? 'failed' : 'internal error'}: ${describe(error)}`);
      continue;
    }
    const { problem, hash } = compareQuery(record, rows ?? [], hashThreshold);
    const labelled = record.label !== undefined ? labels.get(record.label) : undefined;
    if (record.label !== undefined && labelled === undefined && !problem) labels.set(record.label, hash);
    if (problem) fail(record, problem);
    else if (labelled !== undefined && labelled !== hash) fail(record, `result differs from earlier queries labelled ${record.label}`);
    else result.passed++;
  }
  return result;
}

function describe(error: unknown): string {
  if (error instanceof SqlError) return error.reason;
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0]}`;
  return String(error);
}

function compareQuery(record: Extract<SltRecord, { kind: 'query' }>, rows: SqlValue[][], hashThreshold: number): { problem?: string; hash: string } {
  const width = record.types.length;
  if (rows.length > 0 && rows[0]!.length !== width) return { problem: `expected ${width} columns, got ${rows[0]!.length}`, hash: '' };
  let formatted = rows.map((row) => row.map((value, i) => formatValue(value, record.types[i]!)));
  let values: string[];
  if (record.sort === 'rowsort') {
    formatted = formatted.sort(compareRows);
    values = formatted.flat();
  } else if (record.sort === 'valuesort') {
    values = formatted.flat().sort(compareStrings);
  } else {
    values = formatted.flat();
  }
  const hash = md5Values(values);
  const hashed = /^(\d+) values hashing to ([0-9a-f]{32})$/.exec(record.expected[0] ?? '');
  if (hashed) {
    if (Number(hashed[1]) !== values.length || hashed[2] !== hash) {
      return { problem: `expected ${hashed[1]} values hashing to ${hashed[2]}, got ${values.length} values hashing to ${hash}`, hash };
    }
    return { hash };
  }
  const expected = record.expected;
  if (expected.length !== values.length || expected.some((v, i) => v !== values[i])) {
    return { problem: `expected [${preview(expected)}], got [${preview(values)}]`, hash };
  }
  return { hash };
}

function preview(values: string[]): string {
  return values.length > 12 ? `${values.slice(0, 12).join(', ')}, … ${values.length} values` : values.join(', ');
}

function md5Values(values: string[]): string {
  const hash = createHash('md5');
  for (const value of values) hash.update(`${value}\n`);
  return hash.digest('hex');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRows(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareStrings(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** As sqllogictest's own runner prints a value for the column type it was told. */
export function formatValue(value: SqlValue, type: string): string {
  if (value === null || value === undefined) return 'NULL';
  switch (type) {
    case 'I':
      return formatInteger(value);
    case 'R':
      return formatReal(value);
    default:
      return formatText(value);
  }
}

function numeric(value: SqlValue): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  const match = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(String(value));
  return match ? Number(match[0]) : 0;
}

function formatInteger(value: SqlValue): string {
  const n = numeric(value);
  if (typeof n === 'bigint') return n.toString();
  return Number.isFinite(n) ? Math.trunc(n).toString() : String(n);
}

function formatReal(value: SqlValue): string {
  const n = Number(numeric(value));
  return n.toFixed(3);
}

function formatText(value: SqlValue): string {
  const text = value instanceof Date ? value.toISOString() : String(value);
  if (text === '') return '(empty)';
  return text.replace(/[^\x20-\x7e]/g, '@');
}

// ---------------------------------------------------------------------------------------------
// Files

/** Every `.test.gz` under the data folder, as paths relative to it, in a stable order. */
export function sltFiles(dir = DATA_DIR): string[] {
  const found: string[] = [];
  const visit = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (name.endsWith('.test.gz')) found.push(relative(dir, path));
    }
  };
  visit(dir);
  return found;
}

export function readSlt(file: string): string {
  return gunzipSync(readFileSync(join(DATA_DIR, file))).toString('utf8');
}
