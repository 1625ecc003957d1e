// The interactive prompt. A statement ends at a `;` outside quotes and comments and may span
// lines; psql's backslash commands (and duckdb's dot forms) describe tables and change the
// display. Ctrl-C clears what is typed, or cancels the statement running (a write then reports
// each row); Ctrl-D leaves. History keeps whole statements, across sessions.
import { createInterface } from 'node:readline';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../connection.js';
import { PartialWriteError } from '../index.js';
import { complete, type CompletionSource } from './completion.js';
import { holdsRows, type OutputFormat } from './format.js';
import { appendHistory, loadHistory } from './history.js';
import { isMetaCommand, runMetaCommand, type MetaAction, type PromptSettings } from './meta.js';
import { Output } from './output.js';
import { Progress, type ProgressClock, type ProgressTarget } from './progress.js';
import { needsPager, showInPager } from './pager.js';
import { ScriptRunner, type RunSettings } from './run.js';
import { splitStatements } from './statements.js';
import { describeWriteFailure } from './write-report.js';

export interface ReplIO {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Line editing, completion and history keys; default: when the output is a terminal. */
  terminal?: boolean;
}

export interface ReplOptions {
  /** Where history is kept between sessions; none when undefined. */
  historyFile?: string;
  /** Prefix of the writes' idempotency keys for this session (see run.ts). */
  idempotencyKey?: string;
  /** `$EDITOR` for \e. */
  editor?: string;
  /** Where the status line of long statements goes (standard error on a terminal); none when undefined. */
  statusLine?: ProgressTarget;
  /** For tests: the status line's clock. */
  clock?: ProgressClock;
  /** The pager for results taller or wider than the terminal (pager.ts); none: tables are cut to its width. */
  pager?: string;
}

const PROMPT = 'stripe-sql> ';
const CONTINUATION = '        -> ';

class Cancelled extends Error {
  override name = 'Cancelled';
}

