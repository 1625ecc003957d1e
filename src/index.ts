// The public face of stripe-sql: connect(), the result types and the error classes.
export { connect, Connection } from './connection.js';
export type {
  ConnectOptions,
  QueryOptions,
  QueryResult,
  ExecuteResult,
  ResultColumn,
  RowObject,
  TableMetadata,
  BatchResult,
  BatchItemResult,
  SqlValue,
  ExplainOptions,
  JsonPlanNode,
} from './connection.js';
export type { DataType } from './engine/table.js';
/** A Decimal value: exact digits and scale; String(value) is every digit, as PostgreSQL prints numeric. */
export { Numeric } from './engine/numeric.js';
export type { SyncProgress, SyncReport, TableSyncResult } from './replica/index.js';
export { PreparedStatement, type ParameterDescription } from './prepared.js';
export type { ParamValues } from './engine/index.js';
export { SqlError } from './sql/errors.js';
export { BatchError } from './batch.js';
export { PartialWriteError } from './engine/index.js';
export { StripeApiError, ConnectionError } from './stripe/errors.js';
