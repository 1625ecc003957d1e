import type {
  AssignmentNode,
  FrameBoundNode,
  WindowFrameNode,
  DeleteNode,
  ExecNode,
  ProcedureArgumentNode,
  UpdateNode,
  BinaryOperator,
  ComparisonOperator,
  CaseNode,
  CacheNode,
  ColumnDefinitionNode,
  CommonTableNode,
  ColumnConstraintNode,
  CreateIndexNode,
  CreateTableNode,
  CreateViewNode,
  DropIndexNode,
  DropTableNode,
  DropViewNode,
  NameNode,
  OnConflictNode,
  ReindexNode,
  TableConstraintNode,
  ExplainNode,
  ExprNode,
  FromItemNode,
  InsertNode,
  JoinType,
  OrderByItemNode,
  Position,
  QueryNode,
  SelectItemNode,
  SelectNode,
  SetOperator,
  StatementNode,
  TableRefNode,
  TypeNameNode,
  WindowSpecNode,
} from './ast.js';
import { SqlError } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { continuesChain } from './operator-chains.js';

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
  /** PostgreSQL's "any other operator" level: the JSON operators -> ->> #> #>>. */
  Other = 5,
  Additive = 6,
  Multiplicative = 7,
  Unary = 8,
}

/**
 * PostgreSQL's "other" operators, bound as functions of those names: the JSON operators
 * (functions/pg-json.ts), jsonb containment @> <@ (functions/pg-jsonb.ts) and the
 * regular-expression matches (functions/pg-regex.ts).
 */
const JSON_OPERATORS: ReadonlySet<string> = new Set(['->', '->>', '#>', '#>>', '@>', '<@', '~', '~*', '!~', '!~*', '&', '|']);

