import type { Position } from './ast.js';
import { SqlError } from './errors.js';

export type TokenKind =
  /** A bare name; `value` keeps the spelling as written. */
  | 'identifier'
  /** `[name]` or `"name"`; `value` is the name with its escapes undone. Never a keyword. */
  | 'quotedIdentifier'
  /** A reserved word written bare; `value` is upper-cased. */
  | 'keyword'
  /** `'text'`; `value` is the text with `''` undone. */
  | 'string'
  /** `value` is the source text; the parser turns it into a JS number. */
  | 'number'
  /** `?`; `value` is `?`. */
  | 'positionalParameter'
  /** `$n` (PostgreSQL); `value` is the number n as written, without the `$`. */
  | 'numberedParameter'
  /** `@name`; `value` is the name without the `@`. */
  | 'namedParameter'
  /** Operators and punctuation; `value` is canonical (`!=` becomes `<>`). */
  | 'symbol'
  /** Always the last token. */
  | 'end';

export interface Token {
  kind: TokenKind;
  value: string;
  /** Where the token starts. */
  pos: Position;
  /** Offset just past the token's last character. */
  end: number;
}

// Character codes, named so the scanner reads as what it matches.
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DOUBLE_QUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const PERCENT = 37;
const AMPERSAND = 38;
const SINGLE_QUOTE = 39;
const LEFT_PAREN = 40;
const RIGHT_PAREN = 41;
const STAR = 42;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const COLON = 58;
const SEMICOLON = 59;
const LESS = 60;
const EQUALS = 61;
const GREATER = 62;
const QUESTION = 63;
const AT = 64;
const UPPER_A = 65;
const UPPER_E = 69;
const UPPER_Z = 90;
const LEFT_BRACKET = 91;
const RIGHT_BRACKET = 93;
const UNDERSCORE = 95;
const LOWER_A = 97;
const LOWER_E = 101;
const LOWER_Z = 122;
const PIPE = 124;
const TILDE = 126;
const NO_BREAK_SPACE = 0xa0;
const BYTE_ORDER_MARK = 0xfeff;

const NON_ASCII_LETTER = /\p{L}/u;

/** The most parameters one statement can have: PostgreSQL's protocol counts them in 16 bits. */
const MAX_NUMBERED_PARAMETER = 65535;

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

function isIdentifierStart(code: number): boolean {
  return (
    (code >= UPPER_A && code <= UPPER_Z) ||
    (code >= LOWER_A && code <= LOWER_Z) ||
    code === UNDERSCORE ||
    (code >= 128 && NON_ASCII_LETTER.test(String.fromCharCode(code)))
  );
}

// `#` and `$` may follow the first character so that names like `LineItems#TEMP` stay whole.
function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || isDigit(code) || code === HASH || code === DOLLAR;
}

// Tab, line feed, vertical tab, form feed, carriage return.
function isWhitespace(code: number): boolean {
  return (
    code === SPACE || (code >= TAB && code <= CR) || code === NO_BREAK_SPACE || code === BYTE_ORDER_MARK
  );
}

/** Splits SQL text into tokens, ending with one `end` token. Throws SqlError on bad input. */
export function tokenize(sql: string): Token[] {
  return new Lexer(sql).run();
}

