// Statements clients send by habit, answered by the session itself: transaction control
// (accepted, with PostgreSQL's tags and transaction states, though nothing is transactional),
// SET / RESET / SHOW, DISCARD, DEALLOCATE, cursors (DECLARE / FETCH / MOVE / CLOSE) and the
// session functions (`SELECT version()`, `current_setting(…)`, …). Anything else is for the
// connection (or the catalog answers, catalog/).
import { PgError } from './errors.js';
import { OID } from './protocol/types.js';
import type { WireValue } from './protocol/values.js';
import type { Settings } from './settings.js';
import { leadingWords, splitTopLevel, stripLeadingComments, unquoteIdentifier, unquoteLiteral } from './sql-text.js';
import { localStatement, type Portal, type Statement } from './statement.js';
import type { TransactionStatus } from './protocol/backend.js';
import type { ResultField } from './types.js';
import { rowsAt, type WireRow } from './rows.js';

/** What the session lends the commands. */
export interface SessionApi {
  readonly settings: Settings;
  readonly user: string;
  readonly database: string;
  readonly processId: number;
  readonly version: string;
  readonly transactionStatus: TransactionStatus;
  /** BEGIN / COMMIT / ROLLBACK: moves the transaction state, with PostgreSQL's warnings. */
  transaction(action: 'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollback-to'): void;
  /** Queues a ParameterStatus for a setting that changed. */
  report(name: string): void;
  /** A NoticeResponse (WARNING / NOTICE) before the command's result. */
  notice(severity: 'WARNING' | 'NOTICE', message: string): void;
  /** A statement for `sql` (a cursor's query): the connection's or one the session answers. */
  statementFor(sql: string): Statement;
  declareCursor(portal: Portal): void;
  cursor(name: string): Portal | undefined;
  closeCursor(name: string | null): void;
  deallocate(name: string | null): void;
  /** DISCARD ALL: statements, portals, settings and temporary tables are dropped. */
  discardAll(): Promise<void>;
  newPortal(name: string, statement: Statement, holdable: boolean): Portal;
}

const text = (name: string): ResultField => ({ name, typeOid: OID.text });

export function sessionCommand(sql: string, session: SessionApi): Statement | undefined {
  const [first = '', second = '', third = ''] = leadingWords(sql, 3);
  const body = stripLeadingComments(sql).replace(/;\s*$/, '').trim();
  switch (first) {
    case 'BEGIN':
    case 'START':
      if (first === 'START' && second !== 'TRANSACTION') return undefined;
      return localStatement(sql, null, () => {
        session.transaction('begin');
        return { tag: 'BEGIN' };
      });
    case 'COMMIT':
    case 'END':
      if (second === 'PREPARED') return undefined;
      return localStatement(
        sql,
        null,
        () => {
          const failed = session.transactionStatus === 'E';
          session.transaction('commit');
          return { tag: failed ? 'ROLLBACK' : 'COMMIT' };
        },
        { endsFailedTransaction: true },
      );
    case 'ROLLBACK':
    case 'ABORT': {
      const to = second === 'TO' || third === 'TO';
      if (second === 'PREPARED') return undefined;
      return localStatement(
        sql,
        null,
        () => {
          session.transaction(to ? 'rollback-to' : 'rollback');
          return { tag: 'ROLLBACK' };
        },
        { endsFailedTransaction: true },
      );
    }
    case 'SAVEPOINT':
      return localStatement(sql, null, () => {
        session.transaction('savepoint');
        return { tag: 'SAVEPOINT' };
      });
    case 'RELEASE':
      return localStatement(sql, null, () => {
        session.transaction('release');
        return { tag: 'RELEASE' };
      });
    case 'SET':
      return setCommand(sql, body, session);
    case 'RESET':
      return localStatement(sql, null, () => {
        const name = body.replace(/^RESET\s+/i, '').trim();
        const changed = /^all$/i.test(name) ? session.settings.reset() : session.settings.reset(unquoteIdentifier(name));
        changed.forEach((n) => session.report(n));
        return { tag: 'RESET' };
      });
    case 'SHOW':
      return showCommand(sql, body, session);
    case 'DISCARD':
      return localStatement(sql, null, async () => {
        if (second === 'ALL') await session.discardAll();
        return { tag: `DISCARD ${second || 'ALL'}` };
      });
    case 'DEALLOCATE':
      return localStatement(sql, null, () => {
        const name = body.replace(/^DEALLOCATE\s+(PREPARE\s+)?/i, '').trim();
        session.deallocate(/^all$/i.test(name) ? null : unquoteIdentifier(name));
        return { tag: /^all$/i.test(name) ? 'DEALLOCATE ALL' : 'DEALLOCATE' };
      });
    case 'DECLARE':
      return declareCommand(sql, body, session);
    case 'FETCH':
    case 'MOVE':
      return fetchCommand(sql, body, first, session);
    case 'CLOSE':
      return localStatement(sql, null, () => {
        const name = body.replace(/^CLOSE\s+/i, '').trim();
        session.closeCursor(/^all$/i.test(name) ? null : cursorName(name));
        return { tag: 'CLOSE CURSOR' };
      });
    case 'LISTEN':
    case 'UNLISTEN':
      return localStatement(sql, null, () => ({ tag: first }));
    case 'SELECT':
      return sessionFunctions(sql, body, session);
    default:
      return undefined;
  }
}

