// Stripe's form / query encoding, decoded into nested values:
//   created[gte]=1  expand[]=x  expand[0]=x  line_items[0][price]=p  metadata[k]=v
// Objects whose keys are all array indexes become arrays (in index order).

export type ParamValue = string | ParamValue[] | { [key: string]: ParamValue };
export type ParamObject = { [key: string]: ParamValue };

export function parseParams(raw: string): ParamObject {
  const root: ParamObject = {};
  if (raw === '') return root;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decode(rawKey);
    if (key === '') continue;
    assign(root, splitKey(key), decode(rawValue));
  }
  return arraysFromIndexedObjects(root) as ParamObject;
}

function decode(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** `a[b][0][]` → ['a', 'b', '0', ''] */
export function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  const pattern = /\[([^\]]*)\]/g;
  pattern.lastIndex = open;
  let match: RegExpExecArray | null;
  let consumed = open;
  while ((match = pattern.exec(key)) !== null && match.index === consumed) {
    segments.push(match[1] as string);
    consumed = pattern.lastIndex;
  }
  // Trailing garbage after the brackets: treat the whole key as a plain name, as a
  // lenient decoder would, so validation reports it as an unknown parameter.
  if (consumed !== key.length) return [key];
  return segments;
}

type Container = { [key: string]: ParamValue };

function assign(root: Container, segments: string[], value: string): void {
  let node: Container = root;
  for (let i = 0; i < segments.length; i++) {
    let segment = segments[i] as string;
    if (segment === '') segment = String(Object.keys(node).length);
    if (i === segments.length - 1) {
      node[segment] = value;
      return;
    }
    const existing = node[segment];
    if (existing === undefined || typeof existing === 'string') {
      const child: Container = {};
      node[segment] = child;
      node = child;
    } else {
      node = existing as Container;
    }
  }
}

function arraysFromIndexedObjects(value: ParamValue): ParamValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(arraysFromIndexedObjects);
  const keys = Object.keys(value);
  const converted: Container = {};
  for (const key of keys) converted[key] = arraysFromIndexedObjects(value[key] as ParamValue);
  if (keys.length > 0 && keys.every((key) => /^(0|[1-9]\d*)$/.test(key))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => converted[String(index)] as ParamValue);
  }
  return converted;
}

/** Canonical text of a parameter set, for comparing two requests' parameters. */
export function canonicalParams(value: ParamValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalParams).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalParams(value[key] as ParamValue)}`).join(',')}}`;
}
