// The prompt's own commands, psql's backslash forms with duckdb's dot forms kept beside them:
// describing tables and procedures, changing how results are shown, where they go, and
// reading statements from a file. They run on the connection's public API only.
import type { Connection } from '../connection.js';
import { formatResult, OUTPUT_FORMATS, type OutputFormat, type TableDisplay } from './format.js';

export const META_HELP = `Statements end with ';' and may span lines. Ctrl-C clears the line or cancels a running
statement; Ctrl-D or \\q leaves. Tab completes keywords, tables and columns.

  \\?, help              this text
  \\q, exit, quit        leave
  \\dt [PATTERN]         list tables and views (* and ? match any text / one character)
  \\d[+] NAME            a table's columns and types (+: with descriptions)
  \\df [PATTERN]         list stored procedures and their parameters
  \\x [on|off|auto]      expanded display: one block per row (auto: when too wide)
  \\timing [on|off]      print how long each statement took
  \\o [FILE]             send results to FILE (without FILE: back to the terminal)
  \\i FILE               run the statements in FILE
  \\pset null TEXT       how NULL is shown in tables
  \\pset format FORMAT   ${OUTPUT_FORMATS.join(', ')}
  \\e                    edit the current (or last) statement in $EDITOR, then run it
  .tables, .columns NAME, .format FORMAT, .mode FORMAT, .timer on|off, .output [FILE],
  .read FILE, .explain SQL, .help, .quit   the dot forms
`;

export interface PromptSettings {
  format: OutputFormat;
  display: TableDisplay & { expanded: 'off' | 'on' | 'auto' };
  timing: boolean;
}

/** What the prompt must do after a command that is not settled here. */
export type MetaAction =
  | { kind: 'done' }
  | { kind: 'quit' }
  | { kind: 'output'; file?: string }
  | { kind: 'include'; file: string }
  | { kind: 'edit' };

const QUIT = new Set(['\\q', '\\quit', 'exit', 'quit', '.quit', '.exit']);
const HELP = new Set(['\\?', 'help', '\\help', '.help', '\\h']);

/** True when a line typed at an empty buffer is one of these commands rather than SQL. */
export function isMetaCommand(line: string): boolean {
  const trimmed = line.trim().replace(/;$/, '');
  if (trimmed.startsWith('\\') || trimmed.startsWith('.')) return true;
  return QUIT.has(trimmed.toLowerCase()) || HELP.has(trimmed.toLowerCase());
}

export async function runMetaCommand(
  db: Connection,
  line: string,
  settings: PromptSettings,
  print: (text: string) => Promise<void> | void,
): Promise<MetaAction> {
  const trimmed = line.trim().replace(/;$/, '').trim();
  const [word = '', ...rest] = trimmed.split(/\s+/);
  const command = word.toLowerCase();
  const argument = rest.join(' ');
  if (QUIT.has(command)) return { kind: 'quit' };
  if (HELP.has(command)) {
    await print(META_HELP);
    return { kind: 'done' };
  }
  switch (command) {
    case '\\dt':
    case '.tables':
      await print(listTables(db, argument));
      return { kind: 'done' };
    case '\\d':
    case '\\d+':
    case '.columns':
    case '.schema':
      await print(argument ? describeTable(db, argument, command === '\\d+') : listTables(db, ''));
      return { kind: 'done' };
    case '\\df':
      await print(await listProcedures(db, argument));
      return { kind: 'done' };
    case '\\x':
      settings.display.expanded = toggle(argument, settings.display.expanded === 'off' ? 'on' : 'off', ['on', 'off', 'auto']) as PromptSettings['display']['expanded'];
      await print(`Expanded display is ${settings.display.expanded === 'auto' ? 'used automatically' : settings.display.expanded}.\n`);
      return { kind: 'done' };
    case '\\timing':
    case '.timer':
      settings.timing = toggle(argument, settings.timing ? 'off' : 'on', ['on', 'off']) === 'on';
      await print(`Timing is ${settings.timing ? 'on' : 'off'}.\n`);
      return { kind: 'done' };
    case '\\o':
    case '\\out':
    case '.output':
      return argument ? { kind: 'output', file: argument } : { kind: 'output' };
    case '\\i':
    case '\\include':
    case '.read':
      if (!argument) throw new Error(`${word} needs a file name`);
      return { kind: 'include', file: argument };
    case '\\e':
    case '\\edit':
      return { kind: 'edit' };
    case '\\pset':
      await print(pset(argument, settings));
      return { kind: 'done' };
    case '.format':
    case '.mode':
      settings.format = outputFormat(argument);
      await print(`Output format is ${settings.format}.\n`);
      return { kind: 'done' };
    case '.explain':
      await print(db.explain(argument).join('\n') + '\n');
      return { kind: 'done' };
    default:
      throw new Error(`Unknown command ${word}; \\? lists them`);
  }
}

