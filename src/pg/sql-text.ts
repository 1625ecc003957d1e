// Just enough reading of SQL text for the server's own needs, before the connection parses
// anything: cut a Query message into statements (quotes, dollar quotes and comments kept
// whole) and read the words a statement starts with. The connection's parser does the rest.

export interface StatementText {
  /** The statement without its `;`, as written. */
  text: string;
  /** Where it starts in the query string (0-based, characters). */
  start: number;
}

/** The statements of a query string; empty ones (`;;`, only comments) are left out. */
export function splitStatements(sql: string): StatementText[] {
  const out: StatementText[] = [];
  let start = 0;
  let i = 0;
  let depth = 0;
  const push = (end: number) => {
    const text = sql.slice(start, end);
    if (!isBlank(text)) out.push({ text, start });
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === ';' && depth === 0) {
      push(i);
      start = i + 1;
      i++;
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth = Math.max(0, depth - 1);
      i++;
    } else {
      i = skipToken(sql, i);
    }
  }
  push(sql.length);
  return out;
}

/** The index after the quoted string, comment or single character at `i`. */
function skipToken(sql: string, i: number): number {
  const c = sql[i]!;
  const next = sql[i + 1];
  if (c === '-' && next === '-') {
    const end = sql.indexOf('\n', i);
    return end < 0 ? sql.length : end + 1;
  }
  if (c === '/' && next === '*') {
    let depth = 1;
    let j = i + 2;
    while (j < sql.length && depth > 0) {
      if (sql[j] === '/' && sql[j + 1] === '*') {
        depth++;
        j += 2;
      } else if (sql[j] === '*' && sql[j + 1] === '/') {
        depth--;
        j += 2;
      } else j++;
    }
    return j;
  }
  if (c === "'" || c === '"') {
    // E'…' strings take backslash escapes.
    const escapes = c === "'" && (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !/[\w$]/.test(sql[i - 2] ?? '');
    let j = i + 1;
    while (j < sql.length) {
      if (escapes && sql[j] === '\\') j += 2;
      else if (sql[j] === c) {
        if (sql[j + 1] === c) j += 2;
        else return j + 1;
      } else j++;
    }
    return j;
  }
  if (c === '$' && !/[\w$]/.test(sql[i - 1] ?? '')) {
    const tag = /^\$([A-Za-z_][\w]*)?\$/.exec(sql.slice(i));
    if (tag) {
      const end = sql.indexOf(tag[0], i + tag[0].length);
      return end < 0 ? sql.length : end + tag[0].length;
    }
  }
  return i + 1;
}

/** Only whitespace and comments. */
export function isBlank(text: string): boolean {
  return stripLeadingComments(text).length === 0;
}

/** The text without the whitespace and comments it starts with. */
export function stripLeadingComments(text: string): string {
  let rest = text;
  for (;;) {
    const trimmed = rest.replace(/^\s+/, '');
    if (trimmed.startsWith('--')) {
      const end = trimmed.indexOf('\n');
      rest = end < 0 ? '' : trimmed.slice(end + 1);
    } else if (trimmed.startsWith('/*')) {
      rest = trimmed.slice(skipToken(trimmed, 0));
    } else return trimmed;
  }
}

/** The first `count` words (letters, digits, _), upper-cased: `['BEGIN']`, `['SET', 'SESSION']`. */
export function leadingWords(text: string, count = 3): string[] {
  const words: string[] = [];
  const re = /[A-Za-z_][\w]*/y;
  let rest = stripLeadingComments(text);
  while (words.length < count) {
    re.lastIndex = 0;
    const m = re.exec(rest);
    if (!m) break;
    words.push(m[0].toUpperCase());
    rest = stripLeadingComments(rest.slice(m[0].length));
  }
  return words;
}

/** A name as written: `"Quoted"` keeps its case and quotes doubled inside; otherwise as is. */
export function unquoteIdentifier(name: string): string {
  const t = name.trim();
  if (t.startsWith('"') && t.endsWith('"') && t.length >= 2) return t.slice(1, -1).replace(/""/g, '"');
  return t;
}

/** `'text'` / `E'text'` → text; a bare word or number → itself. */
export function unquoteLiteral(value: string): string {
  const t = value.trim();
  const m = /^[Ee]?'([\s\S]*)'$/.exec(t);
  if (m) {
    const inner = m[1]!.replace(/''/g, "'");
    return /^[Ee]/.test(t) ? inner.replace(/\\(.)/g, '$1') : inner;
  }
  return unquoteIdentifier(t);
}

/** Splits on commas outside quotes and parentheses. */
export function splitTopLevel(text: string, separator = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
      i++;
      continue;
    } else if (c === "'" || c === '"' || c === '-' || c === '/' || c === '$') {
      i = skipToken(text, i);
      continue;
    }
    i++;
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** The index just after the parenthesis that closes the one at `open`, or -1. */
export function matchingParen(text: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === "'" || c === '"' || c === '-' || c === '/' || c === '$') {
      const next = skipToken(text, i);
      if (next > i + 1) {
        i = next;
        continue;
      }
    }
    i++;
  }
  return -1;
}

/** Where `keyword` (a whole word, any case) first appears outside parentheses, quotes and comments; -1 if nowhere. */
export function topLevelKeyword(text: string, keyword: string, from = 0): number {
  const word = new RegExp(`^${keyword}\\b`, 'i');
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === "'" || c === '"' || c === '-' || c === '/' || c === '$') {
      const next = skipToken(text, i);
      if (next > i + 1) {
        i = next;
        continue;
      }
    } else if (depth === 0 && /[A-Za-z]/.test(c) && !/[\w$]/.test(text[i - 1] ?? '') && word.test(text.slice(i, i + keyword.length + 1))) {
      return i;
    }
    i++;
  }
  return -1;
}

/**
 * `public.customers`, `"public"."Customers"`: the schema every table is in, blanked out (with
 * spaces, so positions in errors stay right). The connection knows no schemas; tools qualify
 * every name they generate.
 */
export function withoutPublicSchema(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const qualifier = /^(?:public|"public")\s*\.\s*(?=["A-Za-z_])/i.exec(sql.slice(i, i + 40));
    if (qualifier && !/[\w$."]/.test(sql[i - 1] ?? '')) {
      out += ' '.repeat(qualifier[0].length);
      i += qualifier[0].length;
      continue;
    }
    const next = c === "'" || c === '"' || c === '-' || c === '/' || c === '$' ? skipToken(sql, i) : i + 1;
    out += sql.slice(i, next);
    i = next;
  }
  return out;
}
