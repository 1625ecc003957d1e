import { checkExpandPaths, LIST_TYPE } from '../expand.js';
import { paginate, readListWindow } from '../list.js';
import { expandList, findOrThrow, renderList, type Route } from '../routes.js';
import { listParams, s } from '../schema.js';

// A tax calculation's line items. The spec has no retrieve for calculations, so the generic
// metadata cannot tell that the list belongs to one; this route checks the calculation
// exists (404 otherwise) and lists only its own items.

export const TAX_CALCULATION = 'tax.calculation';
export const TAX_CALCULATION_LINE_ITEM = 'tax.calculation_line_item';

export const taxCalculationRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/tax/calculations/{calculation}/line_items',
    params: s.object({ ...listParams }),
    handle(ctx, pathParams, params) {
      const id = pathParams.calculation as string;
      findOrThrow(ctx, TAX_CALCULATION, id, 'calculation');
      const expand = expandList(params);
      checkExpandPaths(`${LIST_TYPE}:${TAX_CALCULATION_LINE_ITEM}`, expand);
      const items = ctx.store.children(ctx.account, id, TAX_CALCULATION_LINE_ITEM);
      const page = paginate(items, readListWindow(params), TAX_CALCULATION_LINE_ITEM, (cursor) => items.find((item) => item.id === cursor));
      return { body: renderList(ctx, TAX_CALCULATION_LINE_ITEM, page.data, page.hasMore, `/v1/tax/calculations/${id}/line_items`, expand) };
    },
  },
];