class Lexer {
  private readonly tokens: Token[] = [];
  private offset = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly sql: string) {}

  run(): Token[] {
    const sql = this.sql;
    while (true) {
      this.skipWhitespaceAndComments();
      if (this.offset >= sql.length) break;
      this.scanToken(sql.charCodeAt(this.offset));
    }
    this.tokens.push({ kind: 'end', value: '', pos: this.positionOf(sql.length), end: sql.length });
    return this.tokens;
  }

  private scanToken(code: number): void {
    const start = this.offset;
    if (isIdentifierStart(code)) return this.scanWord(start);
    // `#name` is a temporary table (SQL Server style).
    if (code === HASH && isIdentifierStart(this.codeAt(start + 1))) return this.scanWord(start);
    if (isDigit(code) || (code === DOT && isDigit(this.codeAt(start + 1)))) return this.scanNumber(start);
    switch (code) {
      case SINGLE_QUOTE:
        return this.scanString(start);
      case DOUBLE_QUOTE:
        return this.scanQuotedIdentifier(start, DOUBLE_QUOTE, 'Unterminated quoted identifier');
      case LEFT_BRACKET:
        // Right after a name, `)` or `]` (no space between): PostgreSQL's subscript, `indkey[0]`,
        // `(current_schemas(true))[1]`, `ARRAY[1, 2]`. Anywhere else: SQL Server's `[name]`.
        if (start > 0 && (isIdentifierPart(this.codeAt(start - 1)) || this.codeAt(start - 1) === RIGHT_PAREN || this.codeAt(start - 1) === RIGHT_BRACKET)) {
          return this.push('symbol', '[', start, start + 1);
        }
        return this.scanQuotedIdentifier(start, RIGHT_BRACKET, 'Unterminated bracketed identifier');
      case RIGHT_BRACKET:
      case AMPERSAND:
        return this.push('symbol', String.fromCharCode(code), start, start + 1);
      case QUESTION:
        return this.push('positionalParameter', '?', start, start + 1);
      case AT:
        // jsonb containment `a @> b`; otherwise a named parameter (@name).
        if (this.codeAt(start + 1) === GREATER) return this.push('symbol', '@>', start, start + 2);
        return this.scanNamedParameter(start);
      case DOLLAR:
        if (isDigit(this.codeAt(start + 1))) return this.scanNumberedParameter(start);
        break;
      case LESS: {
        const next = this.codeAt(start + 1);
        if (next === GREATER) return this.push('symbol', '<>', start, start + 2);
        if (next === EQUALS) return this.push('symbol', '<=', start, start + 2);
        // jsonb `a <@ b`, unless a name follows: `Amount <@max` compares with parameter @max.
        if (next === AT && !isIdentifierStart(this.codeAt(start + 2))) return this.push('symbol', '<@', start, start + 2);
        return this.push('symbol', '<', start, start + 1);
      }
      case GREATER:
        if (this.codeAt(start + 1) === EQUALS) return this.push('symbol', '>=', start, start + 2);
        return this.push('symbol', '>', start, start + 1);
      case BANG:
        if (this.codeAt(start + 1) === EQUALS) return this.push('symbol', '<>', start, start + 2);
        if (this.codeAt(start + 1) === TILDE) return this.scanRegexOperator(start, '!~');
        break;
      // PostgreSQL's regular-expression match: ~ ~* !~ !~*.
      case TILDE:
        return this.scanRegexOperator(start, '~');
      case PIPE:
        if (this.codeAt(start + 1) === PIPE) return this.push('symbol', '||', start, start + 2);
        return this.push('symbol', '|', start, start + 1);
      // PostgreSQL: `x::type`, and the JSON operators -> ->> #> #>>.
      case COLON:
        if (this.codeAt(start + 1) === COLON) return this.push('symbol', '::', start, start + 2);
        break;
      case MINUS:
      case HASH:
        if (this.codeAt(start + 1) === GREATER) {
          const text = this.codeAt(start + 2) === GREATER ? `${String.fromCharCode(code)}>>` : `${String.fromCharCode(code)}>`;
          return this.push('symbol', text, start, start + text.length);
        }
        if (code === MINUS) return this.push('symbol', '-', start, start + 1);
        break;
      case EQUALS:
      case LEFT_PAREN:
      case RIGHT_PAREN:
      case COMMA:
      case SEMICOLON:
      case DOT:
      case STAR:
      case PLUS:
      case SLASH:
      case PERCENT:
        return this.push('symbol', String.fromCharCode(code), start, start + 1);
    }
    if (code === 0x60) throw this.error('Unexpected character ` (a MySQL quote); quote names with double quotes: "Name"', start);
    throw this.error(`Unexpected character ${describeCharacter(this.sql.codePointAt(start) ?? code)}`, start);
  }

  private scanRegexOperator(start: number, text: '~' | '!~'): void {
    const end = start + text.length;
    if (this.codeAt(end) === STAR) return this.push('symbol', `${text}*`, start, end + 1);
    return this.push('symbol', text, start, end);
  }

  private scanWord(start: number): void {
    let i = start + 1;
    // `#` continues a name (Orders#TEMP) unless it starts PostgreSQL's #> / #>> (meta#>'{a}').
    while (i < this.sql.length && isIdentifierPart(this.sql.charCodeAt(i)) && !(this.sql.charCodeAt(i) === HASH && this.codeAt(i + 1) === GREATER)) i++;
    const word = this.sql.slice(start, i);
    const upper = word.toUpperCase();
    if (isReservedWord(upper)) this.push('keyword', upper, start, i);
    else this.push('identifier', word, start, i);
  }

  // Accepts 12, 12.5, 12., .5, 1e3, 1.5E-3.
  private scanNumber(start: number): void {
    const sql = this.sql;
    let i = start;
    while (isDigit(this.codeAt(i))) i++;
    if (this.codeAt(i) === DOT) {
      i++;
      while (isDigit(this.codeAt(i))) i++;
    }
    const e = this.codeAt(i);
    if (e === LOWER_E || e === UPPER_E) {
      let j = i + 1;
      const sign = this.codeAt(j);
      if (sign === PLUS || sign === MINUS) j++;
      if (!isDigit(this.codeAt(j))) throw this.error(`Invalid number '${sql.slice(start, j)}': expected digits in the exponent`, start);
      while (isDigit(this.codeAt(j))) j++;
      i = j;
    }
    // `12abc` is almost always a typo; reading it as `12 AS abc` would hide it.
    if (isIdentifierPart(this.codeAt(i)) || this.codeAt(i) === DOT) {
      let j = i;
      while (isIdentifierPart(this.codeAt(j)) || this.codeAt(j) === DOT) j++;
      throw this.error(`Invalid number '${sql.slice(start, j)}'`, start);
    }
    const text = sql.slice(start, i);
    if (!Number.isFinite(Number(text))) throw this.error(`Number out of range '${text}'`, start);
    this.push('number', text, start, i);
  }

  private scanString(start: number): void {
    const sql = this.sql;
    let value = '';
    let chunkStart = start + 1;
    let i = start + 1;
    while (true) {
      const quote = sql.indexOf("'", i);
      if (quote < 0) throw this.error('Unterminated string literal', start);
      if (sql.charCodeAt(quote + 1) === SINGLE_QUOTE) {
        value += sql.slice(chunkStart, quote + 1);
        i = quote + 2;
        chunkStart = i;
        continue;
      }
      value += sql.slice(chunkStart, quote);
      this.push('string', value, start, quote + 1);
      this.advanceLinesTo(start, quote + 1);
      return;
    }
  }

  private scanQuotedIdentifier(start: number, closeCode: number, unterminated: string): void {
    const sql = this.sql;
    const close = String.fromCharCode(closeCode);
    let value = '';
    let chunkStart = start + 1;
    let i = start + 1;
    while (true) {
      const at = sql.indexOf(close, i);
      if (at < 0) throw this.error(unterminated, start);
      if (sql.charCodeAt(at + 1) === closeCode) {
        value += sql.slice(chunkStart, at + 1);
        i = at + 2;
        chunkStart = i;
        continue;
      }
      value += sql.slice(chunkStart, at);
      if (value.length === 0) throw this.error('Empty quoted identifier', start);
      this.push('quotedIdentifier', value, start, at + 1);
      this.advanceLinesTo(start, at + 1);
      return;
    }
  }

  private scanNamedParameter(start: number): void {
    let i = start + 1;
    if (!isIdentifierStart(this.codeAt(i))) throw this.error("Expected a parameter name after '@'", start);
    while (isIdentifierPart(this.codeAt(i))) i++;
    this.push('namedParameter', this.sql.slice(start + 1, i), start, i);
  }

  // `$1`, `$2`, …: PostgreSQL's placeholders, numbered from 1.
  private scanNumberedParameter(start: number): void {
    let i = start + 1;
    while (isDigit(this.codeAt(i))) i++;
    if (isIdentifierPart(this.codeAt(i))) {
      let j = i;
      while (isIdentifierPart(this.codeAt(j))) j++;
      throw this.error(`Invalid parameter '${this.sql.slice(start, j)}': write $ and a number, such as $1`, start);
    }
    const digits = this.sql.slice(start + 1, i);
    const number = Number(digits);
    if (number < 1 || number > MAX_NUMBERED_PARAMETER) {
      throw this.error(`Parameter $${digits} is out of range: parameters are numbered $1 to $${MAX_NUMBERED_PARAMETER}`, start);
    }
    this.push('numberedParameter', String(number), start, i);
  }

  private skipWhitespaceAndComments(): void {
    const sql = this.sql;
    while (this.offset < sql.length) {
      const code = sql.charCodeAt(this.offset);
      if (code === LF) {
        this.offset++;
        this.line++;
        this.lineStart = this.offset;
      } else if (isWhitespace(code)) {
        this.offset++;
      } else if (code === MINUS && this.codeAt(this.offset + 1) === MINUS) {
        const newline = sql.indexOf('\n', this.offset);
        this.offset = newline < 0 ? sql.length : newline;
      } else if (code === SLASH && this.codeAt(this.offset + 1) === STAR) {
        const close = sql.indexOf('*/', this.offset + 2);
        if (close < 0) throw this.error('Unterminated block comment', this.offset);
        this.advanceLinesTo(this.offset, close + 2);
      } else {
        return;
      }
    }
  }

  /** Moves past a token or comment that may span lines, keeping line numbers right. */
  private advanceLinesTo(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      if (this.sql.charCodeAt(i) === LF) {
        this.line++;
        this.lineStart = i + 1;
      }
    }
    this.offset = to;
  }

  private push(kind: TokenKind, value: string, start: number, end: number): void {
    this.tokens.push({ kind, value, pos: this.positionOf(start), end });
    this.offset = end;
  }

  // Valid for offsets on the current line, which is where every token starts.
  private positionOf(offset: number): Position {
    return { offset, line: this.line, column: offset - this.lineStart + 1 };
  }

  private codeAt(offset: number): number {
    return offset < this.sql.length ? this.sql.charCodeAt(offset) : -1;
  }

  private error(reason: string, offset: number): SqlError {
    return new SqlError(reason, this.sql, this.positionOf(offset));
  }
}

