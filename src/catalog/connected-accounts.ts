// The platform's connected accounts, for AllConnectedAccounts=true: every table then reads each
// of them (Stripe-Account header) and shows which in AccountId. They are listed from
// GET /v1/accounts on the first read that needs them, and again once the list is a minute old,
// so that a join or a script does not list them again for every table it reads.

import type { ExecContext } from '../engine/table.js';
import type { StripeTransport, TableDef } from './types.js';

/** Where Stripe lists a platform's connected accounts. */
export const ACCOUNTS_PATH = '/v1/accounts';

/** How long a listing of the accounts is used before it is read again, ms. */
export const ACCOUNT_LIST_TTL_MS = 60_000;

export class ConnectedAccounts {
  private listed: { at: number; ids: Promise<string[]> } | undefined;

  constructor(
    private readonly transport: StripeTransport,
    private readonly now: () => number = Date.now,
  ) {}

  /** The ids of the platform's connected accounts, newest first. */
  list(ctx: ExecContext): Promise<string[]> {
    const listed = this.listed;
    if (listed && this.now() - listed.at < ACCOUNT_LIST_TTL_MS) return listed.ids;
    const ids = this.read(ctx);
    const entry = { at: this.now(), ids };
    this.listed = entry;
    // A listing that failed (or was cancelled) is not kept: the next read tries again.
    ids.catch(() => {
      if (this.listed === entry) this.listed = undefined;
    });
    return ids;
  }

  private async read(ctx: ExecContext): Promise<string[]> {
    const ids: string[] = [];
    const pages = this.transport.listPages(ACCOUNTS_PATH, { limit: 100 }, {
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(ctx.onRequest ? { onRequest: ctx.onRequest } : {}),
    });
    for await (const page of pages) for (const account of page.data) if (typeof account.id === 'string') ids.push(account.id);
    return ids;
  }
}

/**
 * Whether a table is read in each connected account when the connection spans them: not the
 * accounts themselves nor what hangs under them (persons, capabilities, external accounts),
 * which only the platform reads.
 */
export function spansConnectedAccounts(def: TableDef): boolean {
  return def.paths.list !== ACCOUNTS_PATH && def.parent?.listPath !== ACCOUNTS_PATH;
}
