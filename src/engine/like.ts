// SQL LIKE: `%` matches any run of characters, `_` exactly one; case-sensitive; an optional
// escape character makes the next `%`, `_` or itself literal.
//
// Matched without exponential backtracking. A pattern with at most one `%` becomes one anchored
// RegExp: with a single `[\s\S]*` to retry, it runs in time linear in the text (times the
// pattern's length), and V8 runs it fastest. A pattern with more `%`s is cut at them into
// segments: the first must match at the start, the last at the end, and each one between is
// taken at its leftmost place after the previous one — always safe, since that leaves the most
// text for the segments after it. One RegExp over the whole pattern would instead retry every
// split of the text between its `%`s: exponential for `%a%a%a…Z` on a long run of `a`s.

/** Tests a text against one compiled pattern. */
export type LikeMatcher = (text: string) => boolean;

/** A run of the pattern between `%`s, as a RegExp source without quantifiers. */
interface Segment {
  /** Characters the segment covers. */
  length: number;
  source: string;
  /** The segment's text when it has no `_`. */
  literal: string | undefined;
}

const ANY_CHARACTER = '[\\s\\S]';

export function likeMatcher(pattern: string, escape?: string): LikeMatcher {
  const segments = splitPattern(pattern, escape);
  if (segments.length <= 2) {
    const whole = new RegExp(`^${segments.map((s) => s.source).join(`${ANY_CHARACTER}*`)}$`);
    return (text) => whole.test(text);
  }
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1).filter((s) => s.length > 0);
  if (middle.length === 0) return segmentsMatcher(first, last, []);
  if (first.length === 0 && last.length === 0 && middle.length === 1 && middle[0]!.literal !== undefined) {
    const needle = middle[0]!.literal;
    return (text) => text.includes(needle);
  }
  return segmentsMatcher(first, last, middle);
}

function segmentsMatcher(first: Segment, last: Segment, middle: Segment[]): LikeMatcher {
  const fixed = first.length + last.length;
  const startsWith = stickyTest(first);
  const endsWith = stickyTest(last);
  const finders = middle.map(finder);
  return (text) => {
    if (text.length < fixed) return false;
    const end = text.length - last.length;
    if (!startsWith(text, 0) || !endsWith(text, end)) return false;
    let from = first.length;
    for (const find of finders) {
      from = find(text, from, end);
      if (from < 0) return false;
    }
    return true;
  };
}

/** Whether the segment matches the text at a given place. */
function stickyTest(segment: Segment): (text: string, at: number) => boolean {
  if (segment.length === 0) return () => true;
  const literal = segment.literal;
  if (literal !== undefined) return (text, at) => text.startsWith(literal, at);
  const sticky = new RegExp(segment.source, 'y');
  return (text, at) => {
    sticky.lastIndex = at;
    return sticky.test(text);
  };
}

/** Where the segment's leftmost match in [from, end) ends, or -1. */
function finder(segment: Segment): (text: string, from: number, end: number) => number {
  const length = segment.length;
  const literal = segment.literal;
  if (literal !== undefined) {
    return (text, from, end) => {
      const at = text.indexOf(literal, from);
      return at >= 0 && at + length <= end ? at + length : -1;
    };
  }
  const search = new RegExp(segment.source, 'g');
  return (text, from, end) => {
    search.lastIndex = from;
    // test() leaves lastIndex just after the match, and allocates no match array as exec() would.
    return search.test(text) && search.lastIndex <= end ? search.lastIndex : -1;
  };
}

/** Cuts the pattern at every unescaped `%`; consecutive `%`s leave empty segments. */
function splitPattern(pattern: string, escape: string | undefined): Segment[] {
  const segments: Segment[] = [];
  let segment: Segment = { length: 0, source: '', literal: '' };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '%' && !(escape === '%' && i + 1 < pattern.length)) {
      segments.push(segment);
      segment = { length: 0, source: '', literal: '' };
      continue;
    }
    let literal: string | undefined = ch;
    if (escape !== undefined && ch === escape && i + 1 < pattern.length) literal = pattern[++i]!;
    else if (ch === '_') literal = undefined;
    segment.length++;
    segment.source += literal === undefined ? ANY_CHARACTER : quote(literal);
    segment.literal = literal === undefined || segment.literal === undefined ? undefined : segment.literal + literal;
  }
  segments.push(segment);
  return segments;
}

function quote(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
