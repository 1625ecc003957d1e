// What a client sends, decoded: the frames on the socket (the first messages carry no type
// byte), then each message's fields. Nothing here knows what a message means to a session.

/** A message the client may not send, or one that does not parse: SQLSTATE 08P01. */
export class ProtocolViolation extends Error {
  override name = 'ProtocolViolation';
}

export const PROTOCOL_3_0 = 196608;
export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;

/** Larger messages are refused: nothing legitimate sent to this server comes close. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export type StartupMessage =
  | { kind: 'ssl' }
  | { kind: 'gssenc' }
  | { kind: 'cancel'; processId: number; secretKey: number }
  | { kind: 'startup'; parameters: Record<string, string> };

export type FrontendMessage =
  | { kind: 'query'; sql: string }
  | { kind: 'parse'; name: string; sql: string; parameterTypes: number[] }
  | { kind: 'bind'; portal: string; statement: string; parameterFormats: number[]; values: (Buffer | null)[]; resultFormats: number[] }
  | { kind: 'describe'; target: 'S' | 'P'; name: string }
  | { kind: 'execute'; portal: string; maxRows: number }
  | { kind: 'close'; target: 'S' | 'P'; name: string }
  | { kind: 'sync' }
  | { kind: 'flush' }
  | { kind: 'terminate' }
  /** PasswordMessage, SASLInitialResponse and SASLResponse share the type 'p'; the auth step knows which. */
  | { kind: 'password'; body: Buffer }
  | { kind: 'copyData'; data: Buffer }
  | { kind: 'copyDone' }
  | { kind: 'copyFail'; message: string }
  | { kind: 'functionCall' };

/** Cuts the byte stream into frames. Before startup completes, frames have no type byte. */
export class FrameReader {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Until the startup packet has been read, frames are `int32 length, body`. */
  startupPhase = true;

  /** Bytes received and not yet cut into frames. */
  get buffered(): number {
    return this.#pendingBytes;
  }

  push(chunk: Buffer): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
  }

  /** The next whole frame, or undefined until more bytes arrive. */
  next(): { type: number | null; body: Buffer } | undefined {
    const headerBytes = this.startupPhase ? 4 : 5;
    if (this.#pendingBytes < headerBytes) return undefined;
    const head = this.#peek(headerBytes);
    const type = this.startupPhase ? null : head[0]!;
    const length = head.readInt32BE(this.startupPhase ? 0 : 1);
    if (length < 4 || length > MAX_MESSAGE_BYTES) throw new ProtocolViolation(`invalid message length ${length}`);
    const total = length + (this.startupPhase ? 0 : 1);
    if (this.#pendingBytes < total) return undefined;
    const frame = this.#consume(total);
    return { type, body: frame.subarray(headerBytes) };
  }

  #peek(bytes: number): Buffer {
    if (this.#pending[0]!.length >= bytes) return this.#pending[0]!;
    this.#pending = [Buffer.concat(this.#pending)];
    return this.#pending[0]!;
  }

  #consume(bytes: number): Buffer {
    const first = this.#peek(bytes);
    const frame = first.subarray(0, bytes);
    if (first.length === bytes) this.#pending.shift();
    else this.#pending[0] = first.subarray(bytes);
    this.#pendingBytes -= bytes;
    return frame;
  }
}

/** Reads the fields of one message body, failing with ProtocolViolation past its end. */
class FieldReader {
  #at = 0;
  constructor(private readonly body: Buffer) {}

