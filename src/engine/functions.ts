// The function registry: scalar functions (evaluated per row) and aggregates (folded over all
// rows). Names are upper case, as the parser delivers them. Scalar functions return NULL for
// NULL input (CONCAT, COALESCE, ISNULL, ISNUMERIC excepted, as in SQL) and for arguments they
// cannot use (a negative length, an unknown date part, SQRT(-1)) rather than throwing, so a
// bad row never aborts a scan. The binder checks arity (minArgs/maxArgs) and reports unknown
// names, both as SqlError at the call. The scalars live in functions/, one file per family.

import type { DataType, SqlValue } from './table.js';
import type { BoundExpr } from './bound.js';
import { dateFunctions } from './functions/date.js';
import { jsonFunctions } from './functions/json.js';
import { mathFunctions } from './functions/math.js';
import { textFunctions } from './functions/text.js';
import { typeFunctions } from './functions/types.js';
import { pgAggregates } from './functions/pg-aggregates.js';
import { pgJsonbAggregates, pgJsonbFunctions } from './functions/pg-jsonb.js';
import { pgTextFunctions } from './functions/pg-text.js';
import { pgMathFunctions } from './functions/pg-math.js';
import { pgDateLibrary } from './functions/pg-date-library.js';
import { pgScalars } from './functions/pg-scalars.js';
import { pgJsonFunctions } from './functions/pg-json.js';
import { pgPredicates } from './functions/pg-predicates.js';
import { pgRegexFunctions } from './functions/pg-regex.js';
import { pgDateFunctions } from './functions/pg-dates.js';
import { orderedSetAggregates } from './functions/ordered-set.js';
import { AVG, SUM } from './functions/sums.js';
import { MAX, MIN } from './functions/extremes.js';
import { pgArrayFunctions } from './functions/pg-arrays.js';

export interface ScalarFunction {
  name: string;
  minArgs: number;
  maxArgs: number;
  /** The result type from the argument types; null when only the values can tell (JSON_EXTRACT). */
  returnType(argTypes: (DataType | null)[]): DataType | null;
  call(args: SqlValue[]): SqlValue;
  /**
   * Argument positions that take a keyword rather than a value — the date part of DATEADD,
   * DATEDIFF, DATEPART, DATE_TRUNC. SQL Server writes it bare (`DATEADD(day, 1, Created)`);
   * a binder that honours this binds an unqualified column reference at these positions as
   * the string constant of its name ('day'). A string literal ('day') works either way.
   */
  keywordArgs?: readonly number[];
  /**
   * A value of the statement rather than of the arguments; the binder puts it in place of the
   * call. 'now' (NOW() and synonyms): one instant for every call in the statement, in every
   * row and clause. 'lastInsertId' (SCOPE_IDENTITY()): the Id the session last created.
   */
  statementValue?: 'now' | 'today' | 'lastInsertId';
  /**
   * The variant for these arguments, chosen once while binding (EXTRACT's result scale depends on
   * its source's type); `refuse` raises a SqlError at the call for arguments it cannot take.
   */
  specialize?(args: readonly { type: DataType | null; constant?: SqlValue }[], refuse: (message: string) => never): ScalarFunction;
  /** Written between its two arguments (`a ->> b`, `a IS DISTINCT FROM b`) in EXPLAIN and messages. */
  infix?: string;
  /** Written after its one argument (`x IS TRUE`). */
  postfix?: string;
  /** The function with the statement's clock bound in (age(ts) counts from today). */
  withNow?(now: Date): ScalarFunction;
  /** A new value each call (random(), gen_random_uuid()): never folded into a constant. */
  volatile?: boolean;
  /** Its text results are JSON (jsonb_build_object, ->): a client is told the column is json. */
  returnsJson?: boolean;
  /**
   * The function for arguments of which these are JSON (a json column, a -> result): to_jsonb
   * and jsonb_build_object nest a JSON argument as the value it holds, not as a string.
   */
  withJsonArgs?(json: boolean[]): ScalarFunction;
  /**
   * A set-returning function (`unnest`): `call` gives a ValueSet of values, and a select list
   * that calls it yields a row per value (value-sets.ts). `returnType` is one value's type.
   */
  setReturning?: true;
  /** The result type from the bound arguments, where their types alone cannot tell (a field of a record a call makes); null: ask returnType. */
  typeOf?(args: readonly BoundExpr[]): DataType | null;
  /** A function that makes records: the type of each field. */
  recordFields?: Readonly<Record<string, DataType>>;
}

