// Result sets as text, one statement at a time: an aligned table or Markdown for people; CSV,
// TSV, JSON and NDJSON for programs. CSV, TSV, JSON and NDJSON hand out each row's text as it
// arrives, so a long scan streams; the table and Markdown need every row to align the columns.
import type { ResultColumn, SqlValue } from '../connection.js';
import { formatDate } from '../engine/values.js';
import { Numeric } from '../engine/numeric.js';

export type OutputFormat = 'table' | 'csv' | 'tsv' | 'json' | 'ndjson' | 'markdown';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'csv', 'tsv', 'json', 'ndjson', 'markdown'];

/** A result column as the formats read it; `json`: its values are JSON text, printed nested in JSON output. */
export type FormatColumn = Pick<ResultColumn, 'name' | 'type'> & { json?: boolean };

/** How a statement ended: rows it returned and, for a write, what it changed. */
export interface StatementOutcome {
  rowCount: number;
  rowsAffected?: number;
  lastInsertId?: string;
}

/** One statement's result as text, piece by piece: begin, each row, end. */
export interface ResultFormatter {
  begin(columns: readonly FormatColumn[]): string;
  row(values: readonly SqlValue[]): string;
  end(outcome: StatementOutcome): string;
}

/** How the table format lays rows out (the prompt's \x and \pset null). */
export interface TableDisplay {
  /** One block per row, a line per column; 'auto': when the table is wider than `width`. */
  expanded?: 'off' | 'on' | 'auto';
  /** The terminal's width, for 'auto'. */
  width?: number;
  /** Cut the widest cells (with …) so that the table fits `width`: a terminal with no pager. Otherwise nothing is cut. */
  fit?: boolean;
  /** How NULL is shown (default `NULL`). */
  nullText?: string;
}

/**
 * `index` is the statement's place in the run (0 = first). The text formats put a blank line
 * between statements. JSON prints one document per statement on one line (an array of row
 * objects, or `{"rowsAffected":…}` for a write that returns no rows), so a script's output
 * is read line by line; NDJSON prints one line per row (and per row-less write).
 */
export function createFormatter(format: OutputFormat, index = 0, display: TableDisplay = {}): ResultFormatter {
  switch (format) {
    case 'json':
      return new JsonFormatter();
    case 'ndjson':
      return new NdjsonFormatter();
    case 'csv':
      return new DelimitedFormatter(index, csvField, ',', '\r\n');
    case 'tsv':
      return new DelimitedFormatter(index, tsvField, '\t', '\n');
    case 'table':
      return new BufferedFormatter(index, (columns, rows, outcome) => formatTable(columns, rows, outcome, display));
    case 'markdown':
      return new BufferedFormatter(index, formatMarkdown);
  }
}

/** Formats that print nothing until the last row (so a status line cannot garble rows on a terminal). */
export function holdsRows(format: OutputFormat): boolean {
  return format === 'table' || format === 'markdown';
}

/** A whole result at once (the prompt, tests). */
export function formatResult(
  result: { columns: readonly FormatColumn[]; rows: readonly (readonly SqlValue[])[] } & StatementOutcome,
  format: OutputFormat,
  index = 0,
  display: TableDisplay = {},
): string {
  const formatter = createFormatter(format, index, display);
  let text = formatter.begin(result.columns);
  for (const row of result.rows) text += formatter.row(row);
  return text + formatter.end(result);
}

/** A write that returns no rows prints what it changed instead of a result set. */
function isWriteSummary(columns: readonly FormatColumn[], outcome: StatementOutcome): outcome is StatementOutcome & { rowsAffected: number } {
  return outcome.rowsAffected !== undefined && columns.length === 0;
}

function summaryObject(outcome: StatementOutcome & { rowsAffected: number }): Record<string, SqlValue> {
  const { rowsAffected, lastInsertId } = outcome;
  return lastInsertId === undefined ? { rowsAffected } : { rowsAffected, lastInsertId };
}

class JsonFormatter implements ResultFormatter {
  #columns: readonly FormatColumn[] = [];
  #rows = 0;

  begin(columns: readonly FormatColumn[]): string {
    this.#columns = columns;
    return '';
  }