export async function runRepl(
  db: Connection,
  format: OutputFormat,
  io: ReplIO,
  describeError: (e: unknown) => string,
  options: ReplOptions = {},
): Promise<void> {
  const terminal = io.terminal ?? Boolean((io.output as { isTTY?: boolean }).isTTY);
  const screen = Output.toStream(io.output);
  const print = (text: string) => screen.write(text);
  const idempotencyKey = options.idempotencyKey ?? `stripe-sql-${Date.now().toString(36)}`;
  const settings: PromptSettings & RunSettings = {
    format,
    explain: false,
    idempotencyKey,
    display: { expanded: 'off', ...widthOf(io.output) },
    separateResults: false,
    timing: false,
    onStatementEnd: async (ms) => {
      if (settings.timing) await print(`Time: ${ms.toFixed(3)} ms\n`);
    },
  };
  const runner = new ScriptRunner(db, screen, settings);
  // On the terminal, a table is paged when it does not fit, or cut to fit when there is no pager.
  const fitScreen = () => {
    Object.assign(settings.display, widthOf(io.output));
    settings.display.fit = terminal && !options.pager && runner.output === screen;
  };
  fitScreen();
  const pager = options.pager;
  if (pager) {
    settings.present = async (text) => {
      const size = io.output as { rows?: number; columns?: number };
      if (runner.output !== screen || !needsPager(text, { ...(size.rows ? { rows: size.rows } : {}), ...(size.columns ? { columns: size.columns } : {}) })) return false;
      await showInPager(text, pager, () => {
        rl.pause();
        const input = io.input as { isTTY?: boolean; setRawMode?: (raw: boolean) => void };
        if (input.isTTY) input.setRawMode?.(false);
        return () => {
          if (input.isTTY) input.setRawMode?.(true);
          rl.resume();
        };
      });
      return true;
    };
  }
  if (options.statusLine) {
    // Not while rows stream onto the screen the line is drawn on.
    const wanted = () => holdsRows(settings.format) || runner.output !== screen;
    settings.progress = new Progress(options.statusLine, () => db.stats.requests, wanted, options.clock);
  }
  const source = completionSource(db);
  let buffer = '';
  /** Lines readline put in its history for the statement being typed (replaced by one entry). */
  let typedLines = 0;
  let lastStatement = '';
  let running: AbortController | undefined;

  const rl = createInterface({
    input: io.input,
    output: io.output,
    terminal,
    completer: (line: string) => complete(source, line, buffer),
    history: options.historyFile ? loadHistory(options.historyFile) : [],
    historySize: 1000,
  });
  // Taken at once: lines that arrive before the loop starts waiting are kept, not dropped.
  const lines = rl[Symbol.asyncIterator]();
  const history = (rl as unknown as { history?: string[] }).history;

  rl.on('SIGINT', () => {
    if (running) {
      running.abort(new Cancelled('stopped by Ctrl-C'));
      return;
    }
    // At the prompt, Ctrl-C drops what is typed, as in psql, and the prompt goes on.
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    buffer = '';
    typedLines = 0;
    io.output.write('^C\n');
    rl.setPrompt(PROMPT);
    rl.prompt(true);
  });

  /** Runs complete statements; a failure is printed and the session goes on. */
  const run = async (script: string) => {
    fitScreen(); // the terminal may have been resized
    const controller = new AbortController();
    running = controller;
    try {
      await runner.run(script, controller.signal);
    } catch (error) {
      const cancelled = controller.signal.aborted && controller.signal.reason instanceof Cancelled;
      if (error instanceof PartialWriteError) {
        await print(describeWriteFailure(error, { ...(cancelled ? { stoppedBy: 'Ctrl-C' } : {}), idempotencyKey }));
      } else {
        await print(`${cancelled ? 'Cancelled: the statement was stopped (Ctrl-C)' : describeError(error)}\n`);
      }
    } finally {
      running = undefined;
    }
  };

  const remember = (statement: string) => {
    const entry = historyEntry(statement);
    lastStatement = entry;
    if (terminal && history) {
      history.splice(0, typedLines);
      if (history[0] !== entry) history.unshift(entry);
    }
    typedLines = 0;
    if (options.historyFile) appendHistory(options.historyFile, entry);
  };

  /** Takes new text into the buffer and runs every statement it completes. */
  const take = async (text: string) => {
    buffer += (buffer ? '\n' : '') + text;
    const { statements, restOffset } = splitStatements(buffer, false);
    if (statements.length === 0) return;
    const complete = buffer.slice(0, restOffset);
    buffer = buffer.slice(restOffset).replace(/^\s*\n/, '');
    remember(complete);
    await run(complete);
  };

  const act = async (action: MetaAction): Promise<boolean> => {
    switch (action.kind) {
      case 'quit':
        return false;
      case 'output':
        if (runner.output !== screen) await runner.output.end();
        runner.output = action.file !== undefined ? await Output.toFile(action.file) : screen;
        fitScreen();
        return true;
      case 'include':
        await run(await readFile(action.file, 'utf8'));
        return true;
      case 'edit': {
        const edited = editText(buffer || lastStatement, options.editor ?? process.env.VISUAL ?? process.env.EDITOR ?? 'vi', rl);
        buffer = '';
        if (edited.trim()) {
          await print(edited.endsWith('\n') ? edited : `${edited}\n`);
          await take(edited.replace(/\n+$/, ''));
        }
        return true;
      }
      case 'done':
        return true;
    }
  };

  await print(`stripe-sql: type SQL ending with ';', or \\? for help\n`);
  // prompt(true) keeps the cursor where it is in anything typed ahead while a statement ran.
  rl.setPrompt(PROMPT);
  rl.prompt(true);
  for await (const line of { [Symbol.asyncIterator]: () => lines }) {
    if (terminal && line.trim() !== '') typedLines++;
    let goOn = true;
    if (buffer === '' && isMetaCommand(line)) {
      typedLines = 0;
      try {
        goOn = await act(await runMetaCommand(db, line, settings, print));
      } catch (error) {
        await print(`${error instanceof Error ? error.message : String(error)}\n`);
      }
    } else {
      await take(line);
    }
    if (!goOn) break;
    rl.setPrompt(buffer ? CONTINUATION : PROMPT);
    rl.prompt(true);
  }
  rl.close();
  if (runner.output !== screen) await runner.output.end();
}

function widthOf(output: NodeJS.WritableStream): { width?: number } {
  const columns = (output as { columns?: number }).columns;
  return typeof columns === 'number' && columns > 0 ? { width: columns } : {};
}

function completionSource(db: Connection): CompletionSource {
  let names: string[] | undefined;
  const columns = new Map<string, string[] | undefined>();
  return {
    tableNames: () => (names ??= db.tables().map((t) => t.name)),
    columnNames: (table) => {
      if (!columns.has(table)) columns.set(table, db.columns(table)?.map((c) => c.name));
      return columns.get(table);
    },
  };
}

/**
 * One history line for a statement typed over several lines: its lines joined by spaces, so Up
 * recalls it whole and Enter runs it; a statement with a `--` comment keeps its line breaks,
 * which the comment needs.
 */
function historyEntry(statement: string): string {
  const trimmed = statement.trim();
  return trimmed.includes('--') ? trimmed : trimmed.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ');
}

/** \e: the text in the editor; the prompt stands aside while it runs. */
function editText(initial: string, editor: string, rl: ReturnType<typeof createInterface>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stripe-sql-edit-'));
  const file = join(dir, 'statement.sql');
  try {
    writeFileSync(file, initial ? `${initial}\n` : '');
    rl.pause();
    const input = process.stdin as { isTTY?: boolean; setRawMode?: (raw: boolean) => void };
    const raw = input.isTTY === true;
    if (raw) input.setRawMode?.(false);
    try {
      spawnSync(`${editor} "${file}"`, { shell: true, stdio: 'inherit' });
    } finally {
      if (raw) input.setRawMode?.(true);
      rl.resume();
    }
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
