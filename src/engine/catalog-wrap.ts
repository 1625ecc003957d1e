// For catalogs that wrap another (a session's temporary tables, Tables=/Readonly=, system
// tables): the wrapped catalog's stored procedures and its CACHE target, passed through unchanged.

import type { Catalog } from './table.js';

export function procedureMembers(catalog: Catalog): Pick<Catalog, 'procedures' | 'callProcedure' | 'cache'> {
  return {
    ...(catalog.procedures ? { procedures: catalog.procedures.bind(catalog) } : {}),
    ...(catalog.callProcedure ? { callProcedure: catalog.callProcedure.bind(catalog) } : {}),
    ...(catalog.cache ? { cache: catalog.cache } : {}),
  };
}
