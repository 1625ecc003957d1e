// Results taller or wider than the terminal go through a pager, as in psql: `less -S` keeps
// each row on one line and scrolls sideways. $STRIPE_SQL_PAGER, else $PAGER, names another;
// an empty value turns paging off. Without a pager, tables are cut to the terminal's width.
import { spawn, spawnSync } from 'node:child_process';

export interface TerminalSize {
  rows?: number;
  columns?: number;
}

/** The pager to use, or undefined for none. */
export function pagerCommand(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.STRIPE_SQL_PAGER ?? env.PAGER;
  if (chosen !== undefined) return chosen.trim() === '' ? undefined : chosen;
  // -S one line per row, -F leave at once when it all fits, -R keep colours, -X leave the text on screen.
  return spawnSync('less', ['--version'], { stdio: 'ignore' }).status === 0 ? 'less -SFRX' : undefined;
}

/** True when the text has more lines than the terminal shows, or a line wider than it. */
export function needsPager(text: string, terminal: TerminalSize): boolean {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (terminal.rows !== undefined && terminal.rows > 0 && lines.length > terminal.rows - 1) return true;
  return terminal.columns !== undefined && terminal.columns > 0 && lines.some((line) => line.length > terminal.columns!);
}

/**
 * Shows the text in the pager and waits for it to end. `yieldTerminal` hands the terminal over
 * (the prompt leaves raw mode) and returns how to take it back. Ctrl-C belongs to the pager
 * meanwhile: this process ignores it.
 */
export async function showInPager(text: string, command: string, yieldTerminal: () => () => void = () => () => {}): Promise<void> {
  const takeBack = yieldTerminal();
  const ignore = () => {};
  process.on('SIGINT', ignore);
  try {
    const child = spawn(command, { shell: true, stdio: ['pipe', 'inherit', 'inherit'] });
    child.stdin.on('error', () => {}); // the reader may quit before reading everything (q in less)
    child.stdin.end(text);
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
  } finally {
    process.off('SIGINT', ignore);
    takeBack();
  }
}
