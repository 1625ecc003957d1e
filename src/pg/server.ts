// The listening side of `stripe-sql serve`: accepts sockets, answers SSLRequest with 'S' and
// upgrades the socket to TLS when a certificate and key are given (else 'N'),
// routes CancelRequest to the session it names, reads the startup packet, authenticates with
// SCRAM-SHA-256 when a password is set, then hands the socket to a Session. Binds loopback
// unless a password is set.
import { EventEmitter, once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { randomInt } from 'node:crypto';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import type { Connection } from '../index.js';
import { backend } from './protocol/backend.js';
import { decodeMessage, decodeSaslInitialResponse, decodeStartup, FrameReader, ProtocolViolation, type StartupMessage } from './protocol/frontend.js';
import { MessageWriter } from './protocol/writer.js';
import { REFUSE_ENCRYPTION } from './protocol/backend.js';
import { errorFields } from './errors.js';
import { makeScramSecret, PasswordMismatch, SCRAM_MECHANISM, ScramExchange, type ScramSecret } from './scram.js';
import { Session } from './session.js';

export interface PgServerOptions {
  /** A new connection, one per session. */
  connect: () => Connection;
  /** Default 127.0.0.1. Any other address needs a password. */
  host?: string;
  /** Default 5433; 0 = any free port. */
  port?: number;
  /** Clients must prove it with SCRAM-SHA-256; none = no authentication (loopback only). */
  password?: string;
  /** stripe-sql's version, shown in server_version and version(). */
  version?: string;
  /**
   * A PEM certificate (chain) and its private key: SSLRequest is then answered 'S' and the
   * session continues over TLS. Without them SSLRequest gets 'N'.
   */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

/** Refused configurations (a non-loopback bind without a password). */
export class ServeError extends Error {
  override name = 'ServeError';
}

/** How long a client has to finish startup and authentication. */
const HANDSHAKE_MS = 60_000;

export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * Events: 'session' (Session) when a client is in; 'statement' ({ processId, sql }) when a
 * session starts running a statement — what tests wait on instead of sleeping.
 */
export class PgServer extends EventEmitter {
  readonly #server: Server;
  readonly #options: PgServerOptions;
  readonly #secret: ScramSecret | undefined;
  readonly #secureContext: SecureContext | undefined;
  readonly #sessions = new Map<number, Session>();
  readonly #sockets = new Set<Socket>();
  #nextProcessId = randomInt(1000, 30000);

  private constructor(options: PgServerOptions) {
    super();
    this.#options = options;
    this.#secret = options.password !== undefined ? makeScramSecret(options.password) : undefined;
    this.#secureContext = options.tls ? tlsContext(options.tls) : undefined;
    this.#server = createServer((socket) => void this.#accept(socket));
  }

  static async start(options: PgServerOptions): Promise<PgServer> {
    const host = options.host ?? '127.0.0.1';
    if (!isLoopback(host) && !options.password) {
      throw new ServeError(`refusing to listen on ${host} without a password: set --password or $STRIPE_SQL_PASSWORD (clients then authenticate with SCRAM-SHA-256), or listen on 127.0.0.1`);
    }
    if (options.password === '') throw new ServeError('the password is empty');
    const server = new PgServer(options);
    server.#server.listen(options.port ?? 5433, host);
    await Promise.race([once(server.#server, 'listening'), once(server.#server, 'error').then(([e]) => Promise.reject(e))]);
    return server;
  }

  get address(): { host: string; port: number } {
    const a = this.#server.address();
    if (a === null || typeof a === 'string') throw new Error('not listening');
    return { host: a.address, port: a.port };
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Stops listening and ends every session (their running statements are stopped). */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await Promise.all([...this.#sessions.values()].map((s) => s.close()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  async #accept(raw: Socket): Promise<void> {
    raw.setNoDelay(true);
    this.#sockets.add(raw);
    raw.on('close', () => this.#sockets.delete(raw));
    raw.on('error', () => raw.destroy());
    let socket: Socket = raw;
    let reader = new FrameReader();
    let input = new Handshake(socket, reader);
    let ssl = false;
    const timer = setTimeout(() => raw.destroy(), HANDSHAKE_MS);
    timer.unref();
    const out = new MessageWriter();
    try {
      let startup: Extract<StartupMessage, { kind: 'startup' }> | undefined;
      while (!startup) {
        const frame = await input.frame();
        const message = decodeStartup(frame.body);
        if (message.kind === 'ssl' && this.#secureContext && !ssl) {
          // Bytes sent after SSLRequest before the TLS handshake would be unencrypted: refused.
          if (reader.buffered > 0) throw new ProtocolViolation('received unencrypted data after SSL request');
          input.detach();
          raw.write(ACCEPT_ENCRYPTION);
          const secure = new TLSSocket(raw, { isServer: true, secureContext: this.#secureContext });
          secure.on('error', () => raw.destroy());
          socket = secure;
          reader = new FrameReader();
          input = new Handshake(socket, reader);
          ssl = true;
        } else if (message.kind === 'ssl' || message.kind === 'gssenc') socket.write(REFUSE_ENCRYPTION);
        else if (message.kind === 'cancel') {
          const session = this.#sessions.get(message.processId);
          if (session && session.secretKey === message.secretKey) session.cancel();
          socket.end();
          return;
        } else startup = message;
      }
      reader.startupPhase = false;
      const user = startup.parameters.user;
      if (!user) throw new FatalStartup('28000', 'no PostgreSQL user name specified in startup packet');
      if (this.#secret) await this.#authenticate(input, out, socket, user, this.#secret);
      clearTimeout(timer);
      input.detach();
      const processId = this.#nextProcessId++;
      const session = new Session(socket, reader, {
        connect: this.#options.connect,
        user,
        database: startup.parameters.database ?? user,
        processId,
        secretKey: randomInt(1, 2 ** 31 - 1),
        version: this.#options.version ?? '0.0.0',
        startupParameters: startup.parameters,
        ssl,
        onStatement: (sql) => this.emit('statement', { processId, sql }),
      });
      this.#sessions.set(processId, session);
      this.emit('session', session);
      try {
        await session.run();
      } finally {
        this.#sessions.delete(processId);
      }
    } catch (error) {
      clearTimeout(timer);
      if (socket.destroyed || error instanceof ClientLeft) {
        socket.destroy();
        return;
      }
      const fields = error instanceof FatalStartup ? { severity: 'FATAL' as const, code: error.code, message: error.message } : { ...errorFields(error), severity: 'FATAL' as const };
      backend.errorResponse(out, fields);
      socket.end(out.take());
    }
  }

  async #authenticate(input: Handshake, out: MessageWriter, socket: Socket, user: string, secret: ScramSecret): Promise<void> {
    backend.authenticationSasl(out, [SCRAM_MECHANISM]);
    socket.write(out.take());
    const first = await input.message();
    const { mechanism, data } = decodeSaslInitialResponse(first);
    if (mechanism !== SCRAM_MECHANISM) throw new FatalStartup('28000', `SASL mechanism ${mechanism} is not supported: use ${SCRAM_MECHANISM}`);
    const exchange = new ScramExchange(secret);
    backend.authenticationSaslContinue(out, exchange.start(data.toString('utf8')));
    socket.write(out.take());
    const final = await input.message();
    try {
      backend.authenticationSaslFinal(out, exchange.finish(final.toString('utf8')));
    } catch (error) {
      if (error instanceof PasswordMismatch) throw new FatalStartup('28P01', `password authentication failed for user "${user}"`);
      throw new FatalStartup('28000', (error as Error).message);
    }
    // AuthenticationOk follows from the session, with the settings.
    socket.write(out.take());
  }
}

/** Answers SSLRequest: go ahead with the TLS handshake. */
const ACCEPT_ENCRYPTION = Buffer.from('S');

/** The certificate and key, checked now so a bad pair fails at start, not at the first client. */
function tlsContext(tls: { cert: string | Buffer; key: string | Buffer }): SecureContext {
  try {
    return createSecureContext({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' });
  } catch (error) {
    throw new ServeError(`the TLS certificate and key cannot be used: ${(error as Error).message}`);
  }
}

class ClientLeft extends Error {}

class FatalStartup extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads frames during startup and authentication, before a Session owns the socket. */
class Handshake {
  #waiter: { resolve: () => void; reject: (e: Error) => void } | undefined;
  #failure: Error | undefined;
  readonly #onData = (chunk: Buffer) => {
    this.reader.push(chunk);
    this.#wake();
  };
  readonly #onEnd = () => {
    this.#failure = new ClientLeft('the client left during startup');
    this.#wake();
  };

  constructor(
    readonly socket: Socket,
    readonly reader: FrameReader,
  ) {
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onEnd);
  }

  async frame(): Promise<{ type: number | null; body: Buffer }> {
    for (;;) {
      const frame = this.reader.next();
      if (frame) return frame;
      if (this.#failure) throw this.#failure;
      await new Promise<void>((resolve, reject) => {
        this.#waiter = { resolve, reject };
      });
    }
  }

  /** A password-type message ('p') during authentication; its body. */
  async message(): Promise<Buffer> {
    const frame = await this.frame();
    const message = decodeMessage(frame.type!, frame.body);
    if (message.kind === 'terminate') throw new ClientLeft('the client left during authentication');
    if (message.kind !== 'password') throw new ProtocolViolation('expected a password message during authentication');
    return message.body;
  }

  detach(): void {
    this.socket.off('data', this.#onData);
    this.socket.off('end', this.#onEnd);
    this.socket.off('close', this.#onEnd);
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.resolve();
  }
}
