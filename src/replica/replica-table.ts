// A replica table as an engine Table: the same name and columns as the Stripe table it copies,
// read with one SELECT on the store. Every predicate the store evaluates as the engine would is
// pushed into its WHERE, and ORDER BY and LIMIT follow (select-sql.ts); EXPLAIN shows the SQL.
// Writes are not the replica's: they go to the Stripe table (or are refused, offline).

import type {
  DeleteRequest, ExecContext, InsertRequest, Predicate, Row, ScanPlan, ScanRequest, SqlValue, Table, UpdateRequest, WriteOutcome, WriteResult,
  WriteVerb,
} from '../engine/table.js';
import { buildSelect, type ReplicaSelect } from './select-sql.js';
import type { ReplicaSchema, ReplicaStore, StoredValue } from './store.js';

class ReplicaScanPlan implements ScanPlan {
  readonly pushed: Predicate[];
  readonly residual: Predicate[];
  readonly orderSatisfied: boolean;
  readonly limitApplied: boolean;
  readonly estimatedRequests = 0;

  constructor(
    readonly table: ReplicaTable,
    readonly select: ReplicaSelect,
    private readonly lines: () => string[],
  ) {
    this.pushed = select.pushed;
    this.residual = select.residual;
    this.orderSatisfied = select.orderSatisfied;
    this.limitApplied = select.limitApplied;
  }

  describe(): string[] {
    return this.lines();
  }
}

export interface ReplicaTableOptions {
  /** Where INSERT, UPDATE, DELETE go: the Stripe table. Absent: the replica table takes no writes. */
  writer?: Table;
  /** Why every write is refused while it is planned (offline), though the writer would take it. */
  refusal?: string;
}

export class ReplicaTable implements Table {
  readonly name: string;
  readonly columns: Table['columns'];
  /** The Stripe table's definition, so sys_tables and db.tables() describe this one as they describe it. */
  readonly def?: unknown;
  readonly rowIdentity?: readonly string[];
  readonly insert?: (request: InsertRequest, ctx: ExecContext) => Promise<WriteResult>;
  readonly insertRows?: (request: InsertRequest, ctx: ExecContext) => Promise<WriteOutcome>;
  readonly update?: (request: UpdateRequest, ctx: ExecContext) => Promise<WriteOutcome>;
  readonly delete?: (request: DeleteRequest, ctx: ExecContext) => Promise<WriteOutcome>;

  constructor(
    /** The Stripe table this one copies: its name and columns are this table's. */
    source: Table,
    readonly schema: ReplicaSchema,
    private readonly store: ReplicaStore,
    private readonly options: ReplicaTableOptions = {},
  ) {
    this.name = source.name;
    this.columns = source.columns;
    const def = (source as { def?: unknown }).def;
    if (def !== undefined) this.def = def;
    const writer = options.writer;
    if (writer) {
      if (writer.rowIdentity) this.rowIdentity = writer.rowIdentity;
      if (writer.insert) this.insert = writer.insert.bind(writer);
      if (writer.insertRows) this.insertRows = writer.insertRows.bind(writer);
      if (writer.update) this.update = writer.update.bind(writer);
      if (writer.delete) this.delete = writer.delete.bind(writer);
    }
  }

  checkWrite(verb: WriteVerb, columns: readonly string[]): void {
    const { writer, refusal } = this.options;
    if (refusal !== undefined) throw new Error(refusal);
    if (!writer) throw new Error(`${this.name} is a replica table: ${verb} is not taken`);
    writer.checkWrite?.(verb, columns);
  }

  plan(request: ScanRequest): ScanPlan {
    const select = buildSelect(this.schema, request, this.store.dialect);
    const plan: ReplicaScanPlan = new ReplicaScanPlan(this, select, () => this.describePlan(plan));
    return plan;
  }

  async *scan(plan: ScanPlan, ctx: ExecContext): AsyncIterable<Row> {
    for await (const batch of this.scanBatches(plan, ctx)) yield* batch;
  }

  async *scanBatches(plan: ScanPlan, ctx: ExecContext): AsyncIterable<Row[]> {
    const { select } = this.ownPlan(plan);
    const columns = this.schema.columns;
    const width = columns.length;
    const dialect = this.store.dialect;
    const targets = select.selected;
    for await (const batch of this.store.select(select.query, ctx.signal)) {
      yield batch.map((stored) => {
        const row: SqlValue[] = new Array<SqlValue>(width).fill(null);
        for (let j = 0; j < targets.length; j++) {
          const at = targets[j]!;
          row[at] = dialect.fromStored(stored[j], columns[at]!);
        }
        return row;
      });
    }
  }

  private ownPlan(plan: ScanPlan): ReplicaScanPlan {
    if (plan instanceof ReplicaScanPlan && plan.table === this) return plan;
    throw new Error(`${this.name}.scan() was given a plan made by another table`);
  }

  private describePlan(plan: ReplicaScanPlan): string[] {
    const { query } = plan.select;
    const lines = [`ReplicaScan ${this.name} (${this.store.kind} ${this.store.location}): ${query.sql}`];
    if (query.params.length > 0) lines.push(`parameters: ${query.params.map(showStored).join(', ')}`);
    if (plan.pushed.length > 0) lines.push(`pushed: ${plan.pushed.map((p) => p.text).join(' AND ')}`);
    if (plan.residual.length > 0) lines.push(`residual: ${plan.residual.map((p) => p.text).join(' AND ')}`);
    return lines;
  }
}

function showStored(value: StoredValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return String(value);
}
