// PostgreSQL's regular-expression matches: `s ~ re` (case-sensitive), `s ~* re` (case-
// insensitive) and their negations `!~`, `!~*`. PostgreSQL's advanced regular expressions are
// read as JavaScript's, which agree on everything catalog browsers and analysts write (anchors,
// classes, alternation, quantifiers); the POSIX bracket classes (`[[:digit:]]`) are translated.
// A pattern JavaScript cannot read gives NULL, as other functions do with input they cannot read.

import type { ScalarFunction } from '../functions.js';
import type { SqlValue } from '../table.js';
import { valueToText } from '../values.js';

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: '\\s', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f', word: '\\w',
};

const compiled = new Map<string, RegExp | null>();

/** PostgreSQL's pattern as a JavaScript RegExp (compiled once per pattern and flags); null when it cannot be read. */
export function regex(pattern: string, flags: string): RegExp | null {
  const key = `${flags}/${pattern}`;
  let re = compiled.get(key);
  if (re === undefined) {
    const source = pattern.replace(/\[:(\w+):\]/g, (whole, name: string) => POSIX_CLASSES[name] ?? whole);
    try {
      re = new RegExp(source, flags);
    } catch {
      re = null;
    }
    if (compiled.size > 1000) compiled.clear();
    compiled.set(key, re);
  }
  return re;
}

function matcher(name: string, flags: string, negated: boolean): ScalarFunction {
  return {
    name,
    infix: name,
    minArgs: 2,
    maxArgs: 2,
    returnType: () => 'Boolean',
    call: ([subject, pattern]: SqlValue[]) => {
      const text = valueToText(subject ?? null);
      const source = valueToText(pattern ?? null);
      if (text === null || source === null) return null;
      const re = regex(source, flags);
      return re === null ? null : re.test(text) !== negated;
    },
  };
}

export const pgRegexFunctions: ScalarFunction[] = [matcher('~', 'u', false), matcher('~*', 'iu', false), matcher('!~', 'u', true), matcher('!~*', 'iu', true)];
