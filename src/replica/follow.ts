// Which replica tables Stripe's events keep up to date, and the row an event's object makes.
// The one place the replica reads a Stripe table's definition: a table follows events when it
// lists one kind of object whole, top-level (no parent to fan out over), and Stripe can read one
// of them by id (an event whose payload falls short is fetched whole).

import { mapRow, readPath } from '../catalog/row-mapper.js';
import { StripeTable } from '../catalog/stripe-table.js';
import type { Row, Table } from '../engine/table.js';
import type { StripeObject } from '../stripe/types.js';

/** The events of a table's objects, as the incremental sync applies them. */
export interface Follower {
  /** `data.object.object` of the events that change the table's rows ('customer'); 'event' for Events itself. */
  objectType: string;
  /**
   * The row an event's object makes, or undefined when the payload lacks what a column holds
   * (a list Stripe sends only when expanded, an embedded list cut at its first page): such an
   * object is fetched whole.
   */
  rowOf(object: StripeObject): Row | undefined;
}

/**
 * `*.deleted` events whose object Stripe still lists: a canceled subscription stays in the list
 * (status=all) with status canceled, so its row is updated, not removed.
 */
const STILL_LISTED_AFTER = new Set(['customer.subscription.deleted']);

/** Whether the event removes its object from the table. */
export function removes(eventType: string): boolean {
  return eventType.endsWith('.deleted') && !STILL_LISTED_AFTER.has(eventType);
}

/**
 * How events keep `table` up to date, or why they cannot (the table is then read whole by
 * every sync). `accountId` is the connection's account (the AccountId of every row).
 */
export function followerOf(table: Table, accountId: string | undefined): Follower | { reason: string } {
  if (!(table instanceof StripeTable)) return { reason: 'not a Stripe table' };
  const def = table.def;
  if (def.parent) return { reason: `its rows are listed under each ${def.parent.table ?? 'parent'}, which events do not name` };
  if (def.singleton || !def.paths.list) return { reason: 'Stripe has no list of it' };
  const columns = table.columns;
  if (def.resource === 'event') return { objectType: 'event', rowOf: (event) => mapRow(columns, event, accountId) };
  if (!def.paths.retrieve) return { reason: 'Stripe cannot read one of its objects by id' };
  const expanded = def.columns.filter((c) => c.expand);
  return {
    objectType: def.resource,
    rowOf(object) {
      for (const column of expanded) {
        const list = readPath(object, column.expand!.retrieve) as { object?: unknown; has_more?: unknown } | null | undefined;
        // Not expanded (absent, or an id), or cut at its first page.
        if (list === null || typeof list !== 'object' || list.object !== 'list' || list.has_more !== false) return undefined;
      }
      return mapRow(columns, object, accountId);
    },
  };
}
