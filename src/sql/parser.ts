import type {
  BinaryOperator,
  ExprNode,
  InsertNode,
  OrderByItemNode,
  Position,
  SelectItemNode,
  SelectNode,
  StatementNode,
  TableRefNode,
} from './ast.js';
import { SqlError } from './errors.js';
import { tokenize, type Token } from './lexer.js';

/** Parses exactly one statement; a trailing `;` is allowed. */
export function parse(sql: string): StatementNode {
  const parser = new Parser(sql);
  const statement = parser.parseStatement();
  parser.acceptSymbol(';');
  parser.expectEnd();
  return statement;
}

/** Parses statements separated by `;`. Empty statements (`;;`) are skipped. */
export function parseScript(sql: string): StatementNode[] {
  const parser = new Parser(sql);
  const statements: StatementNode[] = [];
  while (true) {
    while (parser.acceptSymbol(';'));
    if (parser.atEnd()) return statements;
    statements.push(parser.parseStatement());
    if (!parser.atEnd()) parser.expectSymbol(';', 'end of statement');
  }
}

// Binding strength, lowest first. An infix operator binds when its level is at least the
// caller's minimum; its right operand is parsed one level up, which makes it left-associative.
const enum Precedence {
  Lowest = 0,
  Or = 1,
  And = 2,
  Not = 3,
  Predicate = 4,
  Additive = 5,
  Multiplicative = 6,
  Unary = 7,
}

// Guards the recursion so that `((((…` a million deep is a SqlError, not a RangeError.
const MAX_NESTING = 200;

const STATEMENT_STARTS = 'SELECT or INSERT';

