import type { Position } from './ast.js';

/**
 * A problem with the SQL text itself or with what it names (unknown table or column, wrong
 * type). Carries the position and an excerpt of the offending line with a caret under it.
 * Raised before any request is sent.
 */
export class SqlError extends Error {
  override name = 'SqlError';
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The offending line and a caret under the position, ready to print. */
  readonly excerpt: string;
  /** The message without the position suffix. */
  readonly reason: string;

  constructor(reason: string, sql: string, pos: Position) {
    super(`${reason} (line ${pos.line}, column ${pos.column})\n${excerptAt(sql, pos)}`);
    this.reason = reason;
    this.line = pos.line;
    this.column = pos.column;
    this.offset = pos.offset;
    this.excerpt = excerptAt(sql, pos);
  }
}

/** Position of `offset` in `sql`, with 1-based line and column. */
export function positionAt(sql: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < sql.length; i++) {
    if (sql[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

function excerptAt(sql: string, pos: Position): string {
  const lines = sql.split('\n');
  const text = (lines[pos.line - 1] ?? '').replace(/\t/g, ' ');
  return `${text}\n${' '.repeat(Math.max(0, pos.column - 1))}^`;
}
