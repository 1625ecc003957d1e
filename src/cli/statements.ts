// Where one statement of a script ends: at a `;` outside quotes, brackets and comments. The
// command line runs a script one statement at a time (each statement's rows stream out before
// the next is read), and the prompt needs the same cut for input still being typed, so this
// never throws: an unterminated quote or comment simply leaves the statement open.

export interface ScriptStatement {
  /** The statement's text, from its first character to its `;` (excluded). */
  text: string;
  /** Offset of `text` in the script, so positions inside the statement map back to the script. */
  offset: number;
}

export interface SplitScript {
  /** Statements ended by `;`, and the last one when `final` and it has content. */
  statements: ScriptStatement[];
  /** Text after the last `;` that is still open: more input may complete it ('' when none). */
  rest: string;
  restOffset: number;
}

type State = 'code' | 'string' | 'quoted' | 'bracketed' | 'lineComment' | 'blockComment';

/**
 * Cuts `script` at each `;` that ends a statement. With `final` (a whole file or argument), the
 * text after the last `;` is a statement too; without it (a prompt), it is returned as `rest`
 * unless it holds nothing but blanks and comments. `''` and `""` inside quotes need no special
 * case: the first quote closes, the second opens again.
 */
export function splitStatements(script: string, final = true): SplitScript {
  const statements: ScriptStatement[] = [];
  let state: State = 'code';
  let start = 0;
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    switch (state) {
      case 'code':
        if (c === ';') {
          push(statements, script, start, i);
          start = i + 1;
        } else if (c === "'") state = 'string';
        else if (c === '"') state = 'quoted';
        else if (c === '[') state = 'bracketed';
        else if (c === '-' && script[i + 1] === '-') {
          state = 'lineComment';
          i++;
        } else if (c === '/' && script[i + 1] === '*') {
          state = 'blockComment';
          i++;
        }
        break;
      case 'string':
        if (c === "'") state = 'code';
        break;
      case 'quoted':
        if (c === '"') state = 'code';
        break;
      case 'bracketed':
        if (c === ']') state = 'code';
        break;
      case 'lineComment':
        if (c === '\n') state = 'code';
        break;
      case 'blockComment':
        if (c === '*' && script[i + 1] === '/') {
          state = 'code';
          i++;
        }
        break;
    }
  }
  const tail = script.slice(start);
  if (!hasContent(tail)) return { statements, rest: '', restOffset: script.length };
  if (final) {
    push(statements, script, start, script.length);
    return { statements, rest: '', restOffset: script.length };
  }
  return { statements, rest: tail, restOffset: start };
}

function push(statements: ScriptStatement[], script: string, start: number, end: number): void {
  const text = script.slice(start, end);
  if (hasContent(text)) statements.push({ text, offset: start });
}

/** True when the text holds more than blanks and comments. */
export function hasContent(text: string): boolean {
  return stripComments(text).trim() !== '';
}

function stripComments(text: string): string {
  // Only called on text the splitter has delimited, where quotes are balanced or open at the end.
  let out = '';
  let state: State = 'code';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (state === 'code') {
      if (c === '-' && text[i + 1] === '-') {
        state = 'lineComment';
        i++;
      } else if (c === '/' && text[i + 1] === '*') {
        state = 'blockComment';
        i++;
      } else {
        out += c;
        if (c === "'") state = 'string';
        else if (c === '"') state = 'quoted';
        else if (c === '[') state = 'bracketed';
      }
    } else if (state === 'lineComment') {
      if (c === '\n') state = 'code';
    } else if (state === 'blockComment') {
      if (c === '*' && text[i + 1] === '/') {
        state = 'code';
        i++;
      }
    } else {
      out += c;
      if ((state === 'string' && c === "'") || (state === 'quoted' && c === '"') || (state === 'bracketed' && c === ']')) state = 'code';
    }
  }
  return out;
}
