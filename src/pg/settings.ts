// A session's settings (GUCs): what SET, RESET and SHOW read and write, what the startup
// packet may set, and which changes are reported to the client as ParameterStatus.
import { PgError } from './errors.js';
import { timeZoneNamed, UTC, type TimeZone } from './protocol/time.js';

export const SERVER_VERSION = '16.0';
export const SERVER_VERSION_NUM = '160000';

interface Definition {
  value: string;
  /** Sent as ParameterStatus at startup and whenever it changes (GUC_REPORT). */
  report?: boolean;
  /** Refused by SET (server facts). */
  readOnly?: boolean;
  /** Turns a value given to SET into the one stored, or throws PgError. */
  check?: (value: string) => string;
}

function definitions(version: string): Record<string, Definition> {
  return {
    server_version: { value: `${SERVER_VERSION} (stripe-sql ${version})`, report: true, readOnly: true },
    server_version_num: { value: SERVER_VERSION_NUM, readOnly: true },
    server_encoding: { value: 'UTF8', report: true, readOnly: true },
    client_encoding: { value: 'UTF8', report: true, check: checkEncoding },
    DateStyle: { value: 'ISO, MDY', report: true, check: checkDateStyle },
    IntervalStyle: { value: 'postgres', report: true },
    TimeZone: { value: 'UTC', report: true, check: checkTimeZone },
    integer_datetimes: { value: 'on', report: true, readOnly: true },
    standard_conforming_strings: { value: 'on', report: true },
    is_superuser: { value: 'off', report: true, readOnly: true },
    session_authorization: { value: 'stripe', report: true, readOnly: true },
    application_name: { value: '', report: true },
    default_transaction_read_only: { value: 'off', report: true },
    in_hot_standby: { value: 'off', report: true, readOnly: true },
    search_path: { value: '"$user", public' },
    extra_float_digits: { value: '1' },
    statement_timeout: { value: '0', check: checkDuration },
    lock_timeout: { value: '0' },
    idle_in_transaction_session_timeout: { value: '0' },
    transaction_isolation: { value: 'read committed' },
    default_transaction_isolation: { value: 'read committed' },
    transaction_read_only: { value: 'off' },
    max_identifier_length: { value: '63', readOnly: true },
    max_index_keys: { value: '32', readOnly: true },
    block_size: { value: '8192', readOnly: true },
    lc_collate: { value: 'C.UTF-8', readOnly: true },
    lc_ctype: { value: 'C.UTF-8', readOnly: true },
    lc_messages: { value: 'C.UTF-8' },
    lc_monetary: { value: 'C.UTF-8' },
    lc_numeric: { value: 'C.UTF-8' },
    lc_time: { value: 'C.UTF-8' },
    bytea_output: { value: 'hex' },
    client_min_messages: { value: 'notice' },
    row_security: { value: 'on' },
    synchronous_commit: { value: 'on' },
    jit: { value: 'off' },
    work_mem: { value: '4MB' },
    enable_seqscan: { value: 'on' },
    escape_string_warning: { value: 'on' },
    default_text_search_config: { value: 'pg_catalog.english' },
    password_encryption: { value: 'scram-sha-256' },
    ssl: { value: 'off', readOnly: true },
    max_connections: { value: '100', readOnly: true },
  };
}

/** Lower-case aliases → the canonical spelling (SHOW datestyle shows DateStyle's value). */
const CANONICAL: Record<string, string> = {
  datestyle: 'DateStyle',
  timezone: 'TimeZone',
  intervalstyle: 'IntervalStyle',
  'time zone': 'TimeZone',
  names: 'client_encoding',
  session_authorization: 'session_authorization',
};

export class Settings {
  readonly #definitions: Record<string, Definition>;
  readonly #values = new Map<string, string>();
  #zone: TimeZone = UTC;

  constructor(version: string) {
    this.#definitions = definitions(version);
    this.reset();
  }

