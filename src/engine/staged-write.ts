// One statement's changes to a temporary table, checked against the table's constraints and
// applied at once: a statement that breaks a constraint changes nothing (all or nothing, as in
// PostgreSQL). Rows change only on commit(); the unique keys' lookup maps (KeyIndexes, kept
// between statements so that a one-row INSERT into a big table costs a lookup per key, not a
// scan) change as the statement goes, each change logged so that rollback() can undo it.

import type { KeyValue, TableConstraints } from './constraints.js';
import type { Row } from './table.js';

/** Per unique key of the table: key value → the row holding it. */
export class KeyIndexes {
  private maps: Map<KeyValue, Row>[] = [];
  private builtKeys: string | undefined;
  private rowCount = -1;

  /**
   * The maps for the rows as they are. Rebuilt when the keys changed (CREATE / DROP INDEX) or
   * rows were added behind the table's back (anything but a committed stage changes the count).
   */
  current(rows: readonly Row[], constraints: TableConstraints): Map<KeyValue, Row>[] {
    const keys = constraints.uniqueKeys;
    const signature = keys.map((k) => `${k.name}(${k.columns.join(',')})`).join(' ');
    if (this.rowCount !== rows.length || this.builtKeys !== signature) {
      this.maps = keys.map((key) => {
        const map = new Map<KeyValue, Row>();
        for (const row of rows) {
          const value = constraints.keyOf(key, row);
          if (value !== undefined) map.set(value, row);
        }
        return map;
      });
      this.builtKeys = signature;
      this.rowCount = rows.length;
    }
    return this.maps;
  }

  /** After a committed stage: the maps already hold the new state. */
  synced(rowCount: number): void {
    this.rowCount = rowCount;
  }
}

/** The table a stage writes: its rows (changed in place on commit), constraints and key maps. */
export interface StageTarget {
  readonly rows: Row[];
  readonly constraints: TableConstraints;
  readonly keyIndexes: KeyIndexes;
}

export class StagedWrite {
  private readonly maps: Map<KeyValue, Row>[];
  // The undo log of the maps, as parallel arrays (no object per entry on a million-row insert):
  // which key's map, which value, and the row it held before (undefined: none).
  private readonly undoKey: number[] = [];
  private readonly undoValue: KeyValue[] = [];
  private readonly undoHolder: (Row | undefined)[] = [];
  /** Existing row → its new version, or null when deleted. */
  private readonly changes = new Map<Row, Row | null>();
  /** A new version → the existing row it replaces. */
  private readonly originOf = new Map<Row, Row>();
  /** Rows this statement adds, in order; null where a later change of the same statement deleted one. */
  private readonly inserted: (Row | null)[] = [];
  /** Where each inserted row is in `inserted`; built the first time a change needs it. */
  private insertedAt: Map<Row, number> | undefined;
  private done = false;

  constructor(private readonly target: StageTarget) {
    this.maps = target.keyIndexes.current(target.rows, target.constraints);
  }

  get constraints(): TableConstraints {
    return this.target.constraints;
  }

  /** The row holding `row`'s value of the key as staged so far, if any. */
  holder(keyIndex: number, row: Row): Row | undefined {
    const value = this.constraints.keyOf(this.constraints.uniqueKeys[keyIndex]!, row);
    return value === undefined ? undefined : this.maps[keyIndex]!.get(value);
  }

  /** Adds a row: NOT NULL, CHECK and every unique key are checked. */
  insert(row: Row, rowIndex: number): void {
    this.constraints.checkRow(row, rowIndex);
    this.index(row, rowIndex);
    this.insertedAt?.set(row, this.inserted.length);
    this.inserted.push(row);
  }

  /** Deletes a current row (one of the table's, or one this statement wrote). */
  delete(row: Row): void {
    this.unindex(row);
    const at = this.positions().get(row);
    if (at !== undefined) {
      this.inserted[at] = null;
      this.positions().delete(row);
      return;
    }
    this.changes.set(this.originOf.get(row) ?? row, null);
  }

