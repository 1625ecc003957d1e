// For catalogs that wrap another (a session's temporary tables, Tables=/Readonly=, system
// tables): the wrapped catalog's stored procedures, passed through unchanged.

import type { Catalog } from './table.js';

export function procedureMembers(catalog: Catalog): Pick<Catalog, 'procedures' | 'callProcedure'> {
  return {
    ...(catalog.procedures ? { procedures: catalog.procedures.bind(catalog) } : {}),
    ...(catalog.callProcedure ? { callProcedure: catalog.callProcedure.bind(catalog) } : {}),
  };
}
