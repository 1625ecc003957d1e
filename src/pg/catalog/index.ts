// Introspection: the pg_catalog and information_schema queries clients send, answered from
// the connection's tables() metadata. (Filled in below.)
import type { Statement } from '../statement.js';
import type { SessionApi } from '../commands.js';
import type { Connection } from '../../index.js';

export interface CatalogSession extends SessionApi {
  readonly connection: Connection;
}

export function catalogStatement(_sql: string, _session: CatalogSession): Statement | undefined {
  return undefined;
}