  /**
   * Replaces current rows with new versions. Keys are checked once every pair has let go of its
   * old key, so `SET k = k + 1` over consecutive keys passes: uniqueness holds at the end of
   * the statement (as the SQL standard and a DEFERRABLE PostgreSQL constraint have it).
   */
  update(pairs: readonly { old: Row; next: Row; rowIndex: number }[]): void {
    for (const { next, rowIndex } of pairs) this.constraints.checkRow(next, rowIndex);
    for (const { old } of pairs) this.unindex(old);
    for (const { old, next, rowIndex } of pairs) {
      this.index(next, rowIndex);
      const positions = this.positions();
      const at = positions.get(old);
      if (at !== undefined) {
        this.inserted[at] = next;
        positions.delete(old);
        positions.set(next, at);
        continue;
      }
      const origin = this.originOf.get(old) ?? old;
      this.changes.set(origin, next);
      this.originOf.set(next, origin);
    }
  }

  /** Whether a current row was written by this statement (inserted or updated). */
  wrote(row: Row): boolean {
    return this.positions().has(row) || this.originOf.has(row);
  }

  /** Makes the staged changes the table's rows; the key maps already hold them. */
  commit(): void {
    this.done = true;
    const { rows, keyIndexes } = this.target;
    if (this.changes.size > 0) {
      let kept = 0;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        const change = this.changes.get(row);
        if (change === null) continue;
        rows[kept++] = change ?? row;
      }
      rows.length = kept;
    }
    // One push per row: spreading a million rows into push() overflows the call stack.
    for (const row of this.inserted) if (row !== null) rows.push(row);
    keyIndexes.synced(rows.length);
  }

  /** Undoes every change to the key maps: the table is as before the statement. */
  rollback(): void {
    if (this.done) return;
    this.done = true;
    for (let i = this.undoKey.length - 1; i >= 0; i--) {
      const map = this.maps[this.undoKey[i]!]!;
      const holder = this.undoHolder[i];
      if (holder === undefined) map.delete(this.undoValue[i]!);
      else map.set(this.undoValue[i]!, holder);
    }
  }

  /** Runs `write` over a fresh stage of the table: committed when it returns, rolled back when it throws. */
  static apply<T>(target: StageTarget, write: (stage: StagedWrite) => T): T {
    const stage = new StagedWrite(target);
    try {
      const result = write(stage);
      stage.commit();
      return result;
    } catch (error) {
      stage.rollback();
      throw error;
    }
  }

  private positions(): Map<Row, number> {
    if (!this.insertedAt) {
      this.insertedAt = new Map();
      this.inserted.forEach((row, at) => {
        if (row !== null) this.insertedAt!.set(row, at);
      });
    }
    return this.insertedAt;
  }

  private index(row: Row, rowIndex: number): void {
    const keys = this.constraints.uniqueKeys;
    for (let k = 0; k < keys.length; k++) {
      const value = this.constraints.keyOf(keys[k]!, row);
      if (value === undefined) continue;
      const map = this.maps[k]!;
      const holder = map.get(value);
      if (holder === row) continue;
      if (holder !== undefined) throw this.constraints.duplicateError(keys[k]!, row, rowIndex);
      this.log(k, value, undefined);
      map.set(value, row);
    }
  }

  private unindex(row: Row): void {
    const keys = this.constraints.uniqueKeys;
    for (let k = 0; k < keys.length; k++) {
      const value = this.constraints.keyOf(keys[k]!, row);
      if (value === undefined || this.maps[k]!.get(value) !== row) continue;
      this.log(k, value, row);
      this.maps[k]!.delete(value);
    }
  }

  private log(key: number, value: KeyValue, holder: Row | undefined): void {
    this.undoKey.push(key);
    this.undoValue.push(value);
    this.undoHolder.push(holder);
  }
}
