// One client's session after startup: reads its messages one at a time and answers them —
// simple query (several statements per message), extended query (Parse / Bind / Describe /
// Execute / Sync / Close, named and unnamed statements and portals, row limits), cancel,
// settings and the transaction state clients expect. It runs statements through its own
// Connection (so temporary tables are the session's) and knows nothing of what is behind it.
import type { Duplex } from 'node:stream';
import type { Connection } from '../index.js';
import { SqlError } from '../index.js';
import { backend, type ErrorFields, type TransactionStatus } from './protocol/backend.js';
import { decodeMessage, type FrameReader, type FrontendMessage, ProtocolViolation } from './protocol/frontend.js';
import { MessageWriter } from './protocol/writer.js';
import { BINARY_TYPES, TYPES } from './protocol/types.js';
import { BadValue, decodeBinary, decodeText, encodeBinary, encodeText, type WireValue } from './protocol/values.js';
import { CANCELED_BY_TIMEOUT, CANCELED_BY_USER, errorFields, PgError, sqlStateOfSqlError, StatementCanceled } from './errors.js';
import { Settings } from './settings.js';
import { splitStatements, withoutPublicSchema } from './sql-text.js';
import { connectionStatement, Portal, type Statement } from './statement.js';
import { sessionCommand, type SessionApi } from './commands.js';
import { copyLine, parseCopy } from './copy.js';
import { catalogStatement } from './catalog/index.js';
import { describeFields, formatOf, type ResultField } from './types.js';

export interface SessionOptions {
  /** A new connection for this session (and again after DISCARD ALL). */
  connect: () => Connection;
  user: string;
  database: string;
  processId: number;
  secretKey: number;
  version: string;
  /** The startup packet's parameters (application_name, TimeZone, options, …). */
  startupParameters: Record<string, string>;
  /** The session runs over TLS (SHOW ssl answers on). */
  ssl?: boolean;
  /** Told each time a statement starts running (the server's 'statement' event). */
  onStatement?: (sql: string) => void;
}

/** Output waiting in the writer beyond this is written out before more rows are encoded. */
const FLUSH_BYTES = 64 * 1024;
/** Rows taken from a statement at a time (all at hand, up to this many). */
const BATCH_ROWS = 4096;
/** Messages read ahead of the one being handled before the socket is paused. */
const INBOX_LIMIT = 256;

const EMPTY_STATEMENT: Statement = {
  sql: '',
  parameterOids: [],
  parameterKinds: [],
  fields: null,
  start: () => {
    throw new Error('empty statement');
  },
};

export class Session implements SessionApi {
  readonly settings: Settings;
  readonly user: string;
  readonly database: string;
  readonly processId: number;
  readonly secretKey: number;
  readonly version: string;
  #db: Connection;
  readonly #connect: () => Connection;
  readonly #onStatement: ((sql: string) => void) | undefined;
  readonly #socket: Duplex;
  readonly #reader: FrameReader;
  readonly #out = new MessageWriter();
  readonly #inbox: FrontendMessage[] = [];
  #wakeReader: (() => void) | undefined;
  #ended = false;
  #status: TransactionStatus = 'I';
  #writesInTransaction = 0;
  /** After an error in extended query: everything up to Sync is skipped. */
  #skipToSync = false;
  readonly #statements = new Map<string, Statement>();
  readonly #portals = new Map<string, Portal>();
  readonly #pendingReports = new Set<string>();
  /** The portal executing now: what CancelRequest stops. */
  #running: Portal | undefined;
  #closed = false;

  constructor(socket: Duplex, reader: FrameReader, options: SessionOptions) {
    this.#socket = socket;
    this.#reader = reader;
    this.#connect = options.connect;
    this.#onStatement = options.onStatement;
    this.user = options.user;
    this.database = options.database;
    this.processId = options.processId;
    this.secretKey = options.secretKey;
    this.version = options.version;
    this.settings = new Settings(options.version);
    this.settings.set('application_name', options.startupParameters.application_name ?? '');
    this.settings.applyStartup(options.startupParameters);
    if (options.ssl) this.settings.setFact('ssl', 'on');
    this.#db = this.#connect();
  }

