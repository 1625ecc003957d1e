// The interactive prompt: statements end with `;` and may span lines; dot-commands change
// settings. A failing statement prints its error and the session goes on.
import { createInterface } from 'node:readline/promises';
import type { Connection } from '../connection.js';
import { formatResult, OUTPUT_FORMATS, type OutputFormat } from './format.js';

const HELP = `Statements end with ';' and may span several lines.
  .tables              list the tables and views
  .columns NAME        the columns of a table
  .format FORMAT       table, json or csv
  .explain SQL         the plan and the requests it would make
  .help                this text
  .quit                leave (Ctrl-D works too)
`;

export interface ReplIO {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

export async function runRepl(db: Connection, format: OutputFormat, io: ReplIO, describeError: (e: unknown) => string): Promise<void> {
  const rl = createInterface({ input: io.input, output: io.output, terminal: (io.output as { isTTY?: boolean }).isTTY ?? false });
  const print = (text: string) => io.output.write(text);
  let buffer = '';
  print(`stripe-sql: type SQL ending with ';', or .help\n`);
  rl.setPrompt('stripe-sql> ');
  rl.prompt();
  for await (const line of rl) {
    if (buffer === '' && line.trim().startsWith('.')) {
      const [command = '', ...rest] = line.trim().split(/\s+/);
      if (command === '.quit' || command === '.exit') break;
      format = runDotCommand(db, command, rest.join(' '), format, print, describeError);
    } else {
      buffer += (buffer ? '\n' : '') + line;
      if (buffer.trimEnd().endsWith(';')) {
        const sql = buffer;
        buffer = '';
        try {
          for (const result of await db.queryScript(sql, undefined, { rowMode: 'array' })) {
            print(formatResult(result as Parameters<typeof formatResult>[0], format));
          }
        } catch (error) {
          print(`${describeError(error)}\n`);
        }
      }
    }
    rl.setPrompt(buffer ? '        -> ' : 'stripe-sql> ');
    rl.prompt();
  }
  rl.close();
}

function runDotCommand(
  db: Connection,
  command: string,
  argument: string,
  format: OutputFormat,
  print: (text: string) => void,
  describeError: (e: unknown) => string,
): OutputFormat {
  try {
    switch (command) {
      case '.help':
        print(HELP);
        return format;
      case '.tables':
        print(db.tables().map((t) => `${t.name}${t.kind === 'VIEW' ? ' (view)' : ''}`).join('\n') + '\n');
        return format;
      case '.columns': {
        const columns = db.columns(argument);
        print(columns ? columns.map((c) => `${c.name} ${c.type}${c.key ? ' key' : ''}${c.readOnly ? ' read-only' : ''}${c.pseudo ? ' pseudo' : ''}`).join('\n') + '\n' : `No table named '${argument}'\n`);
        return format;
      }
      case '.format':
        if (OUTPUT_FORMATS.includes(argument as OutputFormat)) return argument as OutputFormat;
        print(`.format takes one of ${OUTPUT_FORMATS.join(', ')}\n`);
        return format;
      case '.explain':
        print(db.explain(argument).join('\n') + '\n');
        return format;
      default:
        print(`Unknown command ${command}; .help lists them\n`);
        return format;
    }
  } catch (error) {
    print(`${describeError(error)}\n`);
    return format;
  }
}
