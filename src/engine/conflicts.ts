// INSERT … ON CONFLICT (PostgreSQL) and INSERT OR REPLACE (SQLite) on a temporary table: what
// each proposed row does when it duplicates a unique key. Rows are taken one after another, as
// PostgreSQL does, so a row meets the rows the same statement inserted before it.

import type { UniqueKey } from './constraints.js';
import type { StagedWrite } from './staged-write.js';
import { ColumnValueError, type Row, type RowOutcome } from './table.js';

export interface ConflictRule {
  /** DO NOTHING, DO UPDATE, or REPLACE (the rows it duplicates are deleted, then it is inserted). */
  action: 'nothing' | 'update' | 'replace';
  /** The key `ON CONFLICT (cols)` names; absent, every unique key counts. */
  key?: UniqueKey;
  /** DO UPDATE: the existing row's new version, or undefined when DO UPDATE's WHERE is not true. */
  update?: (existing: Row, proposed: Row, rowIndex: number) => Row | undefined;
}

/** Stages each row by the rule; a skipped row is reported `absent` (neither written nor failed). */
export function stageWithConflicts(stage: StagedWrite, rows: readonly Row[], rule: ConflictRule): RowOutcome[] {
  const keys = stage.constraints.uniqueKeys;
  const watched = rule.key && rule.action !== 'replace' ? [keys.indexOf(rule.key)] : keys.map((_, k) => k);
  return rows.map((row, index): RowOutcome => {
    // The proposed row must be valid on its own, conflict or not (PostgreSQL checks it first).
    stage.constraints.checkRow(row, index);
    const holders: Row[] = [];
    for (const k of watched) {
      const holder = stage.holder(k, row);
      if (holder && !holders.includes(holder)) holders.push(holder);
    }
    if (holders.length === 0) {
      stage.insert(row, index);
      return { index, ok: true, row: [...row] };
    }
    switch (rule.action) {
      case 'nothing':
        return { index, ok: false, absent: true, error: new Error(`row ${index + 1} duplicates a key and was skipped (DO NOTHING)`) };
      case 'replace':
        for (const holder of holders) stage.delete(holder);
        stage.insert(row, index);
        return { index, ok: true, row: [...row] };
      case 'update': {
        const existing = holders[0]!;
        if (stage.wrote(existing)) {
          const key = rule.key ?? keys[watched[0]!]!;
          const column = stage.constraints.columns[key.columns[0]!]!.name;
          throw new ColumnValueError(column, `ON CONFLICT DO UPDATE cannot change the same row twice (key ${key.name})`, index);
        }
        const next = rule.update!(existing, row, index);
        if (!next) return { index, ok: false, absent: true, error: new Error(`row ${index + 1}: DO UPDATE's WHERE is not true; skipped`) };
        stage.update([{ old: existing, next, rowIndex: index }]);
        return { index, ok: true, row: [...next] };
      }
    }
  });
}