function describeCharacter(codePoint: number): string {
  if (codePoint < SPACE || (codePoint >= 0x7f && codePoint <= 0x9f)) {
    return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${String.fromCodePoint(codePoint)}'`;
}

/**
 * Words that are never read as bare names. Besides the words this release uses, the list holds
 * the SQL-92 words the next releases need (joins, GROUP BY, UNION, CASE, CAST, windows), so
 * adding those constructs cannot change what an existing query means: `FROM t JOIN u` must
 * never have read `JOIN` as an alias. Quote a reserved word (`[Order]`, `"Order"`) to use it as
 * a name. Words that only matter in one spot (NULLS, FIRST, LAST, PARTITION, ROWS) stay
 * unreserved and are matched by the parser where they can appear.
 */
const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'ALL', 'AND', 'ANY', 'AS', 'ASC', 'BETWEEN', 'BY', 'CASE', 'CAST', 'CREATE', 'CROSS', 'DELETE',
  'DESC', 'DISTINCT', 'DROP', 'ELSE', 'END', 'ESCAPE', 'EXCEPT', 'EXISTS', 'FALSE', 'FETCH',
  'FOR', 'FROM', 'FULL', 'GROUP', 'HAVING', 'IN', 'INNER', 'INSERT', 'INTERSECT', 'INTO', 'IS',
  'JOIN', 'LEFT', 'LIKE', 'LIMIT', 'NATURAL', 'NOT', 'NULL', 'OFFSET', 'ON', 'OR', 'ORDER',
  'OUTER', 'OVER', 'RETURNING', 'RIGHT', 'SELECT', 'SET', 'SOME', 'TABLE', 'THEN', 'TRUE', 'UNION', 'UPDATE',
  'USING', 'VALUES', 'WHEN', 'WHERE', 'WITH',
]);

/** Whether an upper-cased word is reserved (see RESERVED_WORDS). */
export function isReservedWord(upperCaseWord: string): boolean {
  return RESERVED_WORDS.has(upperCaseWord);
}
