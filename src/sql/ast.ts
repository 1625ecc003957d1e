// The typed syntax tree between the parser and the planner. Every node carries the position
// of its first token so that later stages (planner, binder) can report errors where they are.

export interface Position {
  offset: number; // 0-based character offset into the SQL text
  line: number; // 1-based
  column: number; // 1-based
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type LiteralValue = string | number | boolean | null;

export interface LiteralNode {
  kind: 'literal';
  value: LiteralValue;
  /** Set (true) only on a number written with a decimal point or exponent: `7.0`, `1e3`. */
  isDecimal?: boolean;
  pos: Position;
}

/** A column reference: `Name`, `t.Name`, `[Name]`, `"Name"`. */
export interface ColumnRefNode {
  kind: 'column';
  table?: string;
  name: string;
  pos: Position;
}

/**
 * A parameter: `?` (positional: index 0,1,2… in order of appearance), `$n` (PostgreSQL:
 * index n - 1, `numbered` set; `$1` may appear several times) or `@name`. Its type is not
 * written: the binder infers it from where it stands (see engine/params.ts).
 */
export interface ParameterNode {
  kind: 'parameter';
  index?: number;
  /** Written `$n` rather than `?`. Absent for `?` and `@name`. */
  numbered?: true;
  name?: string;
  pos: Position;
}

export type UnaryOperator = 'NOT' | '-' | '+';
export interface UnaryNode {
  kind: 'unary';
  op: UnaryOperator;
  operand: ExprNode;
  pos: Position;
}

export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%' | '||';
export type LogicalOperator = 'AND' | 'OR';
export type BinaryOperator = ComparisonOperator | ArithmeticOperator | LogicalOperator;

/** `!=` is parsed as `<>`. */
export interface BinaryNode {
  kind: 'binary';
  op: BinaryOperator;
  left: ExprNode;
  right: ExprNode;
  pos: Position;
  /** Where the operator itself is written, for errors about it (PostgreSQL points there). */
  operatorPos?: Position;
}

export interface InListNode {
  kind: 'in';
  expr: ExprNode;
  list: ExprNode[];
  negated: boolean;
  pos: Position;
}

export interface BetweenNode {
  kind: 'between';
  expr: ExprNode;
  low: ExprNode;
  high: ExprNode;
  negated: boolean;
  pos: Position;
}

export interface LikeNode {
  kind: 'like';
  expr: ExprNode;
  pattern: ExprNode;
  escape?: ExprNode;
  negated: boolean;
  pos: Position;
}

export interface IsNullNode {
  kind: 'isNull';
  expr: ExprNode;
  negated: boolean;
  pos: Position;
}

/** `name(args)`, `name(*)`, `name(DISTINCT x)`. Name is upper-cased by the parser. */
export interface FunctionCallNode {
  kind: 'call';
  name: string;
  args: ExprNode[];
  star: boolean;
  distinct: boolean;
  /** `OVER (PARTITION BY … ORDER BY …)`: a window function call. */
  over?: WindowSpecNode;
  /** `agg(x) FILTER (WHERE cond)`: only rows where cond is true are aggregated. */
  filter?: ExprNode;
  /** `percentile_cont(0.5) WITHIN GROUP (ORDER BY x)`: an ordered-set aggregate's input. */
  withinGroup?: OrderByItemNode[];
  /** `string_agg(x, ',' ORDER BY y)`: the order an aggregate takes its input in. */
  orderBy?: OrderByItemNode[];
  pos: Position;
}

export interface WindowSpecNode {
  partitionBy: ExprNode[];
  orderBy: OrderByItemNode[];
  /** `ROWS | RANGE | GROUPS BETWEEN … AND … [EXCLUDE …]`; absent: the default frame. */
  frame?: WindowFrameNode;
}

/**
 * One end of a window frame; `offset` for `offset PRECEDING` / `offset FOLLOWING`: rows (ROWS),
 * peer groups (GROUPS), or a distance in the ORDER BY key's units (RANGE: `10`, `INTERVAL '7 days'`).
 */
export interface FrameBoundNode {
  kind: 'unboundedPreceding' | 'preceding' | 'currentRow' | 'following' | 'unboundedFollowing';
  offset?: ExprNode;
  pos: Position;
}

export interface WindowFrameNode {
  unit: 'ROWS' | 'RANGE' | 'GROUPS';
  start: FrameBoundNode;
  end: FrameBoundNode;
  /** `EXCLUDE CURRENT ROW | GROUP | TIES`; absent for `EXCLUDE NO OTHERS` too. */
  exclude?: 'CURRENT ROW' | 'GROUP' | 'TIES';
  pos: Position;
}

/** `CASE [operand] WHEN … THEN … [ELSE …] END`; with an operand it is the simple form. */
export interface CaseNode {
  kind: 'case';
  operand?: ExprNode;
  whens: { when: ExprNode; then: ExprNode }[];
  else?: ExprNode;
  pos: Position;
}

/** A type as written: `VARCHAR(20)`, `DECIMAL(10, 2)`, `INT`. Name upper-cased. */
export interface TypeNameNode {
  name: string;
  args: number[];
  pos: Position;
}

/** `CAST(expr AS type)`. */
export interface CastNode {
  kind: 'cast';
  expr: ExprNode;
  type: TypeNameNode;
  /** TRY_CAST: a value that does not convert gives NULL instead of an error. */
  nullOnFailure?: boolean;
  pos: Position;
}

/** `(SELECT …)` used as a value: one row, one column. */
export interface ScalarSubqueryNode {
  kind: 'subquery';
  query: QueryNode;
  pos: Position;
}

/** `[NOT] EXISTS (SELECT …)`. */
export interface ExistsNode {
  kind: 'exists';
  query: QueryNode;
  negated: boolean;
  pos: Position;
}

/** `expr op ANY|SOME|ALL (SELECT …)`. SOME is read as ANY. */
export interface QuantifiedComparisonNode {
  kind: 'quantified';
  op: ComparisonOperator;
  quantifier: 'ANY' | 'ALL';
  expr: ExprNode;
  query: QueryNode;
  pos: Position;
}

/** `expr [NOT] IN (SELECT …)`. */
export interface InSubqueryNode {
  kind: 'inSubquery';
  expr: ExprNode;
  query: QueryNode;
  negated: boolean;
  pos: Position;
}

export type ExprNode =
  | LiteralNode
  | ColumnRefNode
  | ParameterNode
  | UnaryNode
  | BinaryNode
  | InListNode
  | BetweenNode
  | LikeNode
  | IsNullNode
  | FunctionCallNode
  | CaseNode
  | CastNode
  | ScalarSubqueryNode
  | ExistsNode
  | InSubqueryNode
  | QuantifiedComparisonNode;

// ---------------------------------------------------------------------------------------------
// Statements

export interface TableRefNode {
  kind: 'table';
  name: string;
  /** `schema.name` in FROM (PostgreSQL's `pg_catalog.pg_class`): the catalog resolves the two together. */
  schema?: string;
  alias?: string;
  pos: Position;
}

/** `(SELECT …) AS alias [(col, …)]` or `(VALUES (…), …) AS alias [(col, …)]` in FROM. */
export interface DerivedTableNode {
  kind: 'derived';
  query: QueryNode;
  alias: string;
  /** Names for the query's columns, in order. */
  columns?: string[];
  pos: Position;
}

/** A set-returning function in FROM: `generate_series(1, 10) AS g(n)`. Name upper-cased. */
export interface TableFunctionNode {
  kind: 'tableFunction';
  name: string;
  args: ExprNode[];
  alias?: string;
  columns?: string[];
  pos: Position;
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS';

/** `left [type] JOIN right [ON condition]`; a comma join is a CROSS join. */
export interface JoinNode {
  kind: 'join';
  type: JoinType;
  left: FromItemNode;
  right: FromItemNode;
  on?: ExprNode;
  /** `USING (a, b)`: equality of the same-named columns of both sides. */
  using?: { name: string; pos: Position }[];
  pos: Position;
}

export type FromItemNode = TableRefNode | DerivedTableNode | TableFunctionNode | JoinNode;

export type SelectItemNode =
  | { kind: 'star'; table?: string; pos: Position }
  | { kind: 'expr'; expr: ExprNode; alias?: string; pos: Position };

export interface OrderByItemNode {
  expr: ExprNode;
  direction: 'ASC' | 'DESC';
  nulls?: 'FIRST' | 'LAST';
  pos: Position;
}

export interface CommonTableNode {
  name: string;
  columns?: string[];
  query: QueryNode;
  pos: Position;
}

export interface SelectNode {
  kind: 'select';
  distinct: boolean;
  /** PostgreSQL's `DISTINCT ON (a, b)`: the first row (in ORDER BY order) of each (a, b). */
  distinctOn?: ExprNode[];
  /** `SELECT TOP n`. */
  top?: ExprNode;
  columns: SelectItemNode[];
  from?: FromItemNode;
  where?: ExprNode;
  groupBy?: ExprNode[];
  having?: ExprNode;
  orderBy: OrderByItemNode[];
  limit?: ExprNode;
  offset?: ExprNode;
  /** `WITH name AS (…), …` written before this SELECT. */
  with?: CommonTableNode[];
  pos: Position;
}

export type SetOperator = 'UNION' | 'UNION ALL' | 'INTERSECT' | 'EXCEPT';

/** `left UNION [ALL] | INTERSECT | EXCEPT right`, with ORDER BY / LIMIT over the whole. */
export interface SetOperationNode {
  kind: 'setOp';
  op: SetOperator;
  left: QueryNode;
  right: QueryNode;
  orderBy: OrderByItemNode[];
  limit?: ExprNode;
  offset?: ExprNode;
  with?: CommonTableNode[];
  pos: Position;
}

export type QueryNode = SelectNode | SetOperationNode;

export interface InsertNode {
  kind: 'insert';
  table: TableRefNode;
  columns: { name: string; pos: Position }[];
  rows: ExprNode[][];
  /** `INSERT INTO t [(cols)] SELECT …` instead of VALUES (rows is then empty). */
  query?: QueryNode;
  /** `RETURNING *` / `RETURNING Id, Url AS Link`: the written objects as a result set. */
  returning?: SelectItemNode[];
  /** `ON CONFLICT …` (PostgreSQL), `INSERT OR REPLACE` / `REPLACE INTO` (SQLite). */
  conflict?: OnConflictNode;
  pos: Position;
}

/**
 * What INSERT does with a row that duplicates a unique key: `ON CONFLICT [(cols)] DO NOTHING`,
 * `ON CONFLICT (cols) DO UPDATE SET c = EXCLUDED.c, … [WHERE …]`, or SQLite's REPLACE (the
 * rows it duplicates are deleted, then it is inserted).
 */
export type OnConflictNode =
  | { action: 'nothing'; target?: NameNode[]; pos: Position }
  | { action: 'update'; target: NameNode[]; assignments: AssignmentNode[]; where?: ExprNode; pos: Position }
  | { action: 'replace'; pos: Position };

/** `col = expr` in UPDATE … SET. */
export interface AssignmentNode {
  column: string;
  value: ExprNode;
  /** Where the column name is written. */
  pos: Position;
}

/** `UPDATE t SET a = 1, b = b || 'x' [WHERE …] [RETURNING …]`. */
export interface UpdateNode {
  kind: 'update';
  table: TableRefNode;
  assignments: AssignmentNode[];
  where?: ExprNode;
  returning?: SelectItemNode[];
  pos: Position;
}

/** `DELETE [FROM] t [WHERE …]`. */
export interface DeleteNode {
  kind: 'delete';
  table: TableRefNode;
  where?: ExprNode;
  pos: Position;
}

/** One argument of EXEC: `@Name = value` or `Name = value` (the `@` is not part of name). */
export interface ProcedureArgumentNode {
  name: string;
  value: ExprNode;
  /** Where the parameter name is written. */
  pos: Position;
}

/** `EXEC[UTE] Name @P1 = v1, P2 = v2` (no arguments allowed too). */
export interface ExecNode {
  kind: 'exec';
  procedure: string;
  /** Where the procedure name is written. */
  procedurePos: Position;
  args: ProcedureArgumentNode[];
  pos: Position;
}

/** A name written in a list (`PRIMARY KEY (a, b)`, an index's columns), where it is written. */
export interface NameNode {
  name: string;
  pos: Position;
}

/**
 * A constraint written after a column's type; `name` when written `CONSTRAINT name …`.
 * `NULL` says the column may hold NULL (the default; it only contradicts NOT NULL).
 */
export type ColumnConstraintNode =
  | { kind: 'notNull' | 'null' | 'unique' | 'primaryKey'; name?: string; pos: Position }
  | { kind: 'default'; name?: string; expr: ExprNode; pos: Position }
  | { kind: 'check'; name?: string; expr: ExprNode; pos: Position };

export interface ColumnDefinitionNode {
  name: string;
  type: TypeNameNode;
  constraints: ColumnConstraintNode[];
  pos: Position;
}

/** `[CONSTRAINT name] PRIMARY KEY (a, b) | UNIQUE (a, b) | CHECK (expr)` among a table's columns. */
export type TableConstraintNode =
  | { kind: 'primaryKey' | 'unique'; name?: string; columns: NameNode[]; pos: Position }
  | { kind: 'check'; name?: string; expr: ExprNode; pos: Position };

/** `CREATE TABLE #t (…)`, `CREATE TEMP|TEMPORARY TABLE [IF NOT EXISTS] t (…)`. */
export interface CreateTableNode {
  kind: 'createTable';
  name: string;
  temporary: boolean;
  ifNotExists: boolean;
  columns: ColumnDefinitionNode[];
  constraints: TableConstraintNode[];
  pos: Position;
}

/** `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON t (col [ASC|DESC], …)`. */
export interface CreateIndexNode {
  kind: 'createIndex';
  name: string;
  unique: boolean;
  ifNotExists: boolean;
  table: TableRefNode;
  columns: (NameNode & { direction: 'ASC' | 'DESC' })[];
  pos: Position;
}

export interface DropIndexNode {
  kind: 'dropIndex';
  name: string;
  ifExists: boolean;
  pos: Position;
}

/** `REINDEX [INDEX | TABLE] name`: rebuilds nothing (indexes here are kept exact), checks the name. */
export interface ReindexNode {
  kind: 'reindex';
  target?: 'INDEX' | 'TABLE';
  name: string;
  pos: Position;
}

/** `CREATE [TEMP|TEMPORARY] VIEW v [(a, b)] AS SELECT …`. */
export interface CreateViewNode {
  kind: 'createView';
  name: string;
  temporary: boolean;
  columns?: NameNode[];
  query: QueryNode;
  pos: Position;
}

export interface DropViewNode {
  kind: 'dropView';
  name: string;
  ifExists: boolean;
  pos: Position;
}

export interface DropTableNode {
  kind: 'dropTable';
  name: string;
  ifExists: boolean;
  pos: Position;
}

/** `EXPLAIN [ANALYZE] statement`. */
export interface ExplainNode {
  kind: 'explain';
  analyze: boolean;
  statement: QueryNode | InsertNode | UpdateNode | DeleteNode;
  pos: Position;
}

/**
 * `CACHE table` (the whole table copied into the local replica) or `CACHE SELECT … FROM table
 * [WHERE …]` (the rows it selects, whole, added to the copy).
 */
export interface CacheNode {
  kind: 'cache';
  table?: TableRefNode;
  query?: QueryNode;
  pos: Position;
}

export type StatementNode =
  | SelectNode
  | SetOperationNode
  | InsertNode
  | UpdateNode
  | DeleteNode
  | ExecNode
  | CreateTableNode
  | DropTableNode
  | CreateIndexNode
  | DropIndexNode
  | ReindexNode
  | CreateViewNode
  | DropViewNode
  | ExplainNode
  | CacheNode;