  /** Greets the client (settings, key data, ReadyForQuery) and serves it until it leaves. */
  async run(): Promise<void> {
    this.#socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#socket.on('end', () => this.#end());
    this.#socket.on('close', () => this.#end());
    this.#socket.on('error', () => this.#end());
    backend.authenticationOk(this.#out);
    for (const [name, value] of this.settings.reported()) backend.parameterStatus(this.#out, name, value);
    backend.backendKeyData(this.#out, this.processId, this.secretKey);
    backend.readyForQuery(this.#out, 'I');
    await this.#flush();
    this.#receive(Buffer.alloc(0));
    try {
      for (;;) {
        const message = await this.#nextMessage();
        if (message === undefined || message.kind === 'terminate') break;
        await this.#handle(message);
        if (this.#inbox.length === 0) await this.#flush();
      }
    } catch (error) {
      if (!this.#ended) {
        backend.errorResponse(this.#out, { ...errorFields(error), severity: 'FATAL' });
        await this.#flush().catch(() => {});
      }
    } finally {
      await this.close();
    }
  }

  /** CancelRequest: stops the statement running now, if any. */
  cancel(): void {
    this.#running?.abort(new StatementCanceled(CANCELED_BY_USER));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const portal of this.#portals.values()) portal.close();
    this.#portals.clear();
    this.#running?.abort(new StatementCanceled('the client disconnected'));
    await this.#db.close();
    if (!this.#socket.destroyed) this.#socket.end();
  }

  // ------------------------------------------------------------------ reading messages

  #receive(chunk: Buffer): void {
    if (chunk.length > 0) this.#reader.push(chunk);
    try {
      for (let frame = this.#reader.next(); frame; frame = this.#reader.next()) {
        this.#inbox.push(decodeMessage(frame.type!, frame.body));
      }
    } catch (error) {
      this.#inbox.push({ kind: 'terminate' });
      backend.errorResponse(this.#out, errorFields(error instanceof ProtocolViolation ? error : new ProtocolViolation(String(error))));
      void this.#flush().catch(() => {});
    }
    if (this.#inbox.length > INBOX_LIMIT) this.#socket.pause();
    const wake = this.#wakeReader;
    this.#wakeReader = undefined;
    wake?.();
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    // A statement still running for a client that left is stopped with its requests.
    this.#running?.abort(new StatementCanceled('the client disconnected'));
    const wake = this.#wakeReader;
    this.#wakeReader = undefined;
    wake?.();
  }

  async #nextMessage(): Promise<FrontendMessage | undefined> {
    for (;;) {
      const message = this.#inbox.shift();
      if (message) {
        if (this.#inbox.length < INBOX_LIMIT / 2 && this.#socket.isPaused()) this.#socket.resume();
        return message;
      }
      if (this.#ended) return undefined;
      await new Promise<void>((resolve) => {
        this.#wakeReader = resolve;
      });
    }
  }

  async #flush(): Promise<void> {
    if (this.#out.size === 0 || this.#socket.destroyed) return;
    const bytes = this.#out.take();
    if (!this.#socket.write(bytes)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#socket.off('drain', done);
          this.#socket.off('close', done);
          resolve();
        };
        this.#socket.on('drain', done);
        this.#socket.on('close', done);
      });
    }
  }

  // -------------------------------------------------------------------------- dispatch

  async #handle(message: FrontendMessage): Promise<void> {
    if (this.#skipToSync && message.kind !== 'sync') return;
    switch (message.kind) {
      case 'query':
        return this.#simpleQuery(message.sql);
      case 'parse':
        return this.#extended(() => this.#parse(message.name, message.sql, message.parameterTypes));
      case 'bind':
        return this.#extended(() => this.#bind(message));
      case 'describe':
        return this.#extended(() => this.#describe(message.target, message.name));
      case 'execute':
        return this.#extended(() => this.#executeMessage(message.portal, message.maxRows));
      case 'close':
        return this.#extended(() => this.#closeMessage(message.target, message.name));
      case 'sync':
        this.#skipToSync = false;
        if (this.#status === 'I') this.#endImplicitTransaction();
        this.#readyForQuery();
        return;
      case 'flush':
        return this.#flush();
      case 'functionCall':
        return this.#extended(() => {
          throw new PgError('0A000', 'the fastpath function call interface is not supported');
        });
      case 'password':
        throw new ProtocolViolation('unexpected password message after authentication');
      default:
        // CopyData / CopyDone / CopyFail outside COPY FROM are ignored, as PostgreSQL does.
        return;
    }
  }

  /** Runs one extended-query step; an error is reported and the rest is skipped up to Sync. */
  async #extended(step: () => void | Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.#error(error, 0);
      this.#skipToSync = true;
    }
  }

  #error(error: unknown, statementStart: number): void {
    backend.errorResponse(this.#out, errorFields(error, statementStart));
    if (this.#status === 'T') this.#status = 'E';
  }

  #readyForQuery(): void {
    for (const name of this.#pendingReports) backend.parameterStatus(this.#out, name, this.settings.get(name) ?? '');
    this.#pendingReports.clear();
    backend.readyForQuery(this.#out, this.#status);
  }

  // ---------------------------------------------------------------------- simple query

  async #simpleQuery(sql: string): Promise<void> {
    const statements = splitStatements(sql);
    if (statements.length === 0) backend.emptyQueryResponse(this.#out);
    for (const { text, start } of statements) {
      const portal = await this.#guard(start, () => {
        const statement = this.#statementFor(text, []);
        this.#checkFailedTransaction(statement);
        return new Portal('', statement, [], []);
      });
      if (!portal) break;
      const ok = await this.#guard(start, () => this.#run(portal, 0, true));
      portal.close();
      if (!ok) break;
    }
    if (this.#status === 'I') this.#endImplicitTransaction();
    this.#readyForQuery();
  }

  /** Runs `step`; on error reports it (at `start` in the query) and returns undefined. */
  async #guard<T>(start: number, step: () => T | Promise<T>): Promise<T | undefined> {
    try {
      return (await step()) ?? (true as T);
    } catch (error) {
      this.#error(error, start);
      return undefined;
    }
  }

  // --------------------------------------------------------------------- extended query

  #parse(name: string, sql: string, parameterTypes: number[]): void {
    if (name !== '' && this.#statements.has(name)) throw new PgError('42P05', `prepared statement "${name}" already exists`);
    const statements = splitStatements(sql);
    if (statements.length > 1) throw new PgError('42601', 'cannot insert multiple commands into a prepared statement');
    const only = statements[0];
    const statement = only ? shiftPositions(only.start, () => this.#statementFor(only.text, parameterTypes)) : EMPTY_STATEMENT;
    this.#checkFailedTransaction(statement);
    this.#statements.set(name, statement);
    backend.parseComplete(this.#out);
  }

  #bind(message: Extract<FrontendMessage, { kind: 'bind' }>): void {
    const statement = this.#statements.get(message.statement);
    if (!statement) throw new PgError('26000', `prepared statement "${message.statement}" does not exist`);
    this.#checkFailedTransaction(statement);
    const expected = statement.parameterOids.length;
    if (message.values.length !== expected) {
      throw new PgError('08P01', `bind message supplies ${message.values.length} parameters, but prepared statement "${message.statement}" requires ${expected}`);
    }
    const values = message.values.map((raw, i) => this.#decodeParameter(statement, raw, formatOf(message.parameterFormats, i), i));
    const fields = statement.fields ?? [];
    fields.forEach((field, i) => {
      if (formatOf(message.resultFormats, i) === 1 && !BINARY_TYPES.has(field.typeOid)) {
        throw new PgError('0A000', `binary format is not supported for type ${TYPES.get(field.typeOid)?.name ?? field.typeOid} (column ${field.name}); ask for text`);
      }
    });
    if (message.portal !== '' && this.#portals.has(message.portal)) throw new PgError('42P03', `portal "${message.portal}" already exists`);
    this.#portals.get(message.portal)?.close();
    this.#portals.set(message.portal, new Portal(message.portal, statement, values, message.resultFormats));
    backend.bindComplete(this.#out);
  }

  #decodeParameter(statement: Statement, raw: Buffer | null, format: number, index: number): WireValue {
    if (raw === null) return null;
    const kind = statement.parameterKinds[index] ?? 'string';
    const oid = statement.parameterOids[index]!;
    try {
      if (format === 0) return decodeText(raw.toString('utf8'), kind, this.settings.timeZone, TYPES.get(oid)?.display);
      if (!BINARY_TYPES.has(oid)) throw new PgError('0A000', `binary format is not supported for parameter $${index + 1} of type ${TYPES.get(oid)?.name ?? oid}`);
      const value = decodeBinary(raw, oid);
      // Read by the declared type; the connection gets the kind it asked for.
      if (kind === 'string' && typeof value !== 'string' && value !== null) return encodeText(value, oid, this.settings.timeZone);
      if (typeof value === 'bigint') return value.toString();
      return value;
    } catch (error) {
      if (error instanceof BadValue) throw new PgError(error.code, error.message, { detail: `parameter $${index + 1}` });
      throw error;
    }
  }

  #describe(target: 'S' | 'P', name: string): void {
    if (target === 'S') {
      const statement = this.#statements.get(name);
      if (!statement) throw new PgError('26000', `prepared statement "${name}" does not exist`);
      backend.parameterDescription(this.#out, statement.parameterOids);
      if (statement.fields) backend.rowDescription(this.#out, describeFields(statement.fields, []));
      else backend.noData(this.#out);
      return;
    }
    const portal = this.#portals.get(name);
    if (!portal) throw new PgError('34000', `portal "${name}" does not exist`);
    const fields = portal.fields();
    if (fields) backend.rowDescription(this.#out, describeFields(fields, portal.resultFormats));
    else backend.noData(this.#out);
  }

  async #executeMessage(name: string, maxRows: number): Promise<void> {
    const portal = this.#portals.get(name);
    if (!portal) throw new PgError('34000', `portal "${name}" does not exist`);
    if (portal.statement === EMPTY_STATEMENT) {
      backend.emptyQueryResponse(this.#out);
      return;
    }
    this.#checkFailedTransaction(portal.statement);
    if (portal.done) {
      backend.commandComplete(this.#out, portal.lastTag ?? 'SELECT 0');
      return;
    }
    await this.#run(portal, maxRows, false);
  }

  #closeMessage(target: 'S' | 'P', name: string): void {
    if (target === 'S') this.#statements.delete(name);
    else {
      this.#portals.get(name)?.close();
      this.#portals.delete(name);
    }
    backend.closeComplete(this.#out);
  }

  #checkFailedTransaction(statement: Statement): void {
    if (this.#status === 'E' && !statement.endsFailedTransaction) {
      throw new PgError('25P02', 'current transaction is aborted, commands ignored until end of transaction block');
    }
  }

  /** The end of an implicit transaction (Sync or a simple Query outside BEGIN): its portals go. */
  #endImplicitTransaction(): void {
    for (const [name, portal] of this.#portals) {
      if (portal.holdable) continue;
      portal.close();
      this.#portals.delete(name);
    }
  }

  // ------------------------------------------------------------------------- running

  /** The statement `text` stands for: the session's own, a COPY, a catalog query, or the connection's. */
  #statementFor(text: string, declaredOids: readonly number[]): Statement {
    const own = sessionCommand(text, this);
    if (own) return own;
    const copy = parseCopy(text);
    if (copy) {
      const inner = shiftPositions(copy.queryStart, () => this.#statementFor(copy.query, []));
      if (!inner.fields) throw new PgError('0A000', 'COPY (query) TO needs a query that returns rows');
      return {
        ...inner,
        fields: null,
        async start(values, context) {
          return { ...(await inner.start(values, context)), fields: inner.fields, copy: copy.options, tag: (o) => `COPY ${o.rowCount}` };
        },
      };
    }
    const catalog = catalogStatement(text, this);
    if (catalog) return catalog;
    return connectionStatement(this.#db, withoutPublicSchema(text), declaredOids);
  }

  /**
   * Executes a portal: RowDescription first when `describe` (simple query), then up to `maxRows`
   * rows (0 = all) and CommandComplete, or PortalSuspended when rows remain.
   */
  async #run(portal: Portal, maxRows: number, describe: boolean): Promise<void> {
    this.#running = portal;
    const timeoutMs = this.settings.statementTimeoutMs;
    const timer = timeoutMs > 0 ? setTimeout(() => portal.abort(new StatementCanceled(CANCELED_BY_TIMEOUT)), timeoutMs) : undefined;
    timer?.unref();
    try {
      if (!portal.started) this.#onStatement?.(portal.statement.sql);
      const execution = await portal.execution();
      const fields = portal.fields();
      if (execution.copy) {
        await this.#copyOut(portal, fields ?? [], execution);
        return;
      }
      if (describe && fields) backend.rowDescription(this.#out, describeFields(fields, portal.resultFormats));
      const writeRow = fields ? this.#rowWriter(fields, portal.resultFormats) : undefined;
      let sent = 0;
      for (;;) {
        if (maxRows > 0 && sent === maxRows) {
          backend.portalSuspended(this.#out);
          return;
        }
        // Every row at hand goes into the one buffer, then out with the socket's backpressure.
        const batch = await execution.rows.nextBatch(maxRows > 0 ? maxRows - sent : BATCH_ROWS);
        if (batch === undefined) break;
        if (writeRow) for (const row of batch) writeRow(row);
        sent += batch.length;
        portal.rowsSent += batch.length;
        if (this.#out.size > FLUSH_BYTES) await this.#flush();
      }
      const tag = execution.tag(execution.rows.outcome ?? { rowCount: portal.rowsSent });
      portal.finish(tag);
      if (portal.statement.writes && this.#status === 'T') this.#writesInTransaction++;
      backend.commandComplete(this.#out, tag);
    } catch (error) {
      const reason = portal.signal.aborted ? portal.signal.reason : undefined;
      portal.close();
      throw reason instanceof StatementCanceled ? reason : error;
    } finally {
      if (timer) clearTimeout(timer);
      this.#running = undefined;
    }
  }

  async #copyOut(portal: Portal, fields: readonly ResultField[], execution: Awaited<ReturnType<Portal['execution']>>): Promise<void> {
    const options = execution.copy!;
    const zone = this.settings.timeZone;
    backend.copyOutResponse(this.#out, fields.map(() => 0));
    if (options.header) backend.copyData(this.#out, copyLine(fields.map((f) => f.name), options));
    let count = 0;
    for (let batch = await execution.rows.nextBatch(BATCH_ROWS); batch !== undefined; batch = await execution.rows.nextBatch(BATCH_ROWS)) {
      for (const row of batch) {
        const texts = fields.map((f, i) => {
          const value = row[i] ?? null;
          return value === null ? null : encodeText(value, f.typeOid, zone);
        });
        backend.copyData(this.#out, copyLine(texts, options));
      }
      count += batch.length;
      if (this.#out.size > FLUSH_BYTES) await this.#flush();
    }
    backend.copyDone(this.#out);
    const tag = `COPY ${count}`;
    portal.finish(tag);
    backend.commandComplete(this.#out, tag);
  }

  /** Writes one row as a DataRow straight into the output buffer. */
  #rowWriter(fields: readonly ResultField[], formats: readonly number[]): (row: readonly WireValue[]) => void {
    const zone = this.settings.timeZone;
    const out = this.#out;
    const encoders = fields.map((field, i) =>
      formatOf(formats, i) === 1 ? (value: Exclude<WireValue, null>) => encodeBinary(value, field.typeOid) : (value: Exclude<WireValue, null>) => encodeText(value, field.typeOid, zone),
    );
    return (row) => backend.dataRow(out, row, encoders);
  }

  // ------------------------------------------------------------- SessionApi (commands.ts)

  get transactionStatus(): TransactionStatus {
    return this.#status;
  }

  transaction(action: 'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollback-to'): void {
    switch (action) {
      case 'begin':
        if (this.#status !== 'I') this.notice('WARNING', 'there is already a transaction in progress');
        else {
          this.#status = 'T';
          this.#writesInTransaction = 0;
        }
        return;
      case 'commit':
      case 'rollback':
        if (this.#status === 'I') {
          this.notice('WARNING', 'there is no transaction in progress');
          return;
        }
        if (action === 'rollback' && this.#writesInTransaction > 0) {
          this.notice('WARNING', `stripe-sql has no transactions: the ${this.#writesInTransaction} write statement(s) since BEGIN were sent to Stripe and stay`);
        }
        this.#status = 'I';
        this.#endImplicitTransaction();
        return;
      case 'savepoint':
      case 'release':
        if (this.#status === 'I') throw new PgError('25P01', `${action === 'savepoint' ? 'SAVEPOINT' : 'RELEASE SAVEPOINT'} can only be used in transaction blocks`);
        return;
      case 'rollback-to':
        if (this.#status === 'I') throw new PgError('25P01', 'ROLLBACK TO SAVEPOINT can only be used in transaction blocks');
        this.#status = 'T';
        return;
    }
  }

  report(name: string): void {
    this.#pendingReports.add(name);
  }

  notice(severity: 'WARNING' | 'NOTICE', message: string): void {
    const fields: ErrorFields = { severity, code: severity === 'WARNING' ? '01000' : '00000', message };
    if (/no transaction in progress/.test(message)) fields.code = '25P01';
    if (/already a transaction in progress/.test(message)) fields.code = '25001';
    backend.noticeResponse(this.#out, fields);
  }

  statementFor(sql: string): Statement {
    return this.#statementFor(sql, []);
  }

  newPortal(name: string, statement: Statement, holdable: boolean): Portal {
    return new Portal(name, statement, [], [], holdable);
  }

  declareCursor(portal: Portal): void {
    this.#portals.set(portal.name, portal);
  }

  cursor(name: string): Portal | undefined {
    return name === '' ? undefined : this.#portals.get(name);
  }

  closeCursor(name: string | null): void {
    if (name === null) {
      for (const portal of this.#portals.values()) portal.close();
      this.#portals.clear();
      return;
    }
    const portal = this.#portals.get(name);
    if (!portal) throw new PgError('34000', `cursor "${name}" does not exist`);
    portal.close();
    this.#portals.delete(name);
  }

  deallocate(name: string | null): void {
    if (name === null) {
      for (const key of [...this.#statements.keys()]) if (key !== '') this.#statements.delete(key);
      return;
    }
    if (!this.#statements.delete(name)) throw new PgError('26000', `prepared statement "${name}" does not exist`);
  }

  async discardAll(): Promise<void> {
    if (this.#status !== 'I') throw new PgError('25001', 'DISCARD ALL cannot run inside a transaction block');
    for (const portal of this.#portals.values()) portal.close();
    this.#portals.clear();
    this.#statements.clear();
    this.settings.reset().forEach((name) => this.report(name));
    await this.#db.close();
    this.#db = this.#connect();
  }

  /** The session's connection (the catalog reads its tables). */
  get connection(): Connection {
    return this.#db;
  }
}

/** Runs `make` for a statement that starts at `offset` of the text the client sent: SqlError positions are moved there. */
function shiftPositions<T>(offset: number, make: () => T): T {
  if (offset === 0) return make();
  try {
    return make();
  } catch (error) {
    if (error instanceof SqlError) throw new PgError(sqlStateOfSqlError(error), error.reason, { position: offset + error.offset + 1 });
    if (error instanceof PgError && error.extra.position !== undefined) throw new PgError(error.code, error.message, { ...error.extra, position: offset + error.extra.position });
    throw error;
  }
}
