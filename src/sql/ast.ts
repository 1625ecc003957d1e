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
  pos: Position;
}

/** A column reference: `Name`, `t.Name`, `[Name]`, `"Name"`. */
export interface ColumnRefNode {
  kind: 'column';
  table?: string;
  name: string;
  pos: Position;
}

/** `?` (positional, numbered 0,1,2… in order of appearance) or `@name`. */
export interface ParameterNode {
  kind: 'parameter';
  index?: number;
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
  | FunctionCallNode;

// ---------------------------------------------------------------------------------------------
// Statements

export interface TableRefNode {
  kind: 'table';
  name: string;
  alias?: string;
  pos: Position;
}

export type SelectItemNode =
  | { kind: 'star'; table?: string; pos: Position }
  | { kind: 'expr'; expr: ExprNode; alias?: string; pos: Position };

export interface OrderByItemNode {
  expr: ExprNode;
  direction: 'ASC' | 'DESC';
  nulls?: 'FIRST' | 'LAST';
  pos: Position;
}

export interface SelectNode {
  kind: 'select';
  distinct: boolean;
  columns: SelectItemNode[];
  from?: TableRefNode;
  where?: ExprNode;
  orderBy: OrderByItemNode[];
  limit?: ExprNode;
  offset?: ExprNode;
  pos: Position;
}

export interface InsertNode {
  kind: 'insert';
  table: TableRefNode;
  columns: { name: string; pos: Position }[];
  rows: ExprNode[][];
  pos: Position;
}

export type StatementNode = SelectNode | InsertNode;
