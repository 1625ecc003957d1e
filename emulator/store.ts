// Objects live per account (the platform and each connected account), by Stripe object
// type (`customer`, `checkout.session`, …). Lists read them newest first.

export type StripeObject = Record<string, unknown> & { id: string; object: string; created?: number };

export const PLATFORM_ACCOUNT = 'acct_1DemoPlatform0000';

class AccountData {
  readonly byType = new Map<string, Map<string, StripeObject>>();
  readonly deleted = new Map<string, Set<string>>();
  /** Sub-lists owned by an object, e.g. a checkout session's line items. */
  readonly children = new Map<string, StripeObject[]>();
  private readonly sortedCache = new Map<string, StripeObject[]>();

  table(type: string): Map<string, StripeObject> {
    let table = this.byType.get(type);
    if (!table) {
      table = new Map();
      this.byType.set(type, table);
    }
    return table;
  }

  put(object: StripeObject): void {
    this.table(object.object).set(object.id, object);
    this.sortedCache.delete(object.object);
  }

  remove(type: string, id: string): void {
    this.table(type).delete(id);
    this.sortedCache.delete(type);
    let gone = this.deleted.get(type);
    if (!gone) {
      gone = new Set();
      this.deleted.set(type, gone);
    }
    gone.add(id);
  }

  /** Newest first: created descending, then id descending for equal seconds. */
  sorted(type: string): StripeObject[] {
    let sorted = this.sortedCache.get(type);
    if (!sorted) {
      sorted = [...this.table(type).values()].sort(newestFirst);
      this.sortedCache.set(type, sorted);
    }
    return sorted;
  }
}

export function newestFirst(a: StripeObject, b: StripeObject): number {
  const byCreated = (b.created ?? 0) - (a.created ?? 0);
  if (byCreated !== 0) return byCreated;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** A stored object changed: created (no `before`), replaced, or removed (no `after`). */
export type ChangeListener = (account: string, before: StripeObject | undefined, after: StripeObject | undefined) => void;

export class Store {
  private readonly accounts = new Map<string, AccountData>();
  private readonly listeners: ChangeListener[] = [];

  /** Called on every put and remove from now on (events are made this way). */
  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  constructor() {
    this.addAccount(PLATFORM_ACCOUNT);
  }

  addAccount(id: string): void {
    if (!this.accounts.has(id)) this.accounts.set(id, new AccountData());
  }

  hasAccount(id: string): boolean {
    return this.accounts.has(id);
  }

  private data(account: string): AccountData {
    const data = this.accounts.get(account);
    if (!data) throw new Error(`unknown account ${account}`);
    return data;
  }

  get(account: string, type: string, id: string): StripeObject | undefined {
    return this.data(account).table(type).get(id);
  }

  isDeleted(account: string, type: string, id: string): boolean {
    return this.data(account).deleted.get(type)?.has(id) ?? false;
  }

  put(account: string, object: StripeObject): void {
    const data = this.data(account);
    // An account the platform holds (created, seeded or added) can be acted for (Stripe-Account).
    if (account === PLATFORM_ACCOUNT && object.object === 'account') this.addAccount(object.id);
    const before = this.listeners.length > 0 ? data.table(object.object).get(object.id) : undefined;
    data.put(object);
    for (const listener of this.listeners) listener(account, before, object);
  }

  remove(account: string, type: string, id: string): void {
    const data = this.data(account);
    const before = data.table(type).get(id);
    data.remove(type, id);
    for (const listener of this.listeners) listener(account, before, undefined);
  }

  /** The object types an account holds, and the accounts there are. */
  types(account: string): string[] {
    return [...this.data(account).byType.keys()];
  }

  accountIds(): string[] {
    return [...this.accounts.keys()];
  }

  /** All live objects of a type, newest first. Callers must not mutate the array. */
  list(account: string, type: string): readonly StripeObject[] {
    return this.data(account).sorted(type);
  }

  /**
   * Takes over another store's accounts and objects. The objects themselves are shared, not
   * copied: handlers never change a stored object in place (they store a changed copy).
   */
  copyFrom(other: Store): void {
    for (const [id, source] of other.accounts) {
      this.addAccount(id);
      const target = this.data(id);
      for (const [type, table] of source.byType) target.byType.set(type, new Map(table));
      for (const [type, gone] of source.deleted) target.deleted.set(type, new Set(gone));
      for (const [key, objects] of source.children) target.children.set(key, objects);
    }
  }

  children(account: string, ownerId: string, relation: string): StripeObject[] {
    return this.data(account).children.get(`${ownerId}/${relation}`) ?? [];
  }

  setChildren(account: string, ownerId: string, relation: string, objects: StripeObject[]): void {
    this.data(account).children.set(`${ownerId}/${relation}`, objects);
  }
}
