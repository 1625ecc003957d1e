// Stripe's idempotency layer: the first result for (account, key) is saved and replayed
// for a retry with the same parameters; other parameters under the same key are an error.

export interface SavedResponse {
  fingerprint: string;
  status: number;
  body: string;
  requestId: string;
}

export class IdempotencyStore {
  private readonly saved = new Map<string, SavedResponse>();

  private static slot(account: string, key: string): string {
    return `${account}\u0000${key}`;
  }

  find(account: string, key: string): SavedResponse | undefined {
    return this.saved.get(IdempotencyStore.slot(account, key));
  }

  save(account: string, key: string, response: SavedResponse): void {
    this.saved.set(IdempotencyStore.slot(account, key), response);
  }
}
