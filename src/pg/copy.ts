// COPY … TO STDOUT, which psql's \copy sends: `COPY (SELECT …) TO STDOUT [WITH] (FORMAT csv,
// HEADER, …)`, the old spelling `… TO STDOUT CSV HEADER DELIMITER ','`, or `COPY table
// [(columns)] TO STDOUT`. The query inside runs as any statement; this file reads the options
// and writes each row the way PostgreSQL's COPY does (text: tab-separated with \N and
// backslash escapes; csv: RFC 4180 quoting, NULL unquoted and empty).
import { PgError } from './errors.js';
import { matchingParen, splitTopLevel, stripLeadingComments, unquoteLiteral } from './sql-text.js';

export interface CopyOptions {
  format: 'text' | 'csv';
  header: boolean;
  delimiter: string;
  null: string;
  quote: string;
  escape: string;
  /** Every non-NULL value quoted (FORCE_QUOTE *). */
  forceQuote: boolean;
}

export interface CopyCommand {
  /** The SELECT to run. */
  query: string;
  /** Where the query starts in the COPY statement (for error positions). */
  queryStart: number;
  options: CopyOptions;
}

/** Reads a COPY statement; undefined if `sql` is not one. Throws PgError for COPY forms not served. */
export function parseCopy(sql: string): CopyCommand | undefined {
  const leading = sql.length - stripLeadingComments(sql).length;
  const body = sql.slice(leading);
  const head = /^COPY\s*/i.exec(body);
  if (!head) return undefined;
  let at = leading + head[0].length;
  let query: string;
  let queryStart: number;
  if (sql[at] === '(') {
    const end = matchingParen(sql, at);
    if (end < 0) throw new PgError('42601', 'syntax error in COPY: unbalanced parentheses', { position: at + 1 });
    queryStart = at + 1;
    query = sql.slice(at + 1, end - 1);
    at = end;
  } else {
    const table = /^((?:"[^"]*"|[\w#.$]+))\s*(\(([^)]*)\))?/.exec(sql.slice(at));
    if (!table) throw new PgError('42601', 'syntax error in COPY: expected a table name or (query)', { position: at + 1 });
    const columns = table[3] !== undefined ? splitTopLevel(table[3]).join(', ') : '*';
    query = `SELECT ${columns} FROM ${table[1]}`;
    queryStart = at;
    at += table[0].length;
  }
  const rest = sql.slice(at).trim();
  const direction = /^(TO|FROM)\s+(\S+)\s*/i.exec(rest);
  if (!direction) throw new PgError('42601', 'syntax error in COPY: expected TO STDOUT', { position: at + 1 });
  if (direction[1]!.toUpperCase() === 'FROM') {
    throw new PgError('0A000', 'COPY FROM is not supported: write rows with INSERT (temporary tables take INSERT … VALUES)');
  }
  if (direction[2]!.toUpperCase() !== 'STDOUT') {
    throw new PgError('0A000', 'COPY TO a file is not supported: use COPY … TO STDOUT, or psql\'s \\copy');
  }
  return { query, queryStart, options: parseOptions(rest.slice(direction[0].length)) };
}

function parseOptions(text: string): CopyOptions {
  const options: CopyOptions = { format: 'text', header: false, delimiter: '\t', null: '\\N', quote: '"', escape: '"', forceQuote: false };
  let rest = text.trim().replace(/^WITH\b\s*/i, '');
  const pairs: [string, string | undefined][] = [];
  if (rest.startsWith('(')) {
    const end = matchingParen(rest, 0);
    for (const item of splitTopLevel(rest.slice(1, end - 1))) {
      const m = /^(\w+)(?:\s+([\s\S]+))?$/.exec(item);
      if (m) pairs.push([m[1]!.toUpperCase(), m[2]]);
    }
    rest = rest.slice(end).trim();
  }
  // The old spelling: CSV HEADER DELIMITER [AS] ',' NULL [AS] '' QUOTE [AS] '"' FORCE QUOTE *.
  const legacy = /\s*(BINARY|CSV|HEADER|DELIMITER|NULL|QUOTE|ESCAPE|FORCE\s+QUOTE)(?:\s+(?:AS\s+)?('(?:[^']|'')*'|\*|\w+))?/iy;
  while (rest.length > 0) {
    legacy.lastIndex = 0;
    const m = legacy.exec(rest);
    if (!m) throw new PgError('42601', `syntax error in COPY options at "${rest.slice(0, 20)}"`);
    const key = m[1]!.toUpperCase().replace(/\s+/g, '_');
    if (key === 'CSV' || key === 'BINARY') {
      pairs.push(['FORMAT', key]);
      if (m[2] !== undefined) rest = `${m[2]} ${rest.slice(m[0].length)}`.trim();
      else rest = rest.slice(m[0].length).trim();
      continue;
    }
    if (key === 'HEADER' && m[2] !== undefined && !/^(true|false|on|off|0|1)$/i.test(m[2])) {
      pairs.push(['HEADER', undefined]);
      rest = `${m[2]} ${rest.slice(m[0].length)}`.trim();
      continue;
    }
    pairs.push([key, m[2]]);
    rest = rest.slice(m[0].length).trim();
  }
  for (const [key, raw] of pairs) {
    const value = raw === undefined ? undefined : unquoteLiteral(raw);
    switch (key) {
      case 'FORMAT': {
        const format = (value ?? '').toLowerCase();
        if (format === 'binary') throw new PgError('0A000', 'COPY in binary format is not supported: use text or csv');
        if (format !== 'text' && format !== 'csv') throw new PgError('22023', `COPY format "${value}" not recognized`);
        options.format = format;
        if (format === 'csv') {
          if (!pairs.some(([k]) => k === 'DELIMITER')) options.delimiter = ',';
          if (!pairs.some(([k]) => k === 'NULL')) options.null = '';
        }
        break;
      }
      case 'HEADER':
        options.header = value === undefined || /^(true|on|1)$/i.test(value);
        break;
      case 'DELIMITER':
        options.delimiter = value ?? options.delimiter;
        break;
      case 'NULL':
        options.null = value ?? options.null;
        break;
      case 'QUOTE':
        options.quote = value ?? options.quote;
        break;
      case 'ESCAPE':
        options.escape = value ?? options.escape;
        break;
      case 'FORCE_QUOTE':
        options.forceQuote = true;
        break;
      case 'ENCODING':
        if (value !== undefined && !/^utf-?8$/i.test(value)) throw new PgError('0A000', 'COPY writes UTF8 only');
        break;
      default:
        throw new PgError('42601', `option "${key.toLowerCase()}" not recognized`);
    }
  }
  if (options.delimiter.length !== 1) throw new PgError('0A000', 'COPY delimiter must be a single one-byte character');
  return options;
}

/** One line of COPY output (with its newline); values already as text, null for NULL. */
export function copyLine(values: readonly (string | null)[], options: CopyOptions): string {
  const cells = values.map((v) => (options.format === 'csv' ? csvCell(v, options) : textCell(v, options)));
  return `${cells.join(options.delimiter)}\n`;
}

function textCell(value: string | null, options: CopyOptions): string {
  if (value === null) return options.null;
  let out = '';
  for (const c of value) {
    if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === options.delimiter) out += `\\${c}`;
    else out += c;
  }
  return out;
}

function csvCell(value: string | null, options: CopyOptions): string {
  if (value === null) return options.null;
  const { quote, escape, delimiter } = options;
  const needs =
    options.forceQuote ||
    value === options.null ||
    value.includes(delimiter) ||
    value.includes(quote) ||
    value.includes('\n') ||
    value.includes('\r') ||
    value === '\\.';
  if (!needs) return value;
  let out = '';
  for (const c of value) out += c === quote || c === escape ? `${escape}${c}` : c;
  return `${quote}${out}${quote}`;
}