  int16(): number {
    this.#need(2);
    const value = this.body.readInt16BE(this.#at);
    this.#at += 2;
    return value;
  }

  int32(): number {
    this.#need(4);
    const value = this.body.readInt32BE(this.#at);
    this.#at += 4;
    return value;
  }

  byte(): number {
    this.#need(1);
    return this.body[this.#at++]!;
  }

  cstring(): string {
    const end = this.body.indexOf(0, this.#at);
    if (end < 0) throw new ProtocolViolation('unterminated string in message');
    const value = this.body.toString('utf8', this.#at, end);
    this.#at = end + 1;
    return value;
  }

  bytes(length: number): Buffer {
    this.#need(length);
    const value = this.body.subarray(this.#at, this.#at + length);
    this.#at += length;
    return value;
  }

  get remaining(): number {
    return this.body.length - this.#at;
  }

  #need(bytes: number): void {
    if (this.#at + bytes > this.body.length) throw new ProtocolViolation('message is shorter than its fields');
  }
}

export function decodeStartup(body: Buffer): StartupMessage {
  const reader = new FieldReader(body);
  const code = reader.int32();
  if (code === SSL_REQUEST_CODE) return { kind: 'ssl' };
  if (code === GSSENC_REQUEST_CODE) return { kind: 'gssenc' };
  if (code === CANCEL_REQUEST_CODE) return { kind: 'cancel', processId: reader.int32(), secretKey: reader.int32() };
  if (code >> 16 !== 3) {
    throw new ProtocolViolation(`unsupported frontend protocol ${code >> 16}.${code & 0xffff}: server supports 3.0`);
  }
  const parameters: Record<string, string> = {};
  while (reader.remaining > 1) {
    const name = reader.cstring();
    if (name === '') break;
    parameters[name] = reader.cstring();
  }
  return { kind: 'startup', parameters };
}

export function decodeMessage(type: number, body: Buffer): FrontendMessage {
  const reader = new FieldReader(body);
  switch (String.fromCharCode(type)) {
    case 'Q':
      return { kind: 'query', sql: reader.cstring() };
    case 'P': {
      const name = reader.cstring();
      const sql = reader.cstring();
      const count = reader.int16();
      const parameterTypes: number[] = [];
      for (let i = 0; i < count; i++) parameterTypes.push(reader.int32() >>> 0);
      return { kind: 'parse', name, sql, parameterTypes };
    }
    case 'B': {
      const portal = reader.cstring();
      const statement = reader.cstring();
      const parameterFormats = readInt16List(reader);
      const count = reader.int16();
      const values: (Buffer | null)[] = [];
      for (let i = 0; i < count; i++) {
        const length = reader.int32();
        values.push(length < 0 ? null : reader.bytes(length));
      }
      const resultFormats = readInt16List(reader);
      return { kind: 'bind', portal, statement, parameterFormats, values, resultFormats };
    }
    case 'D':
    case 'C': {
      const target = String.fromCharCode(reader.byte());
      if (target !== 'S' && target !== 'P') throw new ProtocolViolation(`invalid ${type === 68 ? 'DESCRIBE' : 'CLOSE'} message subtype ${target}`);
      return { kind: type === 68 ? 'describe' : 'close', target, name: reader.cstring() };
    }
    case 'E':
      return { kind: 'execute', portal: reader.cstring(), maxRows: reader.int32() };
    case 'S':
      return { kind: 'sync' };
    case 'H':
      return { kind: 'flush' };
    case 'X':
      return { kind: 'terminate' };
    case 'p':
      return { kind: 'password', body };
    case 'd':
      return { kind: 'copyData', data: body };
    case 'c':
      return { kind: 'copyDone' };
    case 'f':
      return { kind: 'copyFail', message: reader.cstring() };
    case 'F':
      return { kind: 'functionCall' };
    default:
      throw new ProtocolViolation(`invalid frontend message type ${type}`);
  }
}

function readInt16List(reader: FieldReader): number[] {
  const count = reader.int16();
  const list: number[] = [];
  for (let i = 0; i < count; i++) list.push(reader.int16());
  return list;
}

/** SASLInitialResponse: the mechanism and the client's first message. */
export function decodeSaslInitialResponse(body: Buffer): { mechanism: string; data: Buffer } {
  const reader = new FieldReader(body);
  const mechanism = reader.cstring();
  const length = reader.int32();
  return { mechanism, data: length < 0 ? Buffer.alloc(0) : reader.bytes(length) };
}
