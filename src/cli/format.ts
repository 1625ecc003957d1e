// Result sets as text: an aligned table for people, JSON and CSV for programs.
import type { QueryResult, SqlValue } from '../connection.js';

export type OutputFormat = 'table' | 'json' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv'];

type Rows = QueryResult<SqlValue[]>;

export function formatResult(result: Rows, format: OutputFormat): string {
  // A write that returns rows (RETURNING, EXEC) prints them like a query.
  if (result.rowsAffected !== undefined && result.columns.length === 0) return formatWriteSummary(result, format);
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'csv':
      return formatCsv(result);
    case 'table':
      return formatTable(result);
  }
}

function formatWriteSummary(result: Rows, format: OutputFormat): string {
  const { rowsAffected, lastInsertId } = result;
  if (format === 'json') return JSON.stringify(lastInsertId === undefined ? { rowsAffected } : { rowsAffected, lastInsertId }) + '\n';
  if (format === 'csv') return `rowsAffected,lastInsertId\r\n${rowsAffected},${csvField(lastInsertId ?? null)}\r\n`;
  const rows = `${rowsAffected} row${rowsAffected === 1 ? '' : 's'} affected`;
  return lastInsertId === undefined ? `${rows}\n` : `${rows}; lastInsertId: ${lastInsertId}\n`;
}

/** An array of row objects; Datetime as ISO-8601 UTC text (Date.toJSON). */
function formatJson(result: Rows): string {
  const names = result.columns.map((c) => c.name);
  const objects = result.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i] ?? null])));
  return JSON.stringify(objects, null, 2) + '\n';
}

/** RFC 4180: CRLF line ends, fields quoted when they hold a quote, comma or line break; NULL is empty. */
function formatCsv(result: Rows): string {
  const lines = [result.columns.map((c) => csvField(c.name)).join(',')];
  for (const row of result.rows) lines.push(row.map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}

function csvField(value: SqlValue): string {
  const text = value === null ? '' : plainText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// Wide enough for any Stripe id (checkout session ids are 66 characters); JSON columns get cut.
const MAX_CELL_WIDTH = 80;

function formatTable(result: Rows): string {
  const header = result.columns.map((c) => c.name);
  const numeric = result.columns.map((c) => ['Integer', 'Long', 'Decimal', 'Double'].includes(c.type));
  const cells = result.rows.map((row) => row.map((v) => truncate(v === null ? 'NULL' : oneLine(plainText(v)))));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const pad = (text: string, i: number) => (numeric[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (parts: string[]) => parts.map(pad).join(' | ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line)];
  out.push(`(${result.rowCount} row${result.rowCount === 1 ? '' : 's'})`);
  return out.join('\n') + '\n';
}

function plainText(value: Exclude<SqlValue, null>): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, ' ');
}

function truncate(text: string): string {
  return text.length > MAX_CELL_WIDTH ? text.slice(0, MAX_CELL_WIDTH - 1) + '…' : text;
}
