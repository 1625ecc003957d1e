// The prompt's history: one entry per statement (a statement typed over several lines is
// recalled whole), kept in ~/.stripe_sql_history ($STRIPE_SQL_HISTORY elsewhere) between
// sessions. One JSON string per line, newest last, readable only by its owner. A statement
// holding anything shaped like a Stripe key is not kept.
import { appendFileSync, chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HISTORY_LIMIT = 1000;

export function defaultHistoryFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.STRIPE_SQL_HISTORY || join(homedir(), '.stripe_sql_history');
}

/**
 * Entries newest first, as readline wants them; an unreadable file is an empty history. A file
 * grown past twice the limit is cut back to the newest entries.
 */
export function loadHistory(file: string): string[] {
  if (!existsSync(file)) return [];
  try {
    const entries = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('"'))
      .map((line) => JSON.parse(line) as string);
    const kept = entries.slice(-HISTORY_LIMIT);
    if (entries.length > 2 * HISTORY_LIMIT) writeFileSync(file, kept.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600 });
    return kept.reverse();
  } catch {
    return [];
  }
}

const KEY_SHAPED = /(?<![A-Za-z0-9])(?:sk|rk)_(?:test|live)_[A-Za-z0-9]{8,}/;

/** Appends one entry; false when it was not kept (it looked like it held a key, or the file cannot be written). */
export function appendHistory(file: string, entry: string): boolean {
  if (KEY_SHAPED.test(entry) || entry.trim() === '') return false;
  try {
    if (!existsSync(file)) writeFileSync(file, '', { mode: 0o600 });
    appendFileSync(file, JSON.stringify(entry) + '\n');
    chmodSync(file, 0o600);
    return true;
  } catch {
    return false;
  }
}
