// Name resolution for one query level: the FROM sources laid side by side in one row (each at
// its offset), and the enclosing query's scope for correlated subqueries.

import type { Column, Row } from './table.js';

export interface ScopeSource {
  /** Table name (or the derived table's alias). */
  name: string;
  alias?: string;
  columns: readonly Column[];
  /** Index of the source's first column in the combined row. */
  offset: number;
}

/** Holds the outer query's current row while a correlated subquery runs for it. */
export interface OuterRow {
  row: Row;
}

export type Resolution =
  | { kind: 'found'; index: number; column: Column; source: ScopeSource; depth: number; scope: Scope }
  | { kind: 'ambiguous'; sources: ScopeSource[] }
  | { kind: 'unknownQualifier' }
  | { kind: 'unknownColumn'; sources: ScopeSource[] };

export class Scope {
  readonly columns: Column[] = [];
  readonly outerRow: OuterRow = { row: [] };
  /**
   * Set when a query nested in this one (at any depth) read a column of this query or of one
   * enclosing it: a subquery bound here must then run again for each row.
   */
  correlated = false;
  /**
   * While set, nested queries bind this query's columns as constants (the current outer row's
   * values), so a correlated subquery re-planned per row gets its predicates pushed down.
   */
  frozen = false;
  /** `JOIN … USING (name)`: the column an unqualified `name` means, by lower-case name. */
  readonly usingColumns = new Map<string, number>();

  constructor(
    readonly sources: ScopeSource[],
    readonly outer: Scope | null = null,
  ) {
    for (const source of sources) this.columns.push(...source.columns);
  }

  static single(name: string, alias: string | undefined, columns: readonly Column[], outer: Scope | null = null): Scope {
    return new Scope([{ name, ...(alias !== undefined ? { alias } : {}), columns, offset: 0 }], outer);
  }

  get width(): number {
    return this.columns.length;
  }

  /**
   * The sources a qualifier names: by alias when the source has one, else by table name. As in
   * standard SQL, an alias hides the table's own name: in `FROM t1 AS x`, `t1.b` is not x's b
   * (in a subquery it reaches the enclosing query's t1).
   */
  sourcesNamed(qualifier: string): ScopeSource[] {
    const q = qualifier.toLowerCase();
    return this.sources.filter((s) => (s.alias ?? s.name).toLowerCase() === q);
  }

  /** Sources whose table name (hidden by an alias) is `qualifier`: for a helpful error. */
  aliasedSourcesOf(qualifier: string): ScopeSource[] {
    const q = qualifier.toLowerCase();
    return this.sources.filter((s) => s.alias !== undefined && s.name.toLowerCase() === q);
  }

  /** Resolves here first, then in the enclosing scopes (marking the path as correlated). */
  resolve(qualifier: string | undefined, name: string): Resolution {
    const local = this.resolveLocal(qualifier, name);
    if (local.kind === 'found' || local.kind === 'ambiguous' || !this.outer) return local;
    const outer = this.outer.resolve(qualifier, name);
    if (outer.kind === 'found') {
      this.outer.correlated = true;
      return { ...outer, depth: outer.depth + 1 };
    }
    return outer.kind === 'ambiguous' ? outer : local;
  }

  private resolveLocal(qualifier: string | undefined, name: string): Resolution {
    const candidates = qualifier === undefined ? this.sources : this.sourcesNamed(qualifier);
    if (qualifier !== undefined && candidates.length === 0) return { kind: 'unknownQualifier' };
    const lower = name.toLowerCase();
    const matches: { source: ScopeSource; at: number }[] = [];
    for (const source of candidates) {
      const at = source.columns.findIndex((c) => c.name.toLowerCase() === lower);
      if (at >= 0) matches.push({ source, at });
    }
    // As PostgreSQL users write them: `period_end` is PeriodEnd (underscores and case set aside).
    if (matches.length === 0 && name.includes('_')) {
      const loose = lower.replace(/_/g, '');
      for (const source of candidates) {
        const at = source.columns.findIndex((c) => c.name.toLowerCase().replace(/_/g, '') === loose);
        if (at >= 0) matches.push({ source, at });
      }
    }
    if (matches.length === 0) return { kind: 'unknownColumn', sources: candidates };
    if (matches.length > 1) {
      const using = qualifier === undefined ? this.usingColumns.get(lower) : undefined;
      const chosen = using === undefined ? undefined : matches.find((m) => m.source.offset + m.at === using);
      if (!chosen) return { kind: 'ambiguous', sources: matches.map((m) => m.source) };
      matches.splice(0, matches.length, chosen);
    }
    const { source, at } = matches[0]!;
    return { kind: 'found', index: source.offset + at, column: source.columns[at]!, source, depth: 0, scope: this };
  }
}