function toggle(argument: string, flipped: string, allowed: string[]): string {
  if (!argument) return flipped;
  const value = argument.toLowerCase();
  if (!allowed.includes(value)) throw new Error(`expected ${allowed.join(', ')} or nothing`);
  return value;
}

function outputFormat(argument: string): OutputFormat {
  if (OUTPUT_FORMATS.includes(argument as OutputFormat)) return argument as OutputFormat;
  throw new Error(`the format is one of ${OUTPUT_FORMATS.join(', ')}`);
}

function pset(argument: string, settings: PromptSettings): string {
  const [option = '', ...rest] = argument.split(/\s+/);
  const value = rest.join(' ').replace(/^'(.*)'$/, '$1');
  switch (option.toLowerCase()) {
    case 'null':
      settings.display.nullText = value;
      return `Null display is "${value}".\n`;
    case 'format':
      settings.format = outputFormat(value);
      return `Output format is ${settings.format}.\n`;
    case 'expanded':
    case 'x':
      settings.display.expanded = toggle(value, settings.display.expanded === 'off' ? 'on' : 'off', ['on', 'off', 'auto']) as PromptSettings['display']['expanded'];
      return `Expanded display is ${settings.display.expanded}.\n`;
    default:
      throw new Error('\\pset takes null TEXT, format FORMAT or expanded on|off|auto');
  }
}

/** psql's patterns: `*` any text, `?` one character, otherwise the whole name, case-insensitive. */
function patternMatcher(pattern: string): (name: string) => boolean {
  if (!pattern) return () => true;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const regex = new RegExp(`^${source}$`, 'i');
  return (name) => regex.test(name);
}

const text = (name: string) => ({ name, type: 'String' as const });

function listTables(db: Connection, pattern: string): string {
  const matches = patternMatcher(pattern);
  const rows = db
    .tables()
    .filter((t) => matches(t.name))
    .map((t) => [t.name, t.kind === 'VIEW' ? 'view' : 'table', t.description]);
  if (rows.length === 0) return `Did not find any table named "${pattern}".\n`;
  return formatResult({ columns: [text('Name'), text('Type'), text('Description')], rows, rowCount: rows.length }, 'table', 0, { nullText: '' });
}

function describeTable(db: Connection, name: string, withDescriptions: boolean): string {
  const table = db.tables().find((t) => t.name.toLowerCase() === name.replace(/^\[(.*)\]$/, '$1').toLowerCase());
  if (!table) return `Did not find any table named "${name}".\n`;
  const rows = table.columns.map((c) => {
    const flags = [c.key ? 'key' : '', c.readOnly ? 'read-only' : '', c.pseudo ? 'pseudo' : '', table.references[c.name] ? `→ ${table.references[c.name]}` : '']
      .filter((f) => f !== '')
      .join(', ');
    const atStripe = table.filters[c.name] ?? '';
    return withDescriptions ? [c.name, c.type, flags, atStripe, c.description ?? ''] : [c.name, c.type, flags, atStripe];
  });
  const columns = [text('Column'), text('Type'), text('Notes'), text('Filtered at Stripe'), ...(withDescriptions ? [text('Description')] : [])];
  const writes = [table.insertable ? 'INSERT' : '', table.updatable ? 'UPDATE' : '', table.deletable ? 'DELETE' : ''].filter((w) => w !== '');
  const title = `${table.kind === 'VIEW' ? 'View' : 'Table'} ${table.name}: ${table.description}\n` +
    `Writes: ${writes.length > 0 ? writes.join(', ') : 'none (read-only)'}\n` +
    'Filters on other columns are evaluated here, after the rows are read.\n';
  return title + formatResult({ columns, rows, rowCount: rows.length }, 'table', 0, { nullText: '' });
}

async function listProcedures(db: Connection, pattern: string): Promise<string> {
  const matches = patternMatcher(pattern);
  const procedures = await db.query('SELECT ProcedureName, Description FROM sys_procedures ORDER BY ProcedureName');
  const parameters = await db.query('SELECT ProcedureName, ColumnName, DataTypeName, IsRequired FROM sys_procedureparameters ORDER BY ProcedureName, Ordinal');
  const rows = procedures.rows
    .filter((p) => matches(String(p.ProcedureName)))
    .map((p) => {
      const own = parameters.rows.filter((q) => q.ProcedureName === p.ProcedureName);
      // Optional parameters in brackets, as usage lines write them.
      const list = own.map((q) => (q.IsRequired ? `@${q.ColumnName} ${q.DataTypeName}` : `[@${q.ColumnName} ${q.DataTypeName}]`)).join(', ');
      return [p.ProcedureName, list, p.Description];
    });
  if (rows.length === 0) return `Did not find any procedure named "${pattern}".\n`;
  return formatResult({ columns: [text('Name'), text('Parameters'), text('Description')], rows, rowCount: rows.length }, 'table', 0, { nullText: '' });
}