/** `DATE '2024-01-18'`, `TIMESTAMP '…'`: a literal of the type (a cast of the string). */
const TYPED_LITERALS: ReadonlySet<string> = new Set(['DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'INTERVAL']);

/** Functions SQL writes without parentheses. A quoted name is still a column. */
const NILADIC_FUNCTIONS: ReadonlySet<string> = new Set(['CURRENT_TIMESTAMP', 'CURRENT_DATE', 'LOCALTIMESTAMP', 'CURRENT_USER', 'SESSION_USER', 'USER']);

// Guards the recursion so that `((((…` a million deep is a SqlError, not a RangeError.
const MAX_NESTING = 200;
// A join of n tables runs as a pipeline n operators deep; past this many the run would exhaust
// the stack, so the statement is refused where the table that goes past it is named.
const MAX_FROM_ITEMS = 1000;

const STATEMENT_STARTS = 'SELECT, WITH, INSERT, UPDATE, DELETE, EXEC, CREATE, DROP or EXPLAIN';

/** Reserved words that are never meant as names, so suggesting to quote them would mislead. */
const NEVER_NAMES: ReadonlySet<string> = new Set([
  'AND', 'AS', 'BY', 'FROM', 'INTO', 'ON', 'OR', 'SELECT', 'THEN', 'VALUES', 'WHERE', 'WHEN',
]);

function isParameterToken(token: Token): boolean {
  return token.kind === 'positionalParameter' || token.kind === 'numberedParameter' || token.kind === 'namedParameter';
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private nextParameterIndex = 0;
  /** The first `?` or `$n` of the statement: the two styles do not mix. */
  private positionalStyle: Token | undefined;
  private depth = 0;
  /** Queries written inside their own parentheses (they keep their own ORDER BY / LIMIT). */
  private readonly parenthesized = new WeakSet<QueryNode>();

  constructor(private readonly sql: string) {
    this.tokens = tokenize(sql);
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  parseStatement(): StatementNode {
    // Positional parameters are numbered per statement.
    this.nextParameterIndex = 0;
    this.positionalStyle = undefined;
    const token = this.peek();
    if (this.startsQuery(token)) return this.parseQueryStatement();
    if (this.isKeyword(token, 'INSERT')) return this.parseInsert();
    if (this.isKeyword(token, 'UPDATE')) return this.parseUpdate();
    if (this.isKeyword(token, 'DELETE')) return this.parseDelete();
    if (this.acceptWord('EXEC') ?? this.acceptWord('EXECUTE')) return this.parseExec(token.pos);
    if (this.isKeyword(token, 'CREATE')) return this.parseCreate();
    if (this.isKeyword(token, 'DROP')) return this.parseDrop();
    if (this.acceptWord('REINDEX')) return this.parseReindex(token.pos);
    // SQLite's `REPLACE INTO t …`: INSERT OR REPLACE.
    if (this.isWord(token, 'REPLACE') && this.isKeyword(this.peek(1), 'INTO')) return this.parseInsert();
    if (this.acceptWord('EXPLAIN')) return this.parseExplain(token.pos);
    if (this.acceptWord('CACHE')) return this.parseCache(token.pos);
    throw this.unexpected(STATEMENT_STARTS);
  }

  private startsQuery(token: Token): boolean {
    return this.isKeyword(token, 'SELECT') || this.isKeyword(token, 'WITH') || this.isSymbol(token, '(');
  }

  private parseQueryStatement(): QueryNode {
    const query = this.parseQuery();
    if (!this.atStatementEnd()) throw this.unexpected(this.clausesAfterQuery(query));
    return query;
  }

  private parseExplain(pos: Position): ExplainNode {
    const analyze = this.acceptWord('ANALYZE') !== undefined;
    const token = this.peek();
    let statement: ExplainNode['statement'];
    if (this.isKeyword(token, 'INSERT')) statement = this.parseInsert();
    else if (this.isKeyword(token, 'UPDATE')) statement = this.parseUpdate();
    else if (this.isKeyword(token, 'DELETE')) statement = this.parseDelete();
    else if (this.startsQuery(token)) statement = this.parseQueryStatement();
    else throw this.unexpected('SELECT, WITH, INSERT, UPDATE or DELETE after EXPLAIN');
    return { kind: 'explain', analyze, statement, pos };
  }

  /** `CACHE table` or `CACHE SELECT …` (the CACHE word already read). */
  private parseCache(pos: Position): CacheNode {
    if (this.startsQuery(this.peek())) return { kind: 'cache', query: this.parseQueryStatement(), pos };
    const tablePos = this.peek().pos;
    const name = this.parseName('a table name or SELECT after CACHE');
    if (!this.atStatementEnd()) throw this.unexpected('end of statement');
    return { kind: 'cache', table: { kind: 'table', name, pos: tablePos }, pos };
  }

  /** `[WITH …] term {UNION [ALL] | EXCEPT | INTERSECT term} [ORDER BY …] [LIMIT … [OFFSET …]]`. */
  private parseQuery(): QueryNode {
    const ctes = this.acceptKeyword('WITH') ? this.parseCommonTables() : undefined;
    let query = this.parseUnionLevel();
    if (['ORDER', 'LIMIT', 'OFFSET', 'FETCH'].some((k) => this.isKeyword(this.peek(), k))) {
      // A parenthesized query keeps its own ORDER BY / LIMIT: wrap it before adding more.
      if (this.parenthesized.has(query)) query = wrapInSelect(query);
      if (this.isKeyword(this.peek(), 'ORDER')) query.orderBy = this.parseOrderBy();
      this.parseLimitClauses(query);
    }
    if (ctes) {
      if (query.with) query = wrapInSelect(query);
      query.with = ctes;
    }
    return query;
  }

  private parseCommonTables(): CommonTableNode[] {
    const ctes: CommonTableNode[] = [];
    do {
      const pos = this.peek().pos;
      const name = this.parseName('a name for the common table expression');
      let columns: string[] | undefined;
      if (this.isSymbol(this.peek(), '(')) {
        const open = this.advance();
        columns = [];
        do columns.push(this.parseFoldedName('a column name'));
        while (this.acceptSymbol(','));
        this.expectClosingParen(open, "',' or ')'");
      }
      this.expectKeyword('AS', `AS after ${name}`);
      const open = this.peek();
      if (!this.isSymbol(open, '(')) throw this.unexpected(`'(' and a query after ${name} AS`);
      this.advance();
      this.enter(open);
      const query = this.parseQuery();
      this.depth--;
      this.expectClosingParen(open, "')'");
      ctes.push(columns ? { name, columns, query, pos } : { name, query, pos });
    } while (this.acceptSymbol(','));
    return ctes;
  }

  private parseUnionLevel(): QueryNode {
    let left = this.parseIntersectLevel();
    while (true) {
      const token = this.peek();
      let op: SetOperator;
      if (this.acceptKeyword('UNION')) {
        op = this.acceptKeyword('ALL') ? 'UNION ALL' : 'UNION';
        if (op === 'UNION') this.acceptKeyword('DISTINCT');
      } else if (this.acceptKeyword('EXCEPT')) {
        op = 'EXCEPT';
      } else {
        return left;
      }
      const right = this.parseIntersectLevel();
      left = { kind: 'setOp', op, left, right, orderBy: [], pos: token.pos };
    }
  }

  // INTERSECT binds more tightly than UNION and EXCEPT, as in standard SQL.
  private parseIntersectLevel(): QueryNode {
    let left = this.parseQueryTerm();
    while (true) {
      const token = this.peek();
      if (!this.acceptKeyword('INTERSECT')) return left;
      this.acceptKeyword('DISTINCT');
      const right = this.parseQueryTerm();
      left = { kind: 'setOp', op: 'INTERSECT', left, right, orderBy: [], pos: token.pos };
    }
  }

  private parseQueryTerm(): QueryNode {
    const token = this.peek();
    if (this.isSymbol(token, '(')) {
      this.advance();
      this.enter(token);
      const inner = this.parseQuery();
      this.depth--;
      this.expectClosingParen(token, "')'");
      this.parenthesized.add(inner);
      return inner;
    }
    if (!this.isKeyword(token, 'SELECT')) throw this.unexpected('SELECT');
    return this.parseSelect();
  }

  private enter(token: Token): void {
    if (++this.depth > MAX_NESTING) {
      throw new SqlError(`Expression is nested more than ${MAX_NESTING} levels deep`, this.sql, token.pos);
    }
  }

  private parseSelect(): SelectNode {
    const pos = this.expectKeyword('SELECT').pos;
    const distinct = this.acceptKeyword('DISTINCT') !== undefined;
    if (!distinct) this.acceptKeyword('ALL');
    const select: SelectNode = { kind: 'select', distinct, columns: [], orderBy: [], pos };
    if (distinct && this.acceptKeyword('ON')) {
      const open = this.peek();
      if (!this.isSymbol(open, '(')) throw this.unexpected("'(' after DISTINCT ON");
      this.advance();
      const keys: ExprNode[] = [];
      do keys.push(this.parseExpression());
      while (this.acceptSymbol(','));
      this.expectClosingParen(open, "',' or ')'");
      select.distinctOn = keys;
    }
    const top = this.peek();
    if (top.kind === 'identifier' && top.value.toUpperCase() === 'TOP') {
      const next = this.peek(1);
      if (next.kind === 'number' || isParameterToken(next)) {
        this.advance();
        select.top = this.parseLimitValue('TOP');
      } else if (this.isSymbol(next, '(')) {
        this.advance();
        const open = this.advance();
        select.top = this.parseLimitValue('TOP');
        this.expectClosingParen(open, "')'");
      }
    }
    select.columns = this.parseSelectList();
    if (this.acceptKeyword('FROM')) select.from = this.parseFrom();
    if (this.acceptKeyword('WHERE')) select.where = this.parseExpression();
    if (this.isKeyword(this.peek(), 'GROUP')) {
      this.advance();
      this.expectKeyword('BY');
      const keys: ExprNode[] = [];
      do keys.push(this.parseExpression());
      while (this.acceptSymbol(','));
      select.groupBy = keys;
    }
    if (this.acceptKeyword('HAVING')) select.having = this.parseExpression();
    return select;
  }

  /** What could still follow a query, for the error when something else does. */
  private clausesAfterQuery(query: QueryNode): string {
    if (query.kind === 'select' && !this.parenthesized.has(query)) {
      const select = query;
      if (!select.from && !select.where && !select.groupBy && !select.having && select.orderBy.length === 0 && !select.limit && !select.offset) {
        return 'FROM or end of statement';
      }
      const clauses: string[] = [];
      if (select.limit || select.offset) {
        if (!select.offset) clauses.push('OFFSET');
      } else {
        if (select.orderBy.length === 0) {
          if (!select.where && !select.groupBy && !select.having) clauses.push('WHERE');
          if (!select.groupBy && !select.having) clauses.push('GROUP BY');
          else if (!select.having) clauses.push('HAVING');
          clauses.push('ORDER BY');
        }
        clauses.push('LIMIT');
      }
      return listOf([...clauses, 'end of statement']);
    }
    if (query.limit || query.offset) return query.offset ? 'end of statement' : 'OFFSET or end of statement';
    if (query.orderBy.length > 0) return 'LIMIT or end of statement';
    // `… UNION SELECT b FROM u x y`: the last SELECT could still take its own clauses.
    if (query.kind === 'setOp' && !this.parenthesized.has(query.right)) return this.clausesAfterQuery(query.right);
    return 'ORDER BY, LIMIT or end of statement';
  }

  /** `item {, item | [type] JOIN item [ON cond]}`, left-associative. */
  private parseFrom(): FromItemNode {
    let left = this.parseFromItem();
    let items = 1;
    while (true) {
      const token = this.peek();
      if ((this.isSymbol(token, ',') || this.parseJoinTypeAhead()) && ++items > MAX_FROM_ITEMS) {
        throw new SqlError(`FROM joins more than ${MAX_FROM_ITEMS} tables; join fewer at once (a temporary table can hold part of the result)`, this.sql, this.peek(this.isSymbol(token, ',') ? 1 : 0).pos);
      }
      if (this.acceptSymbol(',')) {
        left = { kind: 'join', type: 'CROSS', left, right: this.parseFromItem(), pos: token.pos };
        continue;
      }
      const type = this.parseJoinType();
      if (type === undefined) return left;
      const right = this.parseFromItem();
      if (type === 'CROSS') {
        left = { kind: 'join', type, left, right, pos: token.pos };
        continue;
      }
      if (this.acceptKeyword('USING')) {
        const open = this.peek();
        if (!this.isSymbol(open, '(')) throw this.unexpected("'(' and column names after USING");
        this.advance();
        const using: { name: string; pos: Position }[] = [];
        do {
          const pos = this.peek().pos;
          using.push({ name: this.parseName('a column name'), pos });
        } while (this.acceptSymbol(','));
        this.expectClosingParen(open, "',' or ')'");
        left = { kind: 'join', type, left, right, using, pos: token.pos };
        continue;
      }
      this.expectKeyword('ON', 'ON or USING and a join condition');
      left = { kind: 'join', type, left, right, on: this.parseExpression(), pos: token.pos };
    }
  }

  /** Whether a join keyword comes next (without consuming it). */
  private parseJoinTypeAhead(): boolean {
    const token = this.peek();
    return token.kind === 'keyword' && ['JOIN', 'INNER', 'CROSS', 'LEFT', 'RIGHT', 'FULL'].includes(token.value);
  }

  private parseJoinType(): JoinType | undefined {
    const token = this.peek();
    if (token.kind !== 'keyword') return undefined;
    switch (token.value) {
      case 'JOIN':
        this.advance();
        return 'INNER';
      case 'INNER':
      case 'CROSS':
        this.advance();
        this.expectKeyword('JOIN', `JOIN after ${token.value}`);
        return token.value;
      case 'LEFT':
      case 'RIGHT':
      case 'FULL':
        this.advance();
        this.acceptKeyword('OUTER');
        this.expectKeyword('JOIN', `JOIN after ${token.value}`);
        return token.value;
      default:
        return undefined;
    }
  }

  private parseFromItem(): FromItemNode {
    const token = this.peek();
    if (this.isSymbol(token, '(')) {
      const next = this.peek(1);
      this.advance();
      if (this.startsQuery(next) || this.isKeyword(next, 'VALUES')) {
        this.enter(token);
        const query = this.isKeyword(next, 'VALUES') ? this.parseValuesQuery() : this.parseQuery();
        this.depth--;
        this.expectClosingParen(token, "')'");
        const alias = this.parseOptionalAlias();
        if (alias === undefined) throw this.unexpected(`an alias for the ${this.isKeyword(next, 'VALUES') ? 'VALUES list' : 'subquery'} in FROM (AS name)`);
        const columns = this.parseColumnAliases();
        return { kind: 'derived', query, alias, ...(columns ? { columns } : {}), pos: token.pos };
      }
      this.enter(token);
      const inner = this.parseFrom();
      this.depth--;
      this.expectClosingParen(token, "')'");
      return inner;
    }
    if ((token.kind === 'identifier' || token.kind === 'quotedIdentifier') && this.isSymbol(this.peek(1), '(')) return this.parseTableFunction();
    // `pg_catalog.generate_series(…)`: PostgreSQL's own functions, schema-qualified.
    if (token.kind === 'identifier' && token.value.toLowerCase() === 'pg_catalog' && this.isSymbol(this.peek(1), '.') && this.peek(2).kind === 'identifier' && this.isSymbol(this.peek(3), '(')) {
      this.advance();
      this.advance();
      return this.parseTableFunction();
    }
    return this.parseTableRef();
  }

  /** `name(args) [AS alias [(col, …)]]` in FROM: a set-returning function such as generate_series. */
  private parseTableFunction(): FromItemNode {
    const name = this.advance();
    const open = this.advance();
    const args: ExprNode[] = [];
    if (!this.isSymbol(this.peek(), ')')) {
      do args.push(this.parseExpression());
      while (this.acceptSymbol(','));
    }
    this.expectClosingParen(open, "',' or ')'");
    const alias = this.parseOptionalAlias();
    const columns = alias !== undefined ? this.parseColumnAliases() : undefined;
    return { kind: 'tableFunction', name: name.value.toUpperCase(), args, ...(alias !== undefined ? { alias } : {}), ...(columns ? { columns } : {}), pos: name.pos };
  }

  /** `(a, b)` after a FROM item's alias: names for its columns. */
  private parseColumnAliases(): string[] | undefined {
    const open = this.peek();
    if (!this.isSymbol(open, '(')) return undefined;
    this.advance();
    const names: string[] = [];
    do names.push(this.parseFoldedName('a column name'));
    while (this.acceptSymbol(','));
    this.expectClosingParen(open, "',' or ')'");
    return names;
  }

  /**
   * `VALUES (a, b), (c, d)` as a query: one SELECT per row, joined by UNION ALL, its columns
   * named column1, column2, … as PostgreSQL names them.
   */
  private parseValuesQuery(): QueryNode {
    const pos = this.expectKeyword('VALUES').pos;
    let query: QueryNode | undefined;
    let width: number | undefined;
    do {
      const open = this.peek();
      const row = this.parseValuesRow(width);
      width ??= row.length;
      const select: SelectNode = {
        kind: 'select',
        distinct: false,
        columns: row.map((expr, i) => ({ kind: 'expr' as const, expr, alias: `column${i + 1}`, pos: expr.pos })),
        orderBy: [],
        pos: open.pos,
      };
      query = query ? { kind: 'setOp', op: 'UNION ALL', left: query, right: select, orderBy: [], pos } : select;
    } while (this.acceptSymbol(','));
    return query;
  }

  // -------------------------------------------------------------------------------------------
  // CREATE / DROP: TABLE, INDEX, VIEW; REINDEX

  private parseCreate(): CreateTableNode | CreateIndexNode | CreateViewNode {
    const pos = this.expectKeyword('CREATE').pos;
    const temporary = this.acceptWord('TEMP') !== undefined || this.acceptWord('TEMPORARY') !== undefined;
    if (this.acceptWord('VIEW')) return this.parseCreateView(pos, temporary);
    if (!temporary) {
      const unique = this.acceptWord('UNIQUE') !== undefined;
      if (this.acceptWord('INDEX')) return this.parseCreateIndex(pos, unique);
      if (unique) throw this.unexpected('INDEX after CREATE UNIQUE');
    }
    this.expectKeyword('TABLE', temporary ? 'TABLE or VIEW' : 'TABLE, TEMPORARY TABLE, INDEX, UNIQUE INDEX or VIEW');
    return this.parseCreateTable(pos, temporary);
  }

  /** After `CREATE [TEMP] TABLE`: `[IF NOT EXISTS] name (column definitions and table constraints)`. */
  private parseCreateTable(pos: Position, temporary: boolean): CreateTableNode {
    const ifNotExists = this.parseIfNotExists();
    const name = this.parseName('a table name');
    const open = this.peek();
    if (!this.isSymbol(open, '(')) throw this.unexpected("'(' and column definitions");
    this.advance();
    const columns: ColumnDefinitionNode[] = [];
    const constraints: TableConstraintNode[] = [];
    do {
      const constraint = this.parseTableConstraint();
      if (constraint) constraints.push(constraint);
      else columns.push(this.parseColumnDefinition());
    } while (this.acceptSymbol(','));
    this.expectClosingParen(open, "',' or ')'");
    if (!this.atStatementEnd()) throw this.unexpected('end of statement');
    return { kind: 'createTable', name, temporary, ifNotExists, columns, constraints, pos };
  }

  /** `name type [constraint …]`. */
  private parseColumnDefinition(): ColumnDefinitionNode {
    const pos = this.peek().pos;
    const name = this.parseName('a column name or a table constraint');
    const type = this.parseTypeName();
    const constraints: ColumnConstraintNode[] = [];
    for (let constraint = this.parseColumnConstraint(); constraint; constraint = this.parseColumnConstraint()) constraints.push(constraint);
    const next = this.peek();
    if (!this.isSymbol(next, ',') && !this.isSymbol(next, ')')) {
      throw this.unexpected("NOT NULL, NULL, UNIQUE, PRIMARY KEY, DEFAULT, CHECK, ',' or ')'");
    }
    return { name, type, constraints, pos };
  }

  /** One column constraint, or undefined when none starts here. */
  private parseColumnConstraint(): ColumnConstraintNode | undefined {
    const pos = this.peek().pos;
    const name = this.parseConstraintName();
    const named = name === undefined ? {} : { name };
    if (this.acceptKeyword('NOT')) {
      this.expectKeyword('NULL', 'NULL after NOT');
      return { kind: 'notNull', ...named, pos };
    }
    if (this.acceptKeyword('NULL')) return { kind: 'null', ...named, pos };
    if (this.acceptWord('UNIQUE')) return { kind: 'unique', ...named, pos };
    if (this.acceptWord('PRIMARY')) {
      this.expectWord('KEY', 'KEY after PRIMARY');
      return { kind: 'primaryKey', ...named, pos };
    }
    // DEFAULT takes no comparison or logic without parentheses, so `DEFAULT 0 NOT NULL` reads
    // as PostgreSQL reads it.
    if (this.acceptWord('DEFAULT')) return { kind: 'default', ...named, expr: this.parseExpression(Precedence.Additive), pos };
    if (this.acceptWord('CHECK')) return { kind: 'check', ...named, expr: this.parseCheckCondition(), pos };
    if (name !== undefined) throw this.unexpected(`NOT NULL, NULL, UNIQUE, PRIMARY KEY, DEFAULT or CHECK after CONSTRAINT ${name}`);
    return undefined;
  }

  /** A table constraint, or undefined when the element is a column definition. */
  private parseTableConstraint(): TableConstraintNode | undefined {
    const startsConstraint =
      this.isWord(this.peek(), 'CONSTRAINT') ||
      (this.isWord(this.peek(), 'PRIMARY') && this.isWord(this.peek(1), 'KEY')) ||
      ((this.isWord(this.peek(), 'UNIQUE') || this.isWord(this.peek(), 'CHECK')) && this.isSymbol(this.peek(1), '('));
    if (!startsConstraint) return undefined;
    const pos = this.peek().pos;
    const name = this.parseConstraintName();
    const named = name === undefined ? {} : { name };
    if (this.acceptWord('PRIMARY')) {
      this.expectWord('KEY', 'KEY after PRIMARY');
      return { kind: 'primaryKey', ...named, columns: this.parseNameList('a column name'), pos };
    }
    if (this.acceptWord('UNIQUE')) return { kind: 'unique', ...named, columns: this.parseNameList('a column name'), pos };
    if (this.acceptWord('CHECK')) return { kind: 'check', ...named, expr: this.parseCheckCondition(), pos };
    throw this.unexpected(`PRIMARY KEY, UNIQUE or CHECK after CONSTRAINT ${name}`);
  }

  private parseConstraintName(): string | undefined {
    return this.acceptWord('CONSTRAINT') ? this.parseName('a constraint name after CONSTRAINT') : undefined;
  }

  /** `(condition)` after CHECK. */
  private parseCheckCondition(): ExprNode {
    const open = this.expectSymbol('(', "'(' and a condition after CHECK");
    const condition = this.parseExpression();
    this.expectClosingParen(open, "')'");
    return condition;
  }

  /** `(a, b, …)`: the columns of a key. */
  private parseNameList(what: string): NameNode[] {
    const open = this.expectSymbol('(', `'(' and ${what}s`);
    const names: NameNode[] = [];
    do {
      const pos = this.peek().pos;
      names.push({ name: this.parseName(what), pos });
    } while (this.acceptSymbol(','));
    this.expectClosingParen(open, "',' or ')'");
    return names;
  }

  /** After `CREATE [UNIQUE] INDEX`: `[IF NOT EXISTS] name ON table (col [ASC|DESC], …)`. */
  private parseCreateIndex(pos: Position, unique: boolean): CreateIndexNode {
    const ifNotExists = this.parseIfNotExists();
    const name = this.parseName('an index name');
    this.expectKeyword('ON', `ON and a table name after the index name ${name}`);
    const table = this.parseTableRef();
    const open = this.expectSymbol('(', "'(' and the indexed columns");
    const columns: CreateIndexNode['columns'] = [];
    do {
      const columnPos = this.peek().pos;
      const column = this.parseName('a column name');
      const direction = this.acceptKeyword('DESC') ? 'DESC' : (this.acceptKeyword('ASC'), 'ASC');
      columns.push({ name: column, direction, pos: columnPos });
    } while (this.acceptSymbol(','));
    this.expectClosingParen(open, "',', ASC, DESC or ')'");
    if (!this.atStatementEnd()) throw this.unexpected('end of statement');
    return { kind: 'createIndex', name, unique, ifNotExists, table, columns, pos };
  }

  /** After `CREATE [TEMP] VIEW`: `name [(col, …)] AS query`. */
  private parseCreateView(pos: Position, temporary: boolean): CreateViewNode {
    const name = this.parseName('a view name');
    const columns = this.isSymbol(this.peek(), '(') ? this.parseNameList('a column name') : undefined;
    this.expectKeyword('AS', columns ? 'AS' : "'(' and column names, or AS");
    if (!this.startsQuery(this.peek())) throw this.unexpected('SELECT or WITH after AS');
    const query = this.parseQueryStatement();
    return { kind: 'createView', name, temporary, ...(columns ? { columns } : {}), query, pos };
  }

  private parseDrop(): DropTableNode | DropIndexNode | DropViewNode {
    const pos = this.expectKeyword('DROP').pos;
    let kind: 'dropTable' | 'dropIndex' | 'dropView';
    if (this.acceptKeyword('TABLE')) kind = 'dropTable';
    else if (this.acceptWord('INDEX')) kind = 'dropIndex';
    else if (this.acceptWord('VIEW')) kind = 'dropView';
    else throw this.unexpected('TABLE, INDEX or VIEW after DROP');
    let ifExists = false;
    if (this.acceptWord('IF')) {
      this.expectKeyword('EXISTS', 'EXISTS after IF');
      ifExists = true;
    }
    const name = this.parseName(kind === 'dropTable' ? 'a table name' : kind === 'dropIndex' ? 'an index name' : 'a view name');
    if (!this.atStatementEnd()) throw this.unexpected('end of statement');
    return { kind, name, ifExists, pos };
  }

  /** `REINDEX [INDEX | TABLE] name` (the REINDEX word already read). */
  private parseReindex(pos: Position): ReindexNode {
    const target = this.acceptWord('INDEX') ? 'INDEX' : this.acceptKeyword('TABLE') ? 'TABLE' : undefined;
    const name = this.parseName(target === 'TABLE' ? 'a table name' : 'an index name');
    if (!this.atStatementEnd()) throw this.unexpected('end of statement');
    return { kind: 'reindex', ...(target ? { target } : {}), name, pos };
  }

  /** `IF NOT EXISTS`, or nothing. */
  private parseIfNotExists(): boolean {
    if (!this.acceptWord('IF')) return false;
    this.expectKeyword('NOT', 'NOT EXISTS after IF');
    this.expectKeyword('EXISTS', 'EXISTS after IF NOT');
    return true;
  }

  /** `NAME`, `NAME(n)`, `NAME(p, s)`; DOUBLE PRECISION as two words. */
  private parseTypeName(): TypeNameNode {
    const token = this.peek();
    if (token.kind !== 'identifier') throw this.unexpected('a type name');
    this.advance();
    let name = token.value.toUpperCase();
    if (name === 'DOUBLE') {
      if (this.acceptWord('PRECISION')) name = 'DOUBLE PRECISION';
    }
    if (name === 'CHARACTER' && this.acceptWord('VARYING')) name = 'VARCHAR';
    const args: number[] = [];
    const open = this.peek();
    if (this.isSymbol(open, '(')) {
      this.advance();
      do {
        const n = this.peek();
        if (n.kind === 'number' && Number.isInteger(Number(n.value))) {
          this.advance();
          args.push(Number(n.value));
        } else if (n.kind === 'identifier' && n.value.toUpperCase() === 'MAX') {
          this.advance();
          args.push(-1);
        } else throw this.unexpected('a whole number');
      } while (this.acceptSymbol(','));
      this.expectClosingParen(open, "',' or ')'");
    }
    // TIMESTAMP WITH TIME ZONE / WITHOUT TIME ZONE: one instant either way here (UTC).
    if ((name === 'TIMESTAMP' || name === 'TIME') && (this.isKeyword(this.peek(), 'WITH') || this.isWord(this.peek(), 'WITHOUT')) && this.isWord(this.peek(1), 'TIME')) {
      this.advance();
      this.advance();
      this.expectWord('ZONE', 'ZONE after TIME');
    }
    return { name, args, pos: token.pos };
  }

  // -------------------------------------------------------------------------------------------
  // SELECT items and clauses

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
    // After AS, a column label may be any word, reserved or not (`AS table`, `AS select`), as in
    // PostgreSQL, when the select list goes on or ends after it (`AS FROM t` is a missing alias).
    const afterLabel = this.peek(2);
    if (
      this.isKeyword(this.peek(), 'AS') &&
      this.peek(1).kind === 'keyword' &&
      (this.isSymbol(afterLabel, ',') || this.isSymbol(afterLabel, ')') || this.isKeyword(afterLabel, 'FROM') || afterLabel.kind === 'end' || this.isSymbol(afterLabel, ';'))
    ) {
      this.advance();
      item.alias = this.advance().value.toLowerCase();
      return item;
    }
    const alias = this.parseOptionalAlias(true);
    if (alias !== undefined) item.alias = alias;
    return item;
  }

  /**
   * `[AS] name`; without AS only a plain or quoted name counts, so keywords end the item.
   * `folded`: a column's alias, which names a result column, folds to lower case unless quoted,
   * as PostgreSQL folds it (`AS Total` is `total`, `AS "Total"` is `Total`).
   */
  private parseOptionalAlias(folded = false): string | undefined {
    const as = this.acceptKeyword('AS');
    const token = this.peek();
    if (as && !isName(token)) throw this.unexpected('an alias after AS');
    if (!isName(token)) return undefined;
    this.advance();
    return folded && token.kind === 'identifier' ? token.value.toLowerCase() : token.value;
  }

  private parseTableRef(): TableRefNode {
    const pos = this.peek().pos;
    const first = this.parseName('a table name');
    const qualified = this.isSymbol(this.peek(), '.') && isName(this.peek(1));
    if (qualified) this.advance();
    const table: TableRefNode = qualified ? { kind: 'table', schema: first, name: this.parseName('a table name'), pos } : { kind: 'table', name: first, pos };
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

  /**
   * `LIMIT n | ALL [OFFSET m [ROW|ROWS]]`, `OFFSET m [ROWS] [FETCH {FIRST|NEXT} [n] {ROW|ROWS} ONLY]`
   * (the SQL standard's spelling, which PostgreSQL takes too), or `FETCH …` alone.
   */
  private parseLimitClauses(query: QueryNode): void {
    if (this.acceptKeyword('LIMIT')) {
      if (!this.acceptKeyword('ALL')) query.limit = this.parseLimitValue('LIMIT');
      const comma = this.isSymbol(this.peek(), ',') ? this.peek() : undefined;
      if (comma) throw new SqlError("MySQL's LIMIT offset, count is not supported; write LIMIT count OFFSET offset", this.sql, comma.pos);
    }
    if (this.acceptKeyword('OFFSET')) {
      query.offset = this.parseLimitValue('OFFSET');
      if (!this.acceptWord('ROWS')) this.acceptWord('ROW');
    }
    const fetch = this.acceptKeyword('FETCH');
    if (!fetch) return;
    if (query.limit) throw new SqlError('Write either LIMIT or FETCH FIRST, not both', this.sql, fetch.pos);
    if (!this.acceptWord('FIRST') && !this.acceptWord('NEXT')) throw this.unexpected('FIRST or NEXT after FETCH');
    const count = this.isWord(this.peek(), 'ROW') || this.isWord(this.peek(), 'ROWS') ? undefined : this.parseLimitValue('FETCH FIRST');
    query.limit = count ?? { kind: 'literal', value: 1, pos: fetch.pos };
    if (!this.acceptWord('ROWS') && !this.acceptWord('ROW')) throw this.unexpected('ROW or ROWS');
    this.expectWord('ONLY', 'ONLY after FETCH FIRST … ROWS');
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
    if (isParameterToken(token)) {
      return this.parsePrimary();
    }
    throw this.unexpected(`a whole number or a parameter after ${clause}`);
  }

  /** `?` numbers itself by position and `$n` by its number: in one statement they would collide. */
  private checkPositionalStyle(token: Token): void {
    const first = this.positionalStyle;
    if (!first) {
      this.positionalStyle = token;
    } else if (first.kind !== token.kind) {
      const [used, other] = first.kind === 'positionalParameter' ? ['?', '$n'] : ['$n', '?'];
      throw new SqlError(`Cannot mix ${other} with ${used} parameters in one statement (the first ${used} is at line ${first.pos.line}, column ${first.pos.column}): use one style`, this.sql, token.pos);
    }
  }

  /** `INSERT [OR REPLACE] INTO t …` or SQLite's `REPLACE INTO t …`. */
  private parseInsert(): InsertNode {
    const start = this.peek();
    let conflict: OnConflictNode | undefined;
    if (this.acceptWord('REPLACE')) conflict = { action: 'replace', pos: start.pos };
    else {
      this.expectKeyword('INSERT');
      const or = this.acceptKeyword('OR');
      if (or) {
        this.expectWord('REPLACE', 'REPLACE after INSERT OR');
        conflict = { action: 'replace', pos: or.pos };
      }
    }
    const pos = start.pos;
    this.expectKeyword('INTO');
    const tablePos = this.peek().pos;
    const table: TableRefNode = { kind: 'table', name: this.parseName('a table name after INSERT INTO'), pos: tablePos };
    const columns = this.isSymbol(this.peek(), '(') && !this.startsQuery(this.peek(1)) ? this.parseInsertColumns() : [];
    if (this.startsQuery(this.peek())) {
      const query = this.parseQuery();
      conflict = this.parseOnConflict(table, conflict);
      const returning = this.parseReturning();
      if (!this.atStatementEnd()) throw this.unexpected(returning ? "',' or end of statement" : withReturning(this.clausesAfterQuery(query)));
      return { kind: 'insert', table, columns, rows: [], query, ...(returning ? { returning } : {}), ...(conflict ? { conflict } : {}), pos };
    }
    if (columns.length === 0 && !this.isKeyword(this.peek(), 'VALUES')) {
      throw this.unexpected("'(' and a column list, VALUES or SELECT after the table name");
    }
    this.expectKeyword('VALUES', 'VALUES or SELECT');
    const rows: ExprNode[][] = [];
    // Without a column list the engine checks each row against the table's columns.
    do rows.push(this.parseValuesRow(columns.length === 0 ? undefined : columns.length));
    while (this.acceptSymbol(','));
    conflict = this.parseOnConflict(table, conflict);
    const returning = this.parseReturning();
    if (!this.atStatementEnd()) throw this.unexpected(returning ? "',' or end of statement" : "',', RETURNING or end of statement");
    return { kind: 'insert', table, columns, rows, ...(returning ? { returning } : {}), ...(conflict ? { conflict } : {}), pos };
  }

  /**
   * `ON CONFLICT [(cols)] DO NOTHING | DO UPDATE SET c = EXCLUDED.c, … [WHERE …]`, or the REPLACE
   * already read (which cannot take one too).
   */
  private parseOnConflict(table: TableRefNode, replace: OnConflictNode | undefined): OnConflictNode | undefined {
    if (!this.isKeyword(this.peek(), 'ON') || !this.isWord(this.peek(1), 'CONFLICT')) return replace;
    const pos = this.advance().pos;
    if (replace) throw new SqlError('INSERT OR REPLACE cannot also have ON CONFLICT', this.sql, pos);
    this.advance();
    const target = this.isSymbol(this.peek(), '(') ? this.parseNameList('a column name') : undefined;
    this.expectWord('DO', target ? 'DO' : "'(' and the columns of a unique key, or DO");
    if (this.acceptWord('NOTHING')) return { action: 'nothing', ...(target ? { target } : {}), pos };
    const update = this.peek();
    this.expectKeyword('UPDATE', 'NOTHING or UPDATE after DO');
    if (!target) {
      throw new SqlError('ON CONFLICT DO UPDATE needs the conflict columns: ON CONFLICT (col, …) DO UPDATE', this.sql, update.pos);
    }
    this.expectKeyword('SET', 'SET after DO UPDATE');
    const assignments: AssignmentNode[] = [];
    do assignments.push(this.parseAssignment(table));
    while (this.acceptSymbol(','));
    const where = this.acceptKeyword('WHERE') ? this.parseExpression() : undefined;
    return { action: 'update', target, assignments, ...(where ? { where } : {}), pos };
  }

  /** `[RETURNING * | expr [AS alias], …]` after INSERT or UPDATE. */
  private parseReturning(): SelectItemNode[] | undefined {
    return this.acceptKeyword('RETURNING') ? this.parseSelectList() : undefined;
  }

  /** `UPDATE t [alias] SET col = expr, … [WHERE …] [RETURNING …]`. */
  private parseUpdate(): UpdateNode {
    const pos = this.expectKeyword('UPDATE').pos;
    const table = this.parseTableRef();
    this.expectKeyword('SET', table.alias === undefined ? 'an alias or SET after the table name' : 'SET');
    const assignments: AssignmentNode[] = [];
    do assignments.push(this.parseAssignment(table));
    while (this.acceptSymbol(','));
    const update: UpdateNode = { kind: 'update', table, assignments, pos };
    if (this.acceptKeyword('WHERE')) update.where = this.parseExpression();
    const returning = this.parseReturning();
    if (returning) update.returning = returning;
    if (!this.atStatementEnd()) {
      throw this.unexpected(returning ? "',' or end of statement" : update.where ? 'RETURNING or end of statement' : "',', WHERE, RETURNING or end of statement");
    }
    return update;
  }

  /** `col = expr` (`t.col` when t names the updated table). */
  private parseAssignment(table: TableRefNode): AssignmentNode {
    const pos = this.peek().pos;
    let column = this.parseName('a column name to SET');
    if (this.acceptSymbol('.')) {
      const qualifier = column;
      if (qualifier.toLowerCase() !== (table.alias ?? table.name).toLowerCase()) {
        throw new SqlError(`${qualifier} is not the table being updated (${table.alias ?? table.name})`, this.sql, pos);
      }
      column = this.parseName('a column name after the table name');
    }
    this.expectSymbol('=', `'=' after ${column}`);
    return { column, value: this.parseExpression(), pos };
  }

  /** `DELETE [FROM] t [alias] [WHERE …]`. */
  private parseDelete(): DeleteNode {
    const pos = this.expectKeyword('DELETE').pos;
    this.acceptKeyword('FROM');
    const table = this.parseTableRef();
    const statement: DeleteNode = { kind: 'delete', table, pos };
    if (this.acceptKeyword('WHERE')) statement.where = this.parseExpression();
    if (!this.atStatementEnd()) throw this.unexpected(statement.where ? 'end of statement' : 'WHERE or end of statement');
    return statement;
  }

  /** `EXEC[UTE] name [@param = value | param = value, …]` (the EXEC word already read). */
  private parseExec(pos: Position): ExecNode {
    const procedurePos = this.peek().pos;
    const procedure = this.parseName('a procedure name after EXEC');
    const args: ProcedureArgumentNode[] = [];
    if (!this.atStatementEnd()) {
      do args.push(this.parseProcedureArgument());
      while (this.acceptSymbol(','));
    }
    if (!this.atStatementEnd()) throw this.unexpected("',' or end of statement");
    return { kind: 'exec', procedure, procedurePos, args, pos };
  }

  /** `@Name = value` or `Name = value`. */
  private parseProcedureArgument(): ProcedureArgumentNode {
    const token = this.peek();
    let name: string;
    if (token.kind === 'namedParameter') {
      this.advance();
      name = token.value;
    } else {
      name = this.parseName('a parameter name (@Name = value)');
    }
    this.expectSymbol('=', `'=' after the parameter name ${name}`);
    return { name, value: this.parseExpression(), pos: token.pos };
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

  private parseValuesRow(columnCount: number | undefined): ExprNode[] {
    const open = this.peek();
    if (!this.isSymbol(open, '(')) throw this.unexpected("'(' to start a row of values");
    this.advance();
    const values: ExprNode[] = [];
    do values.push(this.parseExpression());
    while (this.acceptSymbol(','));
    this.expectClosingParen(open, "',' or ')'");
    if (columnCount !== undefined && values.length !== columnCount) {
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
    // A run of one precedence level (`a + b - c …`) stays flat once bound; anything else applied
    // to `left` (`… IS NULL IS NULL`) nests it one level deeper and counts like a parenthesis.
    let nested = 0;
    while (true) {
      const token = this.peek();
      const next = this.parseInfix(left, minimum);
      if (next === undefined) break;
      if (!continuesChain(left, next) && this.depth + ++nested > MAX_NESTING) {
        throw new SqlError(`Expression is nested more than ${MAX_NESTING} levels deep`, this.sql, token.pos);
      }
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
        const negated: ExprNode = { kind: 'literal', value: -operand.value, pos: token.pos };
        if (operand.isDecimal) negated.isDecimal = true;
        return negated;
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
      const quantifier = this.peek();
      if (
        binary.precedence === Precedence.Predicate &&
        quantifier.kind === 'keyword' &&
        (quantifier.value === 'ANY' || quantifier.value === 'SOME' || quantifier.value === 'ALL') &&
        this.isSymbol(this.peek(1), '(')
      ) {
        this.advance();
        const open = this.advance();
        if (!this.startsQuery(this.peek())) {
          // `x = ANY (array)`: a comparison with each element of an array.
          const list = this.parseExpression();
          this.expectClosingParen(open, "')'");
          const name = `${binary.op} ${quantifier.value === 'ALL' ? 'ALL' : 'ANY'}`;
          return { kind: 'call', name, args: [left, list], star: false, distinct: false, pos: left.pos };
        }
        const query = this.parseQuery();
        this.expectClosingParen(open, "')'");
        const op = binary.op as ComparisonOperator;
        return { kind: 'quantified', op, quantifier: quantifier.value === 'ALL' ? 'ALL' : 'ANY', expr: left, query, pos: left.pos };
      }
      const right = this.parseExpression(binary.precedence + 1);
      return { kind: 'binary', op: binary.op, left, right, pos: left.pos, operatorPos: token.pos };
    }
    if (token.kind === 'symbol' && JSON_OPERATORS.has(token.value)) {
      if (Precedence.Other < minimum) return undefined;
      this.advance();
      const right = this.parseExpression(Precedence.Other + 1);
      return { kind: 'call', name: token.value, args: [left, right], star: false, distinct: false, pos: token.pos };
    }
    if (minimum <= Precedence.Predicate && this.isWord(token, 'ILIKE')) return this.parseNegatablePredicate(left);
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

  /** `IS [NOT] NULL`, and PostgreSQL's `IS [NOT] DISTINCT FROM x` and `IS [NOT] TRUE | FALSE`. */
  private parseIsNull(expr: ExprNode): ExprNode {
    const is = this.expectKeyword('IS');
    const negated = this.acceptKeyword('NOT') !== undefined;
    const not = negated ? 'NOT ' : '';
    if (this.acceptKeyword('DISTINCT')) {
      this.expectKeyword('FROM', `FROM after IS ${not}DISTINCT`);
      const right = this.parseExpression(Precedence.Predicate + 1);
      return { kind: 'call', name: `IS ${not}DISTINCT FROM`, args: [expr, right], star: false, distinct: false, pos: is.pos };
    }
    const truth = this.acceptKeyword('TRUE') ?? this.acceptKeyword('FALSE');
    if (truth) return { kind: 'call', name: `IS ${not}${truth.value}`, args: [expr], star: false, distinct: false, pos: is.pos };
    if (!this.acceptKeyword('NULL')) throw this.unexpected(negated ? 'NULL, TRUE, FALSE or DISTINCT FROM after IS NOT' : 'NULL, NOT NULL, TRUE, FALSE or DISTINCT FROM after IS');
    return { kind: 'isNull', expr, negated, pos: expr.pos };
  }

  private parseNegatablePredicate(expr: ExprNode): ExprNode {
    const negated = this.acceptKeyword('NOT') !== undefined;
    const token = this.peek();
    const operand = Precedence.Additive;
    if (this.acceptKeyword('IN')) {
      const open = this.peek();
      if (this.isSymbol(open, '(') && (this.isKeyword(this.peek(1), 'SELECT') || this.isKeyword(this.peek(1), 'WITH'))) {
        this.advance();
        const query = this.parseQuery();
        this.expectClosingParen(open, "')'");
        return { kind: 'inSubquery', expr, query, negated, pos: expr.pos };
      }
      const list = this.parseInList();
      // SQLite's empty list: `x IN ()` is false and `x NOT IN ()` true, even for a NULL x.
      if (list.length === 0) return { kind: 'literal', value: negated, pos: expr.pos };
      return { kind: 'in', expr, list, negated, pos: expr.pos };
    }
    const ilike = this.acceptWord('ILIKE');
    if (ilike) {
      // ILIKE is LIKE on lower-cased text (so it is never offered to a table as a LIKE).
      const lower = (e: ExprNode): ExprNode => ({ kind: 'call', name: 'LOWER', args: [e], star: false, distinct: false, pos: e.pos });
      const pattern = lower(this.parseExpression(operand));
      if (!this.acceptKeyword('ESCAPE')) return { kind: 'like', expr: lower(expr), pattern, negated, pos: expr.pos };
      return { kind: 'like', expr: lower(expr), pattern, escape: this.parseExpression(operand), negated, pos: expr.pos };
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
    throw this.unexpected('IN, LIKE, ILIKE or BETWEEN after NOT');
  }

  private parseInList(): ExprNode[] {
    const open = this.peek();
    if (!this.isSymbol(open, '(')) throw this.unexpected("'(' after IN");
    this.advance();
    const list: ExprNode[] = [];
    if (this.acceptSymbol(')')) return list;
    do list.push(this.parseExpression());
    while (this.acceptSymbol(','));
    this.expectClosingParen(open, "',' or ')'");
    return list;
  }

  /**
   * A primary and what PostgreSQL writes after one: casts `expr::type`, subscripts `expr[i]`,
   * field selection from a parenthesized row value, `(expr).field`, and `expr AT TIME ZONE zone`
   * (timezone(zone, expr)).
   */
  private parsePrimary(): ExprNode {
    const parenthesized = this.isSymbol(this.peek(), '(');
    let expr = this.parsePrimaryOnly();
    while (true) {
      const token = this.peek();
      if (this.isSymbol(token, '::')) {
        this.advance();
        expr = { kind: 'cast', expr, type: this.parseTypeName(), pos: token.pos };
      } else if (this.isSymbol(token, '[')) {
        this.advance();
        const index = this.parseExpression();
        if (!this.acceptSymbol(']')) throw this.unexpected(`']' to close the subscript at ${describePosition(token.pos)}`);
        expr = { kind: 'call', name: '[]', args: [expr, index], star: false, distinct: false, pos: expr.pos };
      } else if (parenthesized && this.isSymbol(token, '.') && isName(this.peek(1))) {
        this.advance();
        const field = this.advance();
        expr = { kind: 'call', name: '.', args: [expr, { kind: 'literal', value: field.value, pos: field.pos }], star: false, distinct: false, pos: expr.pos };
      } else if (this.isWord(token, 'AT') && this.isWord(this.peek(1), 'TIME') && this.isWord(this.peek(2), 'ZONE')) {
        this.advance();
        this.advance();
        this.advance();
        expr = { kind: 'call', name: 'TIMEZONE', args: [this.parsePrimary(), expr], star: false, distinct: false, pos: token.pos };
      } else {
        return expr;
      }
    }
  }

  /** `ARRAY[a, b, …]`. */
  private parseArrayConstructor(): ExprNode {
    const name = this.advance();
    const open = this.advance();
    const args: ExprNode[] = [];
    if (!this.isSymbol(this.peek(), ']')) {
      do args.push(this.parseExpression());
      while (this.acceptSymbol(','));
    }
    if (!this.acceptSymbol(']')) throw this.unexpected(`',' or ']' to close ARRAY[ at ${describePosition(open.pos)}`);
    return { kind: 'call', name: 'ARRAY[]', args, star: false, distinct: false, pos: name.pos };
  }

  private parsePrimaryOnly(): ExprNode {
    const token = this.peek();
    switch (token.kind) {
      case 'number':
        this.advance();
        if (/[.eE]/.test(token.value)) return { kind: 'literal', value: Number(token.value), isDecimal: true, pos: token.pos };
        return { kind: 'literal', value: Number(token.value), pos: token.pos };
      case 'string':
        this.advance();
        return { kind: 'literal', value: token.value, pos: token.pos };
      case 'positionalParameter':
        this.checkPositionalStyle(token);
        this.advance();
        return { kind: 'parameter', index: this.nextParameterIndex++, pos: token.pos };
      case 'numberedParameter':
        this.checkPositionalStyle(token);
        this.advance();
        return { kind: 'parameter', index: Number(token.value) - 1, numbered: true, pos: token.pos };
      case 'namedParameter':
        this.advance();
        return { kind: 'parameter', name: token.value, pos: token.pos };
      case 'identifier':
        if (token.value.toUpperCase() === 'TRY_CAST' && this.isSymbol(this.peek(1), '(')) return this.parseCast(true);
        if (token.value.toUpperCase() === 'INTERVAL' && this.peek(1).kind === 'number') {
          throw new SqlError(`Write the interval as a quoted string: INTERVAL '${this.peek(1).value} ${this.peek(2).kind === 'identifier' ? this.peek(2).value.toLowerCase() : 'days'}'`, this.sql, this.peek(1).pos);
        }
        if (TYPED_LITERALS.has(token.value.toUpperCase()) && this.peek(1).kind === 'string') {
          const type = this.parseTypeName();
          const literal = this.advance();
          return { kind: 'cast', expr: { kind: 'literal', value: literal.value, pos: literal.pos }, type, pos: token.pos };
        }
        if (token.value.toUpperCase() === 'EXTRACT' && this.isSymbol(this.peek(1), '(')) return this.parseExtract();
        if (token.value.toUpperCase() === 'ARRAY' && this.isSymbol(this.peek(1), '[')) return this.parseArrayConstructor();
        if (this.isSymbol(this.peek(1), '(')) return this.parseCall();
        if (this.isSymbol(this.peek(1), '.') && isName(this.peek(2)) && this.isSymbol(this.peek(3), '(')) return this.parseQualifiedCall();
        if (NILADIC_FUNCTIONS.has(token.value.toUpperCase()) && !this.isSymbol(this.peek(1), '.')) {
          // SQL's CURRENT_TIMESTAMP takes no parentheses: a call with no arguments.
          this.advance();
          return { kind: 'call', name: token.value.toUpperCase(), args: [], star: false, distinct: false, pos: token.pos };
        }
        return this.parseColumnRef();
      case 'quotedIdentifier':
        // `"substring"(s, 2)`: a function named in quotes.
        if (this.isSymbol(this.peek(1), '(')) return this.parseCall();
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
      // Reserved for joins, yet the string functions of the same name are common SQL.
      case 'LEFT':
      case 'RIGHT':
        if (this.isSymbol(this.peek(1), '(')) return this.parseCall();
        break;
      case 'CASE':
        return this.parseCase();
      case 'CAST':
        return this.parseCast(false);
      case 'EXISTS': {
        this.advance();
        const open = this.peek();
        if (!this.isSymbol(open, '(') || !this.startsQuery(this.peek(1))) throw this.unexpected("'(' and a query after EXISTS");
        this.advance();
        const query = this.parseQuery();
        this.expectClosingParen(open, "')'");
        return { kind: 'exists', query, negated: false, pos: token.pos };
      }
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

  /** `CAST(expr AS type)`, or SQL Server's `TRY_CAST(…)`, which gives NULL where CAST fails. */
  private parseCast(nullOnFailure: boolean): ExprNode {
    const token = this.advance();
    const open = this.peek();
    if (!this.isSymbol(open, '(')) throw this.unexpected(`'(' after ${nullOnFailure ? 'TRY_CAST' : 'CAST'}`);
    this.advance();
    const expr = this.parseExpression();
    this.expectKeyword('AS', 'AS and a type');
    const type = this.parseTypeName();
    this.expectClosingParen(open, "')'");
    return nullOnFailure ? { kind: 'cast', expr, type, nullOnFailure, pos: token.pos } : { kind: 'cast', expr, type, pos: token.pos };
  }

  private parseCase(): CaseNode {
    const pos = this.expectKeyword('CASE').pos;
    const node: CaseNode = { kind: 'case', whens: [], pos };
    if (!this.isKeyword(this.peek(), 'WHEN')) node.operand = this.parseExpression();
    while (this.acceptKeyword('WHEN')) {
      const when = this.parseExpression();
      this.expectKeyword('THEN');
      node.whens.push({ when, then: this.parseExpression() });
    }
    if (node.whens.length === 0) throw this.unexpected('WHEN');
    if (this.acceptKeyword('ELSE')) node.else = this.parseExpression();
    this.expectKeyword('END', node.else ? 'END' : 'WHEN, ELSE or END');
    return node;
  }

  private parseParenthesized(): ExprNode {
    if (this.startsQuery(this.peek(1)) && !this.isSymbol(this.peek(1), '(')) {
      const open = this.advance();
      const query = this.parseQuery();
      this.expectClosingParen(open, "')'");
      return { kind: 'subquery', query, pos: open.pos };
    }
    const open = this.advance();
    const inner = this.parseExpression();
    this.expectClosingParen(open, "')'");
    return inner;
  }

  /**
   * `schema.f(…)`. PostgreSQL's built-in functions live in pg_catalog, so `pg_catalog.lower(x)`
   * is `lower(x)`; another schema stays in the name, for the catalog's functions.
   */
  private parseQualifiedCall(): ExprNode {
    const schema = this.advance();
    this.advance();
    const call = this.parseCall();
    if (call.kind === 'call' && schema.value.toLowerCase() !== 'pg_catalog') call.name = `${schema.value.toUpperCase()}.${call.name}`;
    return call;
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
    if (call.name === 'TRIM' && this.startsTrimForm()) return this.parseTrimForm(call, open);
    if (this.acceptSymbol('*')) {
      call.star = true;
    } else if (!this.isSymbol(this.peek(), ')')) {
      if (this.acceptKeyword('DISTINCT')) call.distinct = true;
      else this.acceptKeyword('ALL');
      // position(a IN b): `a` stops before IN, which would otherwise start a predicate.
      call.args.push(this.parseExpression(call.name === 'POSITION' ? Precedence.Other : Precedence.Lowest));
      const standard = this.parseStandardCallTail(call, open);
      if (standard) return standard;
      while (this.acceptSymbol(',')) call.args.push(this.parseExpression());
      if (this.isKeyword(this.peek(), 'ORDER')) Object.assign(call, { orderBy: this.parseOrderBy() });
    }
    this.expectClosingParen(open, call.star ? "')'" : "',' or ')'");
    if (this.isWord(this.peek(), 'WITHIN') && this.isKeyword(this.peek(1), 'GROUP')) {
      this.advance();
      this.advance();
      const group = this.peek();
      if (!this.isSymbol(group, '(')) throw this.unexpected("'(' after WITHIN GROUP");
      this.advance();
      const withinGroup = this.parseOrderBy();
      this.expectClosingParen(group, "')'");
      Object.assign(call, { withinGroup });
    }
    if (this.isWord(this.peek(), 'FILTER') && this.isSymbol(this.peek(1), '(')) {
      this.advance();
      const filterOpen = this.advance();
      this.expectKeyword('WHERE', 'WHERE after FILTER (');
      const filter = this.parseExpression();
      this.expectClosingParen(filterOpen, "')'");
      Object.assign(call, { filter });
    }
    if (this.isKeyword(this.peek(), 'OVER')) {
      this.advance();
      return { ...call, over: this.parseWindowSpec() };
    }
    return call;
  }

  /**
   * SQL's keyword forms after a first argument: `position(a IN b)` and
   * `substring(s FROM start [FOR length])` / `substring(s FOR length)`.
   */
  private parseStandardCallTail(call: Extract<ExprNode, { kind: 'call' }>, open: Token): ExprNode | undefined {
    const [first] = call.args as [ExprNode];
    if (call.name === 'POSITION') {
      this.expectKeyword('IN', 'IN after position(substring');
      const within = this.parseExpression();
      this.expectClosingParen(open, "')'");
      return { ...call, args: [first, within] };
    }
    if ((call.name !== 'SUBSTRING' && call.name !== 'SUBSTR') || !(this.isKeyword(this.peek(), 'FROM') || this.isKeyword(this.peek(), 'FOR'))) return undefined;
    const start = this.acceptKeyword('FROM') ? this.parseExpression() : ({ kind: 'literal', value: 1, pos: first.pos } as ExprNode);
    const length = this.acceptKeyword('FOR') ? [this.parseExpression()] : [];
    this.expectClosingParen(open, "FOR or ')'");
    return { ...call, name: 'SUBSTRING', args: [first, start, ...length] };
  }

  /** Whether TRIM's arguments start SQL's form: BOTH / LEADING / TRAILING, or FROM. */
  private startsTrimForm(): boolean {
    const token = this.peek();
    if (this.isKeyword(token, 'FROM')) return true;
    if (!['BOTH', 'LEADING', 'TRAILING'].some((word) => this.isWord(token, word))) return false;
    // `trim(both)` names a column called both; the form continues with characters or FROM.
    return !this.isSymbol(this.peek(1), ')') && !this.isSymbol(this.peek(1), ',');
  }

  /** `trim([BOTH | LEADING | TRAILING] [characters] FROM s)`: BTRIM, LTRIM or RTRIM(s[, characters]). */
  private parseTrimForm(call: Extract<ExprNode, { kind: 'call' }>, open: Token): ExprNode {
    const side = this.acceptWord('LEADING') ? 'LTRIM' : this.acceptWord('TRAILING') ? 'RTRIM' : (this.acceptWord('BOTH'), 'BTRIM');
    const characters = this.isKeyword(this.peek(), 'FROM') ? [] : [this.parseExpression()];
    this.expectKeyword('FROM', `FROM after trim(${side === 'BTRIM' ? 'BOTH' : side === 'LTRIM' ? 'LEADING' : 'TRAILING'}`);
    const source = this.parseExpression();
    this.expectClosingParen(open, "')'");
    return { ...call, name: side, args: [source, ...characters] };
  }

  /** `EXTRACT(field FROM expr)`: a call EXTRACT('field', expr) (numeric, where DATE_PART's is a double). */
  private parseExtract(): ExprNode {
    const name = this.advance();
    const open = this.advance();
    const field = this.peek();
    if (field.kind !== 'identifier' && field.kind !== 'string' && field.kind !== 'keyword') throw this.unexpected('a field such as YEAR, MONTH, DOW or EPOCH');
    this.advance();
    this.expectKeyword('FROM', `FROM after EXTRACT(${field.value}`);
    const source = this.parseExpression();
    this.expectClosingParen(open, "')'");
    const part: ExprNode = { kind: 'literal', value: field.value.toLowerCase(), pos: field.pos };
    return { kind: 'call', name: 'EXTRACT', args: [part, source], star: false, distinct: false, pos: name.pos };
  }

  private parseWindowSpec(): WindowSpecNode {
    const open = this.peek();
    if (!this.isSymbol(open, '(')) throw this.unexpected("'(' after OVER");
    this.advance();
    const spec: WindowSpecNode = { partitionBy: [], orderBy: [] };
    if (this.acceptWord('PARTITION')) {
      this.expectKeyword('BY');
      do spec.partitionBy.push(this.parseExpression());
      while (this.acceptSymbol(','));
    }
    if (this.isKeyword(this.peek(), 'ORDER')) spec.orderBy = this.parseOrderBy();
    const unit = this.acceptWord('ROWS') ?? this.acceptWord('RANGE') ?? this.acceptWord('GROUPS');
    if (unit) {
      const between = this.acceptKeyword('BETWEEN');
      const start = this.parseFrameBound();
      const end: FrameBoundNode = between ? (this.expectKeyword('AND', 'AND and the end of the frame'), this.parseFrameBound()) : { kind: 'currentRow', pos: start.pos };
      spec.frame = { unit: unit.value.toUpperCase() as 'ROWS' | 'RANGE' | 'GROUPS', start, end, pos: unit.pos };
      const exclude = this.parseFrameExclusion();
      if (exclude) spec.frame.exclude = exclude;
    }
    this.expectClosingParen(open, "')'");
    return spec;
  }

  /** `EXCLUDE CURRENT ROW | GROUP | TIES | NO OTHERS` after a frame; undefined for none and NO OTHERS. */
  private parseFrameExclusion(): WindowFrameNode['exclude'] {
    if (!this.acceptWord('EXCLUDE')) return undefined;
    if (this.acceptWord('CURRENT')) {
      this.expectWord('ROW', 'ROW after EXCLUDE CURRENT');
      return 'CURRENT ROW';
    }
    if (this.acceptKeyword('GROUP')) return 'GROUP';
    if (this.acceptWord('TIES')) return 'TIES';
    if (this.acceptWord('NO')) {
      this.expectWord('OTHERS', 'OTHERS after EXCLUDE NO');
      return undefined;
    }
    throw this.unexpected('CURRENT ROW, GROUP, TIES or NO OTHERS after EXCLUDE');
  }

  /** `UNBOUNDED PRECEDING | offset PRECEDING | CURRENT ROW | offset FOLLOWING | UNBOUNDED FOLLOWING`. */
  private parseFrameBound(): FrameBoundNode {
    const token = this.peek();
    if (this.acceptWord('UNBOUNDED')) {
      if (this.acceptWord('PRECEDING')) return { kind: 'unboundedPreceding', pos: token.pos };
      this.expectWord('FOLLOWING', 'PRECEDING or FOLLOWING after UNBOUNDED');
      return { kind: 'unboundedFollowing', pos: token.pos };
    }
    if (this.acceptWord('CURRENT')) {
      this.expectWord('ROW', 'ROW after CURRENT');
      return { kind: 'currentRow', pos: token.pos };
    }
    if (this.isSymbol(token, ')') || this.isKeyword(token, 'AND')) throw this.unexpected('UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW, n FOLLOWING or UNBOUNDED FOLLOWING');
    const offset = this.parseExpression();
    if (this.acceptWord('PRECEDING')) return { kind: 'preceding', offset, pos: token.pos };
    this.expectWord('FOLLOWING', 'PRECEDING or FOLLOWING after the frame offset');
    return { kind: 'following', offset, pos: token.pos };
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

  /** A name that names a result column: folded to lower case unless quoted, as PostgreSQL folds it. */
  private parseFoldedName(what: string): string {
    const token = this.peek();
    const name = this.parseName(what);
    return token.kind === 'identifier' ? name.toLowerCase() : name;
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

  private expectWord(upperCaseWord: string, expectation: string): Token {
    const token = this.acceptWord(upperCaseWord);
    if (!token) throw this.unexpected(expectation);
    return token;
  }

  private isWord(token: Token, upperCaseWord: string): boolean {
    return token.kind === 'identifier' && token.value.toUpperCase() === upperCaseWord;
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
  private unexpected(expectation: string, hint = ''): SqlError {
    const token = this.peek();
    let reason = `Expected ${expectation} but found ${this.describe(token)}${hint}`;
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

/** `SELECT … ORDER BY` inside parentheses, or a query given its own WITH: `SELECT * FROM (query) AS q`. */
function wrapInSelect(query: QueryNode): SelectNode {
  const pos = query.pos;
  return {
    kind: 'select',
    distinct: false,
    columns: [{ kind: 'star', pos }],
    from: { kind: 'derived', query, alias: '_query', pos },
    orderBy: [],
    pos,
  };
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

/** `… or end of statement` with RETURNING listed before the end: what may follow INSERT's query. */
function withReturning(expectation: string): string {
  if (expectation === 'end of statement') return 'RETURNING or end of statement';
  return expectation.replace(/ or end of statement$/, ', RETURNING or end of statement');
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