  row(values: readonly SqlValue[]): string {
    return (this.#rows++ === 0 ? '[' : ',') + rowJson(this.#columns, values);
  }

  end(outcome: StatementOutcome): string {
    if (isWriteSummary(this.#columns, outcome)) return JSON.stringify(summaryObject(outcome)) + '\n';
    return this.#rows === 0 ? '[]\n' : ']\n';
  }
}

class NdjsonFormatter implements ResultFormatter {
  #columns: readonly FormatColumn[] = [];

  begin(columns: readonly FormatColumn[]): string {
    this.#columns = columns;
    return '';
  }

  row(values: readonly SqlValue[]): string {
    return rowJson(this.#columns, values) + '\n';
  }

  end(outcome: StatementOutcome): string {
    return isWriteSummary(this.#columns, outcome) ? JSON.stringify(summaryObject(outcome)) + '\n' : '';
  }
}

/**
 * A row object; Datetime as ISO-8601 UTC (Date.toJSON), Date as `2024-03-01`, NULL as null, JSON
 * columns nested. Exact numbers (a Decimal, a Long past 2^53) are JSON numbers with every digit,
 * as PostgreSQL's row_to_json writes numeric: JSON.stringify would quote one and refuse the other.
 * NaN and ±Infinity (numeric or double) are quoted.
 */
function rowJson(columns: readonly FormatColumn[], values: readonly SqlValue[]): string {
  const members: string[] = [];
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    const value = values[i] ?? null;
    const plain = column.json && typeof value === 'string' ? parseJsonText(value) : column.type === 'Date' && value instanceof Date ? formatDate(value) : value;
    // NaN and ±Infinity are no JSON numbers: quoted, as row_to_json writes them.
    const special = (value instanceof Numeric && !value.isFinite) || (typeof value === 'number' && !Number.isFinite(value));
    const json = special ? JSON.stringify(String(value)) : typeof value === 'bigint' || value instanceof Numeric ? String(value) : JSON.stringify(plain);
    members.push(`${JSON.stringify(column.name)}:${json}`);
  }
  return `{${members.join(',')}}`;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

class DelimitedFormatter implements ResultFormatter {
  #columns: readonly FormatColumn[] = [];

  constructor(
    private readonly index: number,
    private readonly field: (value: SqlValue, type?: string) => string,
    private readonly separator: string,
    private readonly newline: string,
  ) {}

  begin(columns: readonly FormatColumn[]): string {
    this.#columns = columns;
    const gap = this.index > 0 ? this.newline : '';
    return columns.length === 0 ? gap : gap + this.line(columns.map((c) => c.name));
  }

  row(values: readonly SqlValue[]): string {
    return this.line(values);
  }

  end(outcome: StatementOutcome): string {
    if (!isWriteSummary(this.#columns, outcome)) return '';
    const summary = summaryObject(outcome);
    return this.line(Object.keys(summary)) + this.line(Object.values(summary));
  }

  private line(values: readonly SqlValue[]): string {
    return values.map((v, i) => this.field(v, this.#columns[i]?.type)).join(this.separator) + this.newline;
  }
}

/** RFC 4180: fields quoted when they hold a quote, comma or line break; NULL is empty. */
function csvField(value: SqlValue, type?: string): string {
  const text = value === null ? '' : plainText(value, type);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Tab-separated, as PostgreSQL's text COPY escapes it: `\t`, `\n`, `\r` and `\\`; NULL is empty. */
function tsvField(value: SqlValue, type?: string): string {
  const text = value === null ? '' : plainText(value, type);
  return text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}

type Layout = (columns: readonly FormatColumn[], rows: readonly (readonly SqlValue[])[], outcome: StatementOutcome) => string;

/** Holds the rows until the end, where the layout can see every width. */
class BufferedFormatter implements ResultFormatter {
  #columns: readonly FormatColumn[] = [];
  readonly #rows: (readonly SqlValue[])[] = [];

  constructor(
    private readonly index: number,
    private readonly layout: Layout,
  ) {}

  begin(columns: readonly FormatColumn[]): string {
    this.#columns = columns;
    return this.index > 0 ? '\n' : '';
  }

  row(values: readonly SqlValue[]): string {
    this.#rows.push(values);
    return '';
  }

  end(outcome: StatementOutcome): string {
    return this.layout(this.#columns, this.#rows, outcome);
  }
}

/** A column fitted to the terminal keeps at least this many characters. */
const MIN_FITTED_WIDTH = 8;
const NUMERIC_TYPES: ReadonlySet<string> = new Set(['Integer', 'Long', 'Decimal', 'Double']);

function formatTable(
  columns: readonly FormatColumn[],
  rows: readonly (readonly SqlValue[])[],
  outcome: StatementOutcome,
  display: TableDisplay = {},
): string {
  if (isWriteSummary(columns, outcome)) {
    const { rowsAffected, lastInsertId } = outcome;
    const affected = `${rowsAffected} row${rowsAffected === 1 ? '' : 's'} affected`;
    return lastInsertId === undefined ? `${affected}\n` : `${affected}; lastInsertId: ${lastInsertId}\n`;
  }
  const nullText = display.nullText ?? 'NULL';
  let header = columns.map((c) => c.name);
  const numeric = columns.map((c) => NUMERIC_TYPES.has(c.type));
  let cells = rows.map((row) => header.map((_, i) => (row[i] === null || row[i] === undefined ? nullText : oneLine(plainText(row[i]!, columns[i]?.type)))));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const tableWidth = widths.reduce((sum, w) => sum + w, 0) + 3 * Math.max(0, widths.length - 1);
  const footer = `(${outcome.rowCount} row${outcome.rowCount === 1 ? '' : 's'})`;
  const expanded = display.expanded === 'on' || (display.expanded === 'auto' && display.width !== undefined && tableWidth > display.width);
  if (expanded) {
    const nameWidth = Math.max(0, ...header.map((h) => h.length));
    const valueWidth = display.fit && display.width !== undefined ? Math.max(MIN_FITTED_WIDTH, display.width - nameWidth - 3) : Infinity;
    return formatExpanded(header, cells.map((r) => r.map((c) => cut(c, valueWidth))), footer);
  }
  if (display.fit && display.width !== undefined && tableWidth > display.width) {
    shrinkToFit(widths, display.width);
    header = header.map((h, i) => cut(h, widths[i]!));
    cells = cells.map((r) => r.map((c, i) => cut(c, widths[i]!)));
  }
  const pad = (text: string, i: number) => (numeric[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (parts: string[]) => parts.map(pad).join(' | ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line)];
  out.push(footer);
  return out.join('\n') + '\n';
}

/** psql's expanded display: a `-[ RECORD n ]-+---` rule, then `column | value`, one line each. */
function formatExpanded(header: readonly string[], cells: readonly string[][], footer: string): string {
  if (cells.length === 0) return '(0 rows)\n';
  const nameWidth = Math.max(...header.map((h) => h.length));
  const valueWidth = Math.max(0, ...cells.flat().map((c) => c.length));
  const out: string[] = [];
  cells.forEach((row, r) => {
    out.push(`${`-[ RECORD ${r + 1} ]`.padEnd(nameWidth + 1, '-')}+${'-'.repeat(valueWidth + 1)}`);
    header.forEach((name, i) => out.push(`${name.padEnd(nameWidth)} | ${row[i]}`.trimEnd()));
  });
  out.push(footer);
  return out.join('\n') + '\n';
}

/** A GitHub-flavoured Markdown table; `|` escaped, line breaks as spaces, NULL empty, numbers right-aligned. */
function formatMarkdown(columns: readonly FormatColumn[], rows: readonly (readonly SqlValue[])[], outcome: StatementOutcome): string {
  if (isWriteSummary(columns, outcome)) {
    const summary = summaryObject(outcome);
    return formatMarkdown(
      Object.keys(summary).map((name) => ({ name, type: name === 'rowsAffected' ? 'Integer' : 'String' })),
      [Object.values(summary)],
      { rowCount: 1 },
    );
  }
  const cell = (value: SqlValue | undefined, type?: string) => (value === null || value === undefined ? '' : oneLine(plainText(value, type)).replace(/\|/g, '\\|'));
  const header = columns.map((c) => cell(c.name));
  const cells = rows.map((row) => columns.map((c, i) => cell(row[i], c.type)));
  const widths = header.map((h, i) => Math.max(3, h.length, ...cells.map((r) => r[i]!.length)));
  const numeric = columns.map((c) => NUMERIC_TYPES.has(c.type));
  const pad = (text: string, i: number) => (numeric[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (parts: string[]) => `| ${parts.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...cells.map(line)].join('\n') + '\n';
}

/** A cell's text: a Datetime as ISO-8601 UTC, a Date (by its column's type) as `2024-03-01`. */
function plainText(value: Exclude<SqlValue, null>, type?: string): string {
  if (value instanceof Date) return type === 'Date' ? formatDate(value) : value.toISOString();
  return String(value);
}

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, ' ');
}

function cut(text: string, width: number): string {
  return text.length > width ? text.slice(0, Math.max(0, width - 1)) + '…' : text;
}

/** Narrows the widest columns, one character at a time, until the table fits (or none can give more). */
function shrinkToFit(widths: number[], width: number): void {
  const total = () => widths.reduce((sum, w) => sum + w, 0) + 3 * Math.max(0, widths.length - 1);
  while (total() > width) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i]! > MIN_FITTED_WIDTH && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) return;
    widths[widest]!--;
  }
}
