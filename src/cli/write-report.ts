// What a multi-row write that stopped part way did, row by row, for standard error: the Ids
// written, the rows that failed and why, the rows cancelled in flight (Stripe may have acted on
// them), the rows never sent, and how to finish without doing anything twice.
import type { PartialWriteError } from '../index.js';

type RowOutcome = PartialWriteError['rows'][number];

export interface WriteReportContext {
  /** What stopped the statement from outside ('Ctrl-C'), if anything did. */
  stoppedBy?: string;
  /** The run's idempotency prefix: running the same statements again with it finishes the job. */
  idempotencyKey: string;
}

export function describeWriteFailure(error: PartialWriteError, context: WriteReportContext): string {
  const rows = error.rows;
  const written = rows.filter((r) => r.ok);
  const unknown = rows.filter((r) => !r.ok && r.outcomeUnknown);
  const notSent = rows.filter((r) => !r.ok && r.notSent);
  const absent = rows.filter((r) => !r.ok && r.absent);
  const failed = rows.filter((r) => !r.ok && !r.outcomeUnknown && !r.notSent && !r.absent);
  const counts = [
    `${written.length} of ${rows.length} rows written`,
    failed.length > 0 ? `${failed.length} failed` : '',
    unknown.length > 0 ? `${unknown.length} cancelled in flight` : '',
    notSent.length > 0 ? `${notSent.length} not sent` : '',
    absent.length > 0 ? `${absent.length} not found` : '',
  ].filter((part) => part !== '');
  const lines = [`stripe-sql: ${error.verb} ${error.table} stopped${context.stoppedBy ? ` by ${context.stoppedBy}` : ''}: ${counts.join(', ')}`];
  if (written.length > 0) {
    lines.push(`  written (${written.length}):`);
    for (const r of written) lines.push(`    row ${r.index + 1}: ${r.id ?? 'written'}`);
  }
  if (failed.length > 0) {
    lines.push(`  failed (${failed.length}):`);
    for (const r of failed) lines.push(`    row ${r.index + 1}${r.id !== undefined ? ` (${r.id})` : ''}: ${oneLine(r.ok ? '' : `${r.error.name}: ${r.error.message}`)}`);
  }
  if (unknown.length > 0) lines.push(`  cancelled in flight, may have reached Stripe (${unknown.length}): ${rowRanges(unknown)}`);
  if (notSent.length > 0) lines.push(`  not sent (${notSent.length}): ${rowRanges(notSent)}`);
  if (absent.length > 0) lines.push(`  not found, nothing changed (${absent.length}): ${rowRanges(absent)}`);
  // Stripe keeps no key for a request it refused, so a corrected row goes through on the re-run
  // while the rows written before are replayed, not repeated.
  const again = `run the statements again with --idempotency-key ${context.idempotencyKey}`;
  if (failed.length > 0) lines.push(`  correct the failed rows and ${again}: what was written is not written twice`);
  else if (unknown.length > 0 || notSent.length > 0) lines.push(`  to finish without doing anything twice, ${again}`);
  return lines.join('\n') + '\n';
}

/** `rows 3, 5–9, 12` (1-based). */
function rowRanges(rows: readonly RowOutcome[]): string {
  const numbers = rows.map((r) => r.index + 1).sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    ranges.push(j === i ? `${numbers[i]}` : `${numbers[i]}–${numbers[j]}`);
    i = j + 1;
  }
  return `row${numbers.length === 1 ? '' : 's'} ${ranges.join(', ')}`;
}

function oneLine(text: string): string {
  return text.split('\n')[0]!;
}