export interface Accumulator {
  add(value: SqlValue): void;
  result(): SqlValue;
  /**
   * The inverse of add, for a value added before: a sliding window frame (`ROWS BETWEEN 29
   * PRECEDING AND CURRENT ROW`) then moves in one step per row instead of folding each frame
   * afresh. Only where the result stays what a fresh fold gives (SUM, COUNT, AVG).
   */
  remove?(value: SqlValue): void;
}

export interface AggregateFunction {
  name: string;
  /** COUNT alone accepts `*`. */
  allowsStar: boolean;
  /** Arguments after the first that must be constants (string_agg's delimiter); 0 when absent. */
  constantArgs?: number;
  /** The function with its constant arguments fixed. */
  configure?(constants: SqlValue[]): AggregateFunction;
  /** Printed after the argument (`, ','`), so EXPLAIN and aggregate matching tell configurations apart. */
  argsSuffix?: string;
  /**
   * An ordered-set aggregate (`percentile_cont(0.5) WITHIN GROUP (ORDER BY x)`): configured with
   * its direct arguments and, last, whether the order is descending; the ORDER BY expression
   * is its input.
   */
  orderedSet?: boolean;
  returnType(argType: DataType | null): DataType;
  /** Its results are JSON text (jsonb_agg). */
  returnsJson?: boolean;
  /** The aggregate for an argument that is JSON (jsonb_agg of a json column nests its values). */
  withJsonArg?(json: boolean): AggregateFunction;
  /**
   * MIN and MAX: whether `candidate` replaces `best` (ties keep the first), so that a sliding
   * window frame can keep its candidates in a monotonic queue instead of folding each frame.
   */
  replaces?(candidate: SqlValue, best: SqlValue): boolean;
  /** The variant for an argument of this type (SUM and AVG of integers, numerics, doubles); the binder asks once. */
  forArgType?(argType: DataType | null): AggregateFunction;
  create(): Accumulator;
}

/** SCOPE_IDENTITY() (SQL Server), LAST_INSERT_ID() (MySQL): the Id the session last created. */
function identityFunction(name: string): ScalarFunction {
  return { name, minArgs: 0, maxArgs: 0, returnType: () => 'String', call: () => null, statementValue: 'lastInsertId' };
}

const scalarList: ScalarFunction[] = [
  ...textFunctions, ...mathFunctions, ...dateFunctions, ...jsonFunctions, ...typeFunctions, ...pgScalars, ...pgJsonFunctions, ...pgJsonbFunctions, ...pgTextFunctions, ...pgMathFunctions, ...pgDateLibrary, ...pgPredicates, ...pgRegexFunctions, ...pgDateFunctions, ...pgArrayFunctions,
  identityFunction('SCOPE_IDENTITY'), identityFunction('LAST_INSERT_ID'),
];

const scalars = new Map(scalarList.map((f) => [f.name, f]));

export function findScalarFunction(name: string): ScalarFunction | undefined {
  return scalars.get(name.toUpperCase());
}

// ---------------------------------------------------------------------------------------------
// Aggregates: NULL inputs are skipped; over no rows COUNT is 0 and the others NULL.

const aggregateList: AggregateFunction[] = [
  {
    name: 'COUNT',
    allowsStar: true,
    returnType: () => 'Long',
    create() {
      let count = 0;
      return {
        add(value) {
          if (value !== null) count++;
        },
        remove(value) {
          if (value !== null) count--;
        },
        result: () => count,
      };
    },
  },
  SUM,
  AVG,
  MIN,
  MAX,
  ...pgAggregates,
  ...pgJsonbAggregates,
  ...orderedSetAggregates,
];

const aggregates = new Map(aggregateList.map((f) => [f.name, f]));

export function findAggregateFunction(name: string): AggregateFunction | undefined {
  return aggregates.get(name.toUpperCase());
}

/** Every function name, for "did you mean" suggestions. */
export function functionNames(): string[] {
  return [...scalars.keys(), ...aggregates.keys()];
}