/** Reserved words that are never meant as names, so suggesting to quote them would mislead. */
const NEVER_NAMES: ReadonlySet<string> = new Set([
  'AND', 'AS', 'BY', 'FROM', 'INTO', 'ON', 'OR', 'SELECT', 'THEN', 'VALUES', 'WHERE', 'WHEN',
]);

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private nextParameterIndex = 0;
  private depth = 0;

  constructor(private readonly sql: string) {
    this.tokens = tokenize(sql);
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  parseStatement(): StatementNode {
    // Positional parameters are numbered per statement.
    this.nextParameterIndex = 0;
    const token = this.peek();
    if (this.isKeyword(token, 'SELECT')) return this.parseSelect();
    if (this.isKeyword(token, 'INSERT')) return this.parseInsert();
    throw this.unexpected(STATEMENT_STARTS);
  }

  private parseSelect(): SelectNode {
    const pos = this.expectKeyword('SELECT').pos;
    const distinct = this.acceptKeyword('DISTINCT') !== undefined;
    if (!distinct) this.acceptKeyword('ALL');
    const columns = this.parseSelectList();
    const select: SelectNode = { kind: 'select', distinct, columns, orderBy: [], pos };
    if (this.acceptKeyword('FROM')) select.from = this.parseTableRef();
    if (this.acceptKeyword('WHERE')) select.where = this.parseExpression();
    if (this.isKeyword(this.peek(), 'ORDER')) select.orderBy = this.parseOrderBy();
    if (this.acceptKeyword('LIMIT')) {
      select.limit = this.parseLimitValue('LIMIT');
      if (this.acceptKeyword('OFFSET')) select.offset = this.parseLimitValue('OFFSET');
    }
    if (!this.atStatementEnd()) throw this.unexpected(this.clausesAfter(select));
    return select;
  }

  /** What could still follow, for the error when something else does. */
  private clausesAfter(select: SelectNode): string {
    if (!select.from && !select.where && select.orderBy.length === 0 && !select.limit) {
      return 'FROM or end of statement';
    }
    const clauses: string[] = [];
    if (select.limit) {
      if (!select.offset) clauses.push('OFFSET');
    } else {
      if (!select.where && select.orderBy.length === 0) clauses.push('WHERE');
      if (select.orderBy.length === 0) clauses.push('ORDER BY');
      clauses.push('LIMIT');
    }
    return listOf([...clauses, 'end of statement']);
  }

  private parseSelectList(): SelectItemNode[] {
    const items: SelectItemNode[] = [];
    do items.push(this.parseSelectItem());
    while (this.acceptSymbol(','));
    return items;
  }

  private parseSelectItem(): SelectItemNode {
    const first = this.peek();
    if (this.isSymbol(first, '*')) {
      this.advance();
      return { kind: 'star', pos: first.pos };
    }
    if (isName(first) && this.isSymbol(this.peek(1), '.') && this.isSymbol(this.peek(2), '*')) {
      this.index += 3;
      return { kind: 'star', table: first.value, pos: first.pos };
    }
    const expr = this.parseExpression();
    const item: SelectItemNode = { kind: 'expr', expr, pos: first.pos };
    const alias = this.parseOptionalAlias();
    if (alias !== undefined) item.alias = alias;
    return item;
  }

  /** `[AS] name`; without AS only a plain or quoted name counts, so keywords end the item. */
  private parseOptionalAlias(): string | undefined {
    if (this.acceptKeyword('AS')) return this.parseName('an alias after AS');
    const token = this.peek();
    if (isName(token)) {
      this.advance();
      return token.value;
    }
    return undefined;
  }

  private parseTableRef(): TableRefNode {
    const pos = this.peek().pos;
    const name = this.parseName('a table name');
    const table: TableRefNode = { kind: 'table', name, pos };
    const alias = this.parseOptionalAlias();
    if (alias !== undefined) table.alias = alias;
    return table;
  }

  private parseOrderBy(): OrderByItemNode[] {
    this.expectKeyword('ORDER');
    this.expectKeyword('BY');
    const items: OrderByItemNode[] = [];
    do items.push(this.parseOrderByItem());
    while (this.acceptSymbol(','));
    return items;
  }

  private parseOrderByItem(): OrderByItemNode {
    const pos = this.peek().pos;
    const expr = this.parseExpression();
    let direction: 'ASC' | 'DESC' = 'ASC';
    if (this.acceptKeyword('DESC')) direction = 'DESC';
    else this.acceptKeyword('ASC');
    const item: OrderByItemNode = { expr, direction, pos };
    // NULLS, FIRST and LAST are not reserved: they mean something only here.
    if (this.acceptWord('NULLS')) {
      if (this.acceptWord('FIRST')) item.nulls = 'FIRST';
      else if (this.acceptWord('LAST')) item.nulls = 'LAST';
      else throw this.unexpected('FIRST or LAST after NULLS');
    }
    return item;
  }

  /** LIMIT and OFFSET take a non-negative integer or a parameter, nothing computed. */
  private parseLimitValue(clause: string): ExprNode {
    const token = this.peek();
    if (token.kind === 'number') {
      const value = Number(token.value);
      if (Number.isSafeInteger(value)) {
        this.advance();
        return { kind: 'literal', value, pos: token.pos };
      }
    }
    if (token.kind === 'positionalParameter' || token.kind === 'namedParameter') {
      return this.parsePrimary();
    }
    throw this.unexpected(`a whole number or a parameter after ${clause}`);
  }

  private parseInsert(): InsertNode {
    const pos = this.expectKeyword('INSERT').pos;
    this.expectKeyword('INTO');
    const tablePos = this.peek().pos;
    const table: TableRefNode = { kind: 'table', name: this.parseName('a table name after INSERT INTO'), pos: tablePos };
    const columns = this.parseInsertColumns();
    this.expectKeyword('VALUES');
    const rows: ExprNode[][] = [];
    do rows.push(this.parseValuesRow(columns.length));
    while (this.acceptSymbol(','));
    if (!this.atStatementEnd()) throw this.unexpected("',' or end of statement");
    return { kind: 'insert', table, columns, rows, pos };
  }

  private parseInsertColumns(): { name: string; pos: Position }[] {
    const open = this.peek();
    if (!this.isSymbol(open, '(')) throw this.unexpected("'(' and a column list after the table name");
    this.advance();
    const columns: { name: string; pos: Position }[] = [];
    do {
      const pos = this.peek().pos;
      columns.push({ name: this.parseName('a column name'), pos });
    } while (this.acceptSymbol(','));
    this.expectClosingParen(open, "',' or ')'");
    return columns;
  }

  private parseValuesRow(columnCount: number): ExprNode[] {
    const open = this.peek();
    if (!this.isSymbol(open, '(')) throw this.unexpected("'(' to start a row of values");
    this.advance();
    const values: ExprNode[] = [];
    do values.push(this.parseExpression());
    while (this.acceptSymbol(','));
    this.expectClosingParen(open, "',' or ')'");
    if (values.length !== columnCount) {
      throw new SqlError(
        `This row has ${countOf(values.length, 'value')} but the column list names ${countOf(columnCount, 'column')}`,
        this.sql,
        open.pos,
      );
    }
    return values;
  }

  // -------------------------------------------------------------------------------------------
  // Expressions, by precedence climbing

  parseExpression(minimum: Precedence = Precedence.Lowest): ExprNode {
    if (++this.depth > MAX_NESTING) {
      throw new SqlError(`Expression is nested more than ${MAX_NESTING} levels deep`, this.sql, this.peek().pos);
    }
    let left = this.parsePrefix();
    while (true) {
      const next = this.parseInfix(left, minimum);
      if (next === undefined) break;
      left = next;
    }
    this.depth--;
    return left;
  }

  private parsePrefix(): ExprNode {
    const token = this.peek();
    if (this.isKeyword(token, 'NOT')) {
      this.advance();
      return { kind: 'unary', op: 'NOT', operand: this.parseExpression(Precedence.Not), pos: token.pos };
    }
    if (this.isSymbol(token, '-') || this.isSymbol(token, '+')) {
      this.advance();
      const operand = this.parseExpression(Precedence.Unary);
      if (token.value === '-' && operand.kind === 'literal' && typeof operand.value === 'number') {
        return { kind: 'literal', value: -operand.value, pos: token.pos };
      }
      return { kind: 'unary', op: token.value === '-' ? '-' : '+', operand, pos: token.pos };
    }
    return this.parsePrimary();
  }

  /** Extends `left` with the next infix operator if it binds at least as tightly as `minimum`. */
  private parseInfix(left: ExprNode, minimum: Precedence): ExprNode | undefined {
    const token = this.peek();
    const binary = binaryOperatorOf(token);
    if (binary !== undefined) {
      if (binary.precedence < minimum) return undefined;
      this.advance();
      const right = this.parseExpression(binary.precedence + 1);
      return { kind: 'binary', op: binary.op, left, right, pos: left.pos };
    }
    if (minimum > Precedence.Predicate || token.kind !== 'keyword') return undefined;
    switch (token.value) {
      case 'IS':
        return this.parseIsNull(left);
      case 'NOT':
      case 'IN':
      case 'LIKE':
      case 'BETWEEN':
        return this.parseNegatablePredicate(left);
    }
    return undefined;
  }

  private parseIsNull(expr: ExprNode): ExprNode {
    this.expectKeyword('IS');
    const negated = this.acceptKeyword('NOT') !== undefined;
    if (!this.acceptKeyword('NULL')) throw this.unexpected(negated ? 'NULL after IS NOT' : 'NULL or NOT NULL after IS');
    return { kind: 'isNull', expr, negated, pos: expr.pos };
  }

  private parseNegatablePredicate(expr: ExprNode): ExprNode {
    const negated = this.acceptKeyword('NOT') !== undefined;
    const token = this.peek();
    const operand = Precedence.Additive;
    if (this.acceptKeyword('IN')) {
      return { kind: 'in', expr, list: this.parseInList(), negated, pos: expr.pos };
    }
    if (this.acceptKeyword('LIKE')) {
      const pattern = this.parseExpression(operand);
      if (!this.acceptKeyword('ESCAPE')) return { kind: 'like', expr, pattern, negated, pos: expr.pos };
      const escape = this.parseExpression(operand);
      return { kind: 'like', expr, pattern, escape, negated, pos: expr.pos };
    }
    if (this.acceptKeyword('BETWEEN')) {
      const low = this.parseExpression(operand);
      this.expectKeyword('AND', `AND to complete BETWEEN at ${describePosition(token.pos)}`);
      const high = this.parseExpression(operand);
      return { kind: 'between', expr, low, high, negated, pos: expr.pos };
    }
    throw this.unexpected('IN, LIKE or BETWEEN after NOT');
  }

  private parseInList(): ExprNode[] {
    const open = this.peek();
    if (!this.isSymbol(open, '(')) throw this.unexpected("'(' after IN");
    this.advance();
    const list: ExprNode[] = [];
    do list.push(this.parseExpression());
    while (this.acceptSymbol(','));
    this.expectClosingParen(open, "',' or ')'");
    return list;
  }

  private parsePrimary(): ExprNode {
    const token = this.peek();
    switch (token.kind) {
      case 'number':
        this.advance();
        return { kind: 'literal', value: Number(token.value), pos: token.pos };
      case 'string':
        this.advance();
        return { kind: 'literal', value: token.value, pos: token.pos };
      case 'positionalParameter':
        this.advance();
        return { kind: 'parameter', index: this.nextParameterIndex++, pos: token.pos };
      case 'namedParameter':
        this.advance();
        return { kind: 'parameter', name: token.value, pos: token.pos };
      case 'identifier':
        if (this.isSymbol(this.peek(1), '(')) return this.parseCall();
        return this.parseColumnRef();
      case 'quotedIdentifier':
        return this.parseColumnRef();
      case 'keyword':
        return this.parseKeywordPrimary(token);
      case 'symbol':
        if (token.value === '(') return this.parseParenthesized();
        break;
      case 'end':
        break;
    }
    throw this.unexpected('an expression');
  }

  private parseKeywordPrimary(token: Token): ExprNode {
    switch (token.value) {
      case 'NULL':
        this.advance();
        return { kind: 'literal', value: null, pos: token.pos };
      case 'TRUE':
      case 'FALSE':
        this.advance();
        return { kind: 'literal', value: token.value === 'TRUE', pos: token.pos };
    }
    throw this.unexpected('an expression');
  }

  private parseParenthesized(): ExprNode {
    const open = this.advance();
    const inner = this.parseExpression();
    this.expectClosingParen(open, "')'");
    return inner;
  }

  private parseCall(): ExprNode {
    const nameToken = this.advance();
    const open = this.advance();
    const call = {
      kind: 'call' as const,
      name: nameToken.value.toUpperCase(),
      args: [] as ExprNode[],
      star: false,
      distinct: false,
      pos: nameToken.pos,
    };
    if (this.acceptSymbol('*')) {
      call.star = true;
    } else if (!this.isSymbol(this.peek(), ')')) {
      if (this.acceptKeyword('DISTINCT')) call.distinct = true;
      else this.acceptKeyword('ALL');
      do call.args.push(this.parseExpression());
      while (this.acceptSymbol(','));
    }
    this.expectClosingParen(open, call.star ? "')'" : "',' or ')'");
    return call;
  }

  private parseColumnRef(): ExprNode {
    const first = this.advance();
    if (!this.isSymbol(this.peek(), '.')) return { kind: 'column', name: first.value, pos: first.pos };
    this.advance();
    const name = this.parseName('a column name after', `'${first.value}.'`);
    const dot = this.peek();
    if (this.isSymbol(dot, '.')) {
      throw new SqlError('A column name has at most two parts (table.column)', this.sql, dot.pos);
    }
    return { kind: 'column', table: first.value, name, pos: first.pos };
  }

  // -------------------------------------------------------------------------------------------
  // Tokens

  /** A plain or quoted name; a reserved word here gets advice on quoting it. */
  private parseName(what: string, after?: string): string {
    const token = this.peek();
    if (isName(token)) {
      this.advance();
      return token.value;
    }
    const expectation = after === undefined ? what : `${what} ${after}`;
    throw this.unexpected(expectation);
  }

  /** `expectation` is what may come instead: `')'` or, inside a list, `',' or ')'`. */
  private expectClosingParen(open: Token, expectation: string): void {
    if (this.acceptSymbol(')')) return;
    throw this.unexpected(`${expectation} to close '(' at ${describePosition(open.pos)}`);
  }

  expectEnd(): void {
    if (!this.atEnd()) throw this.unexpected('end of input');
  }

  expectSymbol(symbol: string, expectation: string): Token {
    const token = this.peek();
    if (!this.isSymbol(token, symbol)) throw this.unexpected(expectation);
    return this.advance();
  }

  acceptSymbol(symbol: string): Token | undefined {
    return this.isSymbol(this.peek(), symbol) ? this.advance() : undefined;
  }

  private expectKeyword(keyword: string, expectation: string = keyword): Token {
    const token = this.peek();
    if (!this.isKeyword(token, keyword)) throw this.unexpected(expectation);
    return this.advance();
  }

  private acceptKeyword(keyword: string): Token | undefined {
    return this.isKeyword(this.peek(), keyword) ? this.advance() : undefined;
  }

  /** Matches an unreserved word that has a meaning in one spot only. */
  private acceptWord(upperCaseWord: string): Token | undefined {
    const token = this.peek();
    if (token.kind === 'identifier' && token.value.toUpperCase() === upperCaseWord) return this.advance();
    return undefined;
  }

  atEnd(): boolean {
    return this.peek().kind === 'end';
  }

  private atStatementEnd(): boolean {
    return this.atEnd() || this.isSymbol(this.peek(), ';');
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === 'keyword' && token.value === keyword;
  }

  private isSymbol(token: Token, symbol: string): boolean {
    return token.kind === 'symbol' && token.value === symbol;
  }

  private peek(ahead = 0): Token {
    const tokens = this.tokens;
    return tokens[Math.min(this.index + ahead, tokens.length - 1)]!;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  /** The error for the current token, which is not what the grammar allows here. */
  private unexpected(expectation: string): SqlError {
    const token = this.peek();
    let reason = `Expected ${expectation} but found ${this.describe(token)}`;
    if (token.kind === 'keyword' && !NEVER_NAMES.has(token.value) && wantsName(expectation)) {
      const word = this.sourceOf(token);
      reason += `; ${word} is a reserved word: write [${word}] or "${word}" to use it as a name`;
    }
    return new SqlError(reason, this.sql, token.pos);
  }

  private describe(token: Token): string {
    if (token.kind === 'end') return 'end of input';
    const text = this.sourceOf(token);
    return `'${text.length > 40 ? `${text.slice(0, 37)}...` : text}'`;
  }

  private sourceOf(token: Token): string {
    return this.sql.slice(token.pos.offset, token.end);
  }
}

function isName(token: Token): boolean {
  return token.kind === 'identifier' || token.kind === 'quotedIdentifier';
}

// A reserved word found where a name or an expression (which may be a column name) belongs
// was most likely meant as a name.
function wantsName(expectation: string): boolean {
  return /^(an expression|an alias|a table name|a column name)/.test(expectation);
}

function binaryOperatorOf(token: Token): { op: BinaryOperator; precedence: Precedence } | undefined {
  if (token.kind === 'keyword') {
    if (token.value === 'OR') return { op: 'OR', precedence: Precedence.Or };
    if (token.value === 'AND') return { op: 'AND', precedence: Precedence.And };
    return undefined;
  }
  if (token.kind !== 'symbol') return undefined;
  switch (token.value) {
    case '=':
    case '<>':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return { op: token.value, precedence: Precedence.Predicate };
    case '+':
    case '-':
    case '||':
      return { op: token.value, precedence: Precedence.Additive };
    case '*':
    case '/':
    case '%':
      return { op: token.value, precedence: Precedence.Multiplicative };
  }
  return undefined;
}

function describePosition(pos: Position): string {
  return `line ${pos.line}, column ${pos.column}`;
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
