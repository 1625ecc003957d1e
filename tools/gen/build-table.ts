// One discovered resource → its TableDef: columns, parent, filters, defaults and write params.

import type { ColumnDef, FilterCapability, ParentDef, TableDef } from '../../src/catalog/types.js';
import { objectColumns, firstSentence } from './columns.js';
import { runtimePath, type DiscoveredTable } from './discover.js';
import { listFilters, listPaging } from './filters.js';
import { ACCOUNT_PSEUDO_COLUMN, parentColumnName, pascal, queryParents, singular } from './naming.js';
import type { Spec } from './spec.js';
import { TABLE_DESCRIPTIONS } from './table-descriptions.js';
import { addWriteOnlyColumns, assignWriteParams, requiredCreateColumns } from './write-params.js';

export interface BuildContext {
  spec: Spec;
  /** Table name by spec list path, for parents that can be iterated (lists with no required parameter). */
  tableByListPath: Map<string, string>;
  /** Default params of each table by spec list path (a parent's list must not hide parents either). */
  defaultsByListPath: Map<string, Record<string, string>>;
}

export function buildTable(ctx: BuildContext, found: DiscoveredTable): TableDef {
  const { spec } = ctx;
  const schema = spec.components.schemas[found.schema]!;
  const columns = objectColumns(spec, schema);
  const filters: FilterCapability[] = [];
  const placeholder = found.pathParent?.placeholder;
  let parent: ParentDef | undefined;

  if (found.pathParent) {
    const { parentPath, parentName } = found.pathParent;
    const param = placeholder!.slice(1, -1);
    const fieldName = param === 'id' ? singular(parentPath.split('/').pop()!) : param;
    const column = makeParentColumn(columns, parentColumnName(parentName), fieldName, `Id of the parent ${parentName} object the row belongs to.`);
    parent = { column: column.name, in: 'path', param, ...iterable(ctx, parentPath, parentName) };
  }

  const listOp = found.specPaths.list ? spec.paths[found.specPaths.list]!.get : undefined;
  const list = listOp ? listFilters(spec, found.specPaths.list!, listOp, columns) : undefined;
  if (list) {
    const queryParent = list.requiredParams.length === 1 && !parent ? queryParentOf(found.specPaths.list!, list.requiredParams[0]!) : undefined;
    if (queryParent && ctx.tableByListPath.has(queryParent)) {
      const param = list.requiredParams[0]!;
      const parentName = ctx.tableByListPath.get(queryParent)!;
      // `account` would read as the AccountId pseudo-column (Stripe-Account): name it by its table.
      const columnName = `${pascal(param)}Id` === ACCOUNT_PSEUDO_COLUMN ? parentColumnName(parentName) : `${pascal(param)}Id`;
      list.filters = list.filters.filter((f) => f.param !== param);
      list.paramColumns = list.paramColumns.filter((c) => c.param !== param);
      const column = makeParentColumn(columns, columnName, param, `Id of the ${parentName} object the row belongs to (required by the list).`);
      parent = { column: column.name, in: 'query', param, ...iterable(ctx, queryParent, parentName) };
    }
    columns.push(...list.paramColumns);
  }

  if (parent) filters.push({ column: parent.column, ops: ['=', 'IN'], param: parent.param, kind: 'parent', ...(parent.listPath ? {} : { required: true }) });
  const keyed = columns.find((c) => c.field === 'id');
  // A child named in the list's query (SubscriptionItems: ?subscription=) is retrieved by its id
  // alone; one named in the path (/v1/customers/{customer}/tax_ids/{id}) needs its parent too.
  if (found.specPaths.retrieve && keyed) {
    const needsParent = runtimePath(found.specPaths.retrieve, placeholder)?.includes('{parent}') === true;
    filters.push({ column: keyed.name, ops: ['=', 'IN'], param: 'id', kind: 'retrieve', ...(needsParent ? { needsParent: true } : {}) });
  }
  if (list) filters.push(...list.filters);
  filters.push({ column: ACCOUNT_PSEUDO_COLUMN, ops: ['=', 'IN'], param: 'Stripe-Account', kind: 'account' });

  // Read-only in Stripe (no create, update or delete endpoint): a view, as the reference calls them.
  const isView = found.kind === 'view' || (!found.specPaths.create && !found.specPaths.update && !found.specPaths.delete);
  const create = !isView && found.specPaths.create ? spec.paths[found.specPaths.create]!.post : undefined;
  const update = !isView && found.specPaths.update ? spec.paths[found.specPaths.update]!.post : undefined;
  assignWriteParams(spec, columns, create, update);
  addWriteOnlyColumns(spec, columns, create);
  for (const column of columns) {
    const writable = column.createParam !== undefined || column.updateParam !== undefined ||
      (column.encoding === 'parent' && create !== undefined && parent?.in === 'path');
    if (!writable && !column.pseudo) column.readOnly = true;
  }
  columns.push({ name: ACCOUNT_PSEUDO_COLUMN, type: 'String', pseudo: true, encoding: 'account', description: 'Connected account to read from or write to (Stripe-Account header).' });

  const paths: TableDef['paths'] = {};
  for (const key of ['list', 'retrieve', 'create', 'update', 'delete', 'search'] as const) {
    const path = runtimePath(found.specPaths[key], placeholder);
    if (path && !(isView && key !== 'list' && key !== 'retrieve')) paths[key] = path;
  }

  const def: TableDef = {
    name: found.name,
    description: TABLE_DESCRIPTIONS[found.name] ?? found.description ?? firstSentence(schema.description) ?? `Stripe ${schema['x-resourceId'] ?? found.schema} objects.`,
    resource: schema['x-resourceId'] ?? found.schema,
    ...(isView ? { kind: 'view' as const } : {}),
    paths,
    columns,
    filters,
  };
  if (create) {
    const required = requiredCreateColumns(spec, columns, create);
    if (parent?.in === 'path') required.unshift(parent.column);
    def.insert = { required };
  }
  if (parent) def.parent = parent;
  if (list && list.defaultParams.length > 0) def.defaultParams = list.defaultParams;
  if (found.singleton) def.singleton = { path: runtimePath(found.singleton.path, placeholder)!, ...(found.singleton.rows ? { rows: found.singleton.rows } : {}) };
  const paging = listOp ? listPaging(listOp) : undefined;
  if (paging) def.paging = paging;
  return def;
}