function setCommand(sql: string, body: string, session: SessionApi): Statement {
  return localStatement(sql, null, () => {
    let rest = body.replace(/^SET\s+/i, '');
    const local = /^LOCAL\s+/i.exec(rest);
    rest = rest.replace(/^(SESSION|LOCAL)\s+(?!CHARACTERISTICS|AUTHORIZATION)/i, '');
    if (/^(TRANSACTION|SESSION\s+CHARACTERISTICS)\b/i.test(rest)) return { tag: 'SET' };
    if (/^SESSION\s+AUTHORIZATION\b|^ROLE\b/i.test(rest)) return { tag: 'SET' };
    let name: string;
    let value: string;
    const zone = /^TIME\s+ZONE\s+([\s\S]+)$/i.exec(rest);
    const names = /^NAMES\s+([\s\S]+)$/i.exec(rest);
    if (zone) {
      name = 'TimeZone';
      value = zone[1]!.trim().replace(/^INTERVAL\s+/i, '');
    } else if (names) {
      name = 'client_encoding';
      value = names[1]!.trim();
    } else {
      const m = /^("(?:[^"]|"")*"|[\w.]+)\s*(?:=|\bTO\b)\s*([\s\S]*)$/i.exec(rest);
      if (!m) throw new PgError('42601', `syntax error in SET: ${body}`);
      name = unquoteIdentifier(m[1]!);
      value = m[2]!.trim();
    }
    const stored = /^default$/i.test(value)
      ? undefined
      : splitTopLevel(value)
          .map((part) => unquoteLiteral(part))
          .join(', ');
    if (stored === undefined) session.settings.reset(name).forEach((n) => session.report(n));
    else {
      const reported = session.settings.set(name, stored);
      if (reported) session.report(reported);
    }
    if (local && session.transactionStatus === 'I') session.notice('WARNING', 'SET LOCAL can only be used in transaction blocks');
    return { tag: 'SET' };
  });
}

function showCommand(sql: string, body: string, session: SessionApi): Statement {
  const raw = body.replace(/^SHOW\s+/i, '').trim();
  if (/^all$/i.test(raw)) {
    return localStatement(sql, [text('name'), text('setting'), text('description')], () => ({
      rows: session.settings.all().map(([name, value]) => [name, value, '']),
      tag: 'SHOW',
    }));
  }
  const name = /^time\s+zone$/i.test(raw) ? 'TimeZone' : /^transaction\s+isolation\s+level$/i.test(raw) ? 'transaction_isolation' : unquoteIdentifier(raw);
  const canonical = session.settings.canonical(name);
  const column = canonical !== undefined && !canonical.includes('.') ? canonical : name.toLowerCase();
  return localStatement(sql, [text(column)], () => {
    const value = session.settings.get(name);
    if (value === undefined) throw new PgError('42704', `unrecognized configuration parameter "${name}"`);
    return { rows: [[value]], tag: 'SHOW' };
  });
}

