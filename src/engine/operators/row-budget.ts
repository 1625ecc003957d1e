// What every operator that holds rows (sort, aggregate, DISTINCT, set operations, joins) watches
// while it works: the caller's cancel, checked at least once per batch (or per row where rows
// come one at a time), and the cap on the rows it may hold at once (ExecContext
// .maxIntermediateRows, the MaxIntermediateRows connection property), so one query cannot take
// all the memory there is.

export interface OperatorLimits {
  signal?: AbortSignal;
  /** Rows one operator may hold at once; undefined = no cap. */
  maxIntermediateRows?: number;
}

/**
 * An operator would hold more rows than MaxIntermediateRows allows. The connection reports it as
 * a SqlError at the statement (engine/statement-errors.ts).
 */
export class IntermediateRowsExceeded extends Error {
  override name = 'IntermediateRowsExceeded';
  constructor(
    /** What was holding the rows: Sort, Aggregate, Distinct, Hash Join, UNION, … */
    readonly operator: string,
    readonly limit: number,
  ) {
    super(`${operator} would hold more than ${limit} rows (MaxIntermediateRows = ${limit}): narrow the query with WHERE or LIMIT, or raise MaxIntermediateRows`);
  }
}

/** The most rows an operator may hold under `limits` (Infinity when there is no cap). */
export function rowCap(limits: OperatorLimits | undefined): number {
  return limits?.maxIntermediateRows ?? Infinity;
}

/** Throws IntermediateRowsExceeded when `held` rows are more than `cap`. */
export function checkHeld(operator: string, held: number, cap: number): void {
  if (held > cap) throw new IntermediateRowsExceeded(operator, cap);
}