  /** The canonical name, or undefined for a setting nobody defined (custom `a.b` names are kept). */
  canonical(name: string): string | undefined {
    const lower = name.toLowerCase();
    if (CANONICAL[lower]) return CANONICAL[lower];
    for (const key of Object.keys(this.#definitions)) if (key.toLowerCase() === lower) return key;
    if (lower.includes('.')) return lower;
    return undefined;
  }

  get(name: string): string | undefined {
    const key = this.canonical(name);
    return key === undefined ? undefined : this.#values.get(key);
  }

  /** SET: returns the canonical name when the change must be reported as ParameterStatus. */
  set(name: string, value: string): string | undefined {
    const key = this.canonical(name);
    if (key === undefined) throw new PgError('42704', `unrecognized configuration parameter "${name}"`);
    const definition = this.#definitions[key];
    if (definition?.readOnly) throw new PgError('55P02', `parameter "${name}" cannot be changed`);
    const stored = definition?.check ? definition.check(value) : value;
    if (key === 'TimeZone') this.#zone = timeZoneNamed(stored) ?? UTC;
    this.#values.set(key, stored);
    return definition?.report ? key : undefined;
  }

  /** A read-only server fact known per session (`ssl` is on for a TLS session); kept across RESET. */
  setFact(name: string, value: string): void {
    const key = this.canonical(name);
    if (key === undefined || !this.#definitions[key]?.readOnly) throw new Error(`${name} is not a read-only setting`);
    this.#values.set(key, value);
  }

  /** RESET name, or every setting (RESET ALL / DISCARD ALL); returns the reported ones that changed. */
  reset(name?: string): string[] {
    const changed: string[] = [];
    for (const [key, definition] of Object.entries(this.#definitions)) {
      if (name !== undefined && key !== this.canonical(name)) continue;
      if (definition.readOnly && this.#values.has(key)) continue;
      if (this.#values.get(key) !== definition.value && definition.report) changed.push(key);
      this.#values.set(key, definition.value);
      if (key === 'TimeZone') this.#zone = timeZoneNamed(definition.value) ?? UTC;
    }
    if (name !== undefined && this.canonical(name)?.includes('.')) this.#values.delete(this.canonical(name)!);
    return changed;
  }

  /** What the startup packet asked for: settings it names are applied, others ignored. */
  applyStartup(parameters: Record<string, string>): void {
    for (const [name, value] of Object.entries(parameters)) {
      if (name === 'user' || name === 'database' || name === 'replication') continue;
      if (name === 'options') {
        for (const [, key, v] of value.matchAll(/(?:-c\s*|--)([\w.]+)=(\S+)/g)) this.#tryStartup(key!, v!);
        continue;
      }
      this.#tryStartup(name, value);
    }
  }

  #tryStartup(name: string, value: string): void {
    try {
      if (this.canonical(name) !== undefined) this.set(name, value);
    } catch (error) {
      if (!(error instanceof PgError) || error.code !== '55P02') throw error;
    }
  }

  /** Settings sent as ParameterStatus after startup. */
  reported(): [string, string][] {
    return Object.entries(this.#definitions)
      .filter(([, d]) => d.report)
      .map(([key]) => [key, this.#values.get(key) ?? '']);
  }

  /** SHOW ALL: every setting, sorted. */
  all(): [string, string][] {
    return [...this.#values.entries()].sort(([a], [b]) => a.toLowerCase().localeCompare(b.toLowerCase()));
  }

  get timeZone(): TimeZone {
    return this.#zone;
  }

  /** statement_timeout in milliseconds; 0 = none. */
  get statementTimeoutMs(): number {
    return Number(this.#values.get('statement_timeout') ?? '0');
  }
}

function checkEncoding(value: string): string {
  if (/^(utf-?8|unicode)$/i.test(value.trim())) return 'UTF8';
  throw new PgError('0A000', `client_encoding ${value} is not supported: this server speaks UTF8 only`);
}

function checkDateStyle(value: string): string {
  // Output is always ISO; the order part is kept as given.
  const parts = value.split(',').map((p) => p.trim().toUpperCase());
  if (parts.some((p) => ['SQL', 'POSTGRES', 'GERMAN'].includes(p))) {
    throw new PgError('0A000', `DateStyle ${value} is not supported: this server prints dates in ISO style`);
  }
  const order = parts.find((p) => ['MDY', 'DMY', 'YMD', 'EURO', 'EUROPEAN', 'US', 'NONEURO', 'NONEUROPEAN'].includes(p));
  const normalized = order === undefined || ['US', 'NONEURO', 'NONEUROPEAN'].includes(order) ? 'MDY' : ['EURO', 'EUROPEAN'].includes(order) ? 'DMY' : order;
  return `ISO, ${normalized}`;
}

function checkTimeZone(value: string): string {
  const v = value.trim();
  if (/^(default|local)$/i.test(v)) return 'UTC';
  if (!timeZoneNamed(v)) throw new PgError('22023', `invalid value for parameter "TimeZone": "${value}"`);
  return v;
}

/** statement_timeout: `5000`, `5s`, `1min`, `250ms` → milliseconds as text. */
function checkDuration(value: string): string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/i.exec(value);
  if (!m) throw new PgError('22023', `invalid value for parameter "statement_timeout": "${value}"`);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[unit] ?? 1;
  return String(Math.round(Number(m[1]) * factor));
}
