// Tab completion at the prompt: SQL keywords, table names, and the columns of the tables the
// statement names (after `alias.`, only that table's). Candidates come from the connection's
// own description of its tables, so they are exactly what the connection exposes.

export interface CompletionSource {
  tableNames(): readonly string[];
  /** Column names of a table, or undefined when there is no such table. */
  columnNames(table: string): readonly string[] | undefined;
}

const KEYWORDS = [
  'SELECT', 'DISTINCT', 'FROM', 'WHERE', 'GROUP BY', 'HAVING', 'ORDER BY', 'LIMIT', 'OFFSET', 'AS', 'AND', 'OR', 'NOT',
  'IN', 'IS', 'NULL', 'LIKE', 'BETWEEN', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL',
  'OUTER', 'CROSS', 'ON', 'USING', 'UNION', 'INTERSECT', 'EXCEPT', 'ALL', 'WITH', 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST',
  'INSERT', 'INTO', 'VALUES', 'UPDATE', 'SET', 'DELETE', 'RETURNING', 'EXEC', 'EXECUTE', 'EXPLAIN', 'ANALYZE', 'CREATE',
  'TEMP', 'TABLE', 'DROP', 'IF', 'EXISTS', 'CAST', 'COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'COALESCE', 'TRUE', 'FALSE',
];

/** Words after which a table name comes. */
const BEFORE_TABLE = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', '\\D', '\\D+', '.COLUMNS']);

/**
 * Readline's completer: the candidates for the word before the cursor, and that word. `context`
 * is the statement typed so far on earlier lines, for the tables it names.
 */
export function complete(source: CompletionSource, line: string, context = ''): [string[], string] {
  const word = /[\w#$.\[\]]*$/.exec(line)?.[0] ?? '';
  const before = line.slice(0, line.length - word.length);
  const previous = /([\w\\.+]+)\s*$/.exec(before)?.[1]?.toUpperCase() ?? '';
  const dot = word.lastIndexOf('.');
  if (dot > 0) {
    // `c.Em` → the columns of the table `c` stands for.
    const qualifier = word.slice(0, dot);
    const table = tableFor(qualifier, `${context}\n${line}`, source);
    const columns = table ? (source.columnNames(table) ?? []) : [];
    const prefix = word.slice(dot + 1);
    return [matching(columns, prefix).map((c) => `${qualifier}.${c}`), word];
  }
  if (BEFORE_TABLE.has(previous)) return [matching(source.tableNames(), word), word];
  if (line.trimStart().startsWith('\\') && !before.trim()) return [[], word];
  const named = tablesNamed(`${context}\n${line}`, source);
  const columns = [...new Set(named.flatMap((t) => source.columnNames(t) ?? []))];
  const keywords = /^[a-z]/.test(word) ? KEYWORDS.map((k) => k.toLowerCase()) : KEYWORDS;
  return [matching([...keywords, ...columns, ...source.tableNames()], word), word];
}

function matching(candidates: readonly string[], prefix: string): string[] {
  const lower = prefix.toLowerCase();
  return [...new Set(candidates.filter((c) => c.toLowerCase().startsWith(lower)))].sort();
}

/** Tables the text names after FROM, JOIN, UPDATE or INTO, as the catalog spells them. */
function tablesNamed(text: string, source: CompletionSource): string[] {
  const byLower = new Map(source.tableNames().map((t) => [t.toLowerCase(), t]));
  const found: string[] = [];
  for (const match of text.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+\[?([\w#]+)/gi)) {
    const table = byLower.get(match[1]!.toLowerCase());
    if (table) found.push(table);
  }
  return found;
}

/** The table a qualifier stands for: a table name itself, or an alias given after one. */
function tableFor(qualifier: string, text: string, source: CompletionSource): string | undefined {
  const byLower = new Map(source.tableNames().map((t) => [t.toLowerCase(), t]));
  const direct = byLower.get(qualifier.toLowerCase());
  if (direct) return direct;
  for (const match of text.matchAll(/\b(?:FROM|JOIN|UPDATE)\s+\[?([\w#]+)\]?\s+(?:AS\s+)?(\w+)/gi)) {
    if (match[2]!.toLowerCase() === qualifier.toLowerCase()) return byLower.get(match[1]!.toLowerCase());
  }
  return undefined;
}