function cursorName(written: string): string {
  const t = written.trim();
  return t.startsWith('"') ? unquoteIdentifier(t) : t.toLowerCase();
}

function declareCommand(sql: string, body: string, session: SessionApi): Statement {
  const m = /^DECLARE\s+("(?:[^"]|"")*"|[\w$]+)\s+((?:BINARY|INSENSITIVE|ASENSITIVE|NO\s+SCROLL|SCROLL|\s)*)CURSOR\s*(WITH\s+HOLD|WITHOUT\s+HOLD)?\s*FOR\s+([\s\S]+)$/i.exec(body);
  if (!m) throw new PgError('42601', 'syntax error in DECLARE: expected DECLARE name CURSOR [WITH HOLD] FOR query');
  const name = cursorName(m[1]!);
  if (/BINARY/i.test(m[2]!)) throw new PgError('0A000', 'binary cursors are not supported');
  const holdable = /^WITH\s+HOLD/i.test(m[3] ?? '');
  const query = m[4]!;
  return localStatement(sql, null, () => {
    if (!holdable && session.transactionStatus === 'I') {
      throw new PgError('25P01', 'DECLARE CURSOR can only be used in transaction blocks');
    }
    if (session.cursor(name)) throw new PgError('42P03', `cursor "${name}" already exists`);
    session.declareCursor(session.newPortal(name, session.statementFor(query), holdable));
    return { tag: 'DECLARE CURSOR' };
  });
}

/** FETCH / MOVE [NEXT | FORWARD [n | ALL] | n | ALL] [FROM | IN] cursor. */
function fetchCommand(sql: string, body: string, verb: string, session: SessionApi): Statement {
  const m = /^(?:FETCH|MOVE)\s+(?:(NEXT|FORWARD\s+ALL|FORWARD\s+\d+|FORWARD|ALL|\d+|PRIOR|FIRST|LAST|ABSOLUTE\s+-?\d+|RELATIVE\s+-?\d+|BACKWARD(?:\s+(?:ALL|\d+))?)\s+)?(?:(?:FROM|IN)\s+)?("(?:[^"]|"")*"|[\w$]+)$/i.exec(body);
  if (!m) throw new PgError('42601', `syntax error in ${verb}`);
  const direction = (m[1] ?? 'NEXT').toUpperCase().replace(/\s+/g, ' ');
  let count: number;
  if (direction === 'NEXT' || direction === 'FORWARD') count = 1;
  else if (direction === 'ALL' || direction === 'FORWARD ALL') count = Infinity;
  else if (/^\d+$/.test(direction)) count = Number(direction);
  else if (direction.startsWith('FORWARD ')) count = Number(direction.slice(8));
  else throw new PgError('55000', `cursor can only scan forward: ${direction} is not supported`, { hint: 'Declare it with the SCROLL option to enable backward scan.' });
  const name = cursorName(m[2]!);
  const fields = verb === 'FETCH' ? (session.cursor(name)?.fields() ?? null) : null;
  return {
    ...localStatement(sql, fields, () => ({ tag: '' })),
    async start() {
      const cursor = session.cursor(name);
      if (!cursor) throw new PgError('34000', `cursor "${name}" does not exist`);
      const execution = await cursor.execution();
      const taken: (readonly WireValue[])[] = [];
      let moved = 0;
      while (moved < count) {
        const row = await execution.rows.next();
        if (row === undefined) break;
        moved++;
        if (verb === 'FETCH') taken.push(row);
      }
      cursor.rowsSent += moved;
      return { rows: rowsAt(taken as WireRow[]), fields: verb === 'FETCH' ? cursor.fields() : null, tag: () => `${verb} ${moved}` };
    },
  };
}

/** What each session function answers, and its column type. */
type SessionFunction = (args: string[], session: SessionApi) => { value: WireValue; typeOid: number };