/** The column holding the parent id: the field naming the parent, renamed, or a new column after Id. */
function makeParentColumn(columns: ColumnDef[], name: string, fieldName: string, description: string): ColumnDef {
  const existing = columns.findIndex((c) => c.field === fieldName && (c.encoding === 'id' || c.encoding === 'scalar' || c.encoding === 'param') && c.type === 'String');
  const clash = columns.findIndex((c) => c.name === name);
  if (clash >= 0 && clash !== existing) columns[clash]!.name = `${name}Field`;
  if (existing >= 0) {
    const column = columns[existing]!;
    const merged: ColumnDef = { name, type: 'String', encoding: 'parent', ...(column.field ? { field: column.field } : {}), description: column.description ?? description };
    if (column.encoding === 'param') delete merged.field;
    columns[existing] = merged;
    return merged;
  }
  const column: ColumnDef = { name, type: 'String', encoding: 'parent', description };
  columns.splice(columns[0]?.field === 'id' ? 1 : 0, 0, column);
  return column;
}

function iterable(ctx: BuildContext, parentPath: string, parentName: string): Pick<ParentDef, 'table' | 'listPath' | 'listParams' | 'paging'> {
  const table = ctx.tableByListPath.get(parentPath);
  if (!table) return {};
  const defaults = ctx.defaultsByListPath.get(parentPath);
  const listOp = ctx.spec.paths[parentPath]?.get;
  const paging = listOp ? listPaging(listOp) : undefined;
  return {
    table: parentName, listPath: parentPath,
    ...(defaults && Object.keys(defaults).length > 0 ? { listParams: defaults } : {}),
    ...(paging ? { paging } : {}),
  };
}

function queryParentOf(listPath: string, param: string): string | undefined {
  return queryParents[`${listPath} ${param}`] ?? queryParents[param];
}