const SESSION_FUNCTIONS: Record<string, SessionFunction> = {
  version: (_, s) => ({ value: `PostgreSQL ${s.settings.get('server_version')?.split(' ')[0]} (stripe-sql ${s.version}), a SQL connector for Stripe, on Node.js ${process.version}`, typeOid: OID.text }),
  current_setting: (args, s) => {
    const name = unquoteLiteral(args[0] ?? '');
    const missingOk = /^true$/i.test(args[1] ?? '');
    const value = s.settings.get(name);
    if (value === undefined && !missingOk) throw new PgError('42704', `unrecognized configuration parameter "${name}"`);
    return { value: value ?? null, typeOid: OID.text };
  },
  set_config: (args, s) => {
    const name = unquoteLiteral(args[0] ?? '');
    const reported = s.settings.set(name, unquoteLiteral(args[1] ?? ''));
    if (reported) s.report(reported);
    return { value: s.settings.get(name) ?? null, typeOid: OID.text };
  },
  current_database: (_, s) => ({ value: s.database, typeOid: OID.name }),
  current_catalog: (_, s) => ({ value: s.database, typeOid: OID.name }),
  current_schema: () => ({ value: 'public', typeOid: OID.name }),
  current_schemas: (args) => ({ value: /^true$/i.test(args[0] ?? '') ? '{pg_catalog,public}' : '{public}', typeOid: OID.nameArray }),
  current_user: (_, s) => ({ value: s.user, typeOid: OID.name }),
  current_role: (_, s) => ({ value: s.user, typeOid: OID.name }),
  session_user: (_, s) => ({ value: s.user, typeOid: OID.name }),
  user: (_, s) => ({ value: s.user, typeOid: OID.name }),
  pg_backend_pid: (_, s) => ({ value: s.processId, typeOid: OID.int4 }),
  pg_is_in_recovery: () => ({ value: false, typeOid: OID.bool }),
  inet_server_addr: () => ({ value: '127.0.0.1', typeOid: OID.text }),
  pg_postmaster_start_time: () => ({ value: STARTED, typeOid: OID.timestamptz }),
  txid_current: () => ({ value: 1, typeOid: OID.int8 }),
};
const STARTED = new Date();
/** Written without parentheses in SQL. */
const BARE = new Set(['current_user', 'current_role', 'session_user', 'user', 'current_catalog', 'current_schema']);

/** `SELECT f(…) [AS a], …` where every item is a session function; undefined otherwise. */
function sessionFunctions(sql: string, body: string, session: SessionApi): Statement | undefined {
  const list = /^SELECT\s+([\s\S]+)$/i.exec(body);
  if (!list) return undefined;
  const items = splitTopLevel(list[1]!);
  const calls: { fn: SessionFunction; args: string[]; name: string }[] = [];
  for (const item of items) {
    const m = /^(?:pg_catalog\s*\.\s*)?([a-z_]+)\s*(?:\(([\s\S]*)\))?(?:\s*::\s*[\w ]+)?(?:\s+(?:AS\s+)?("(?:[^"]|"")*"|[a-z_]\w*))?$/i.exec(item);
    if (!m) return undefined;
    const fname = m[1]!.toLowerCase();
    const fn = SESSION_FUNCTIONS[fname];
    if (!fn || (m[2] === undefined && !BARE.has(fname))) return undefined;
    calls.push({ fn, args: m[2] !== undefined ? splitTopLevel(m[2]) : [], name: m[3] !== undefined ? unquoteIdentifier(m[3]) : fname });
  }
  // The column types are known before running: evaluate once for them (these functions have no effects but set_config).
  const fields = calls.map((c) => ({ name: c.name, typeOid: c.fn === SESSION_FUNCTIONS.set_config ? OID.text : safeType(c, session) }));
  return localStatement(sql, fields, () => ({ rows: [calls.map((c) => c.fn(c.args, session).value)], tag: 'SELECT 1' }));
}

function safeType(call: { fn: SessionFunction; args: string[] }, session: SessionApi): number {
  try {
    return call.fn(call.args, session).typeOid;
  } catch {
    return OID.text;
  }
}
