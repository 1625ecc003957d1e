// SCRAM-SHA-256 (RFC 5802 / 7677), the server's side, as PostgreSQL runs it: no channel
// binding (we do not offer SCRAM-SHA-256-PLUS), the user name inside the SCRAM message is
// ignored (the startup packet's counts). The password is salted once per server; each
// exchange gets its own nonce. Comparisons are constant-time.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const SCRAM_MECHANISM = 'SCRAM-SHA-256';
const ITERATIONS = 4096;

/** The stored form of the password: what a server keeps instead of the password itself. */
export interface ScramSecret {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

export function makeScramSecret(password: string, salt = randomBytes(16), iterations = ITERATIONS): ScramSecret {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  return { salt, iterations, storedKey: sha256(clientKey), serverKey: hmac(salted, 'Server Key') };
}

export class ScramError extends Error {
  override name = 'ScramError';
}

/** One authentication exchange: client-first → server-first, client-final → server-final. */
export class ScramExchange {
  #clientFirstBare = '';
  #serverFirst = '';
  #nonce = '';
  constructor(private readonly secret: ScramSecret) {}

  /** Reads client-first-message (`n,,n=user,r=nonce`), returns server-first-message. */
  start(clientFirst: string): string {
    const comma = clientFirst.indexOf(',');
    const flag = clientFirst.slice(0, comma);
    if (flag.startsWith('p=')) throw new ScramError('channel binding is not supported: connect with channel_binding=disable or prefer');
    if (flag !== 'n' && flag !== 'y') throw new ScramError('malformed SCRAM message (gs2 header)');
    const afterFlag = clientFirst.slice(comma + 1);
    const secondComma = afterFlag.indexOf(',');
    if (secondComma < 0) throw new ScramError('malformed SCRAM message (gs2 header)');
    this.#clientFirstBare = afterFlag.slice(secondComma + 1);
    const clientNonce = attribute(this.#clientFirstBare, 'r');
    if (!clientNonce || !/^[\x21-\x2b\x2d-\x7e]+$/.test(clientNonce)) throw new ScramError('malformed SCRAM message (nonce)');
    this.#nonce = clientNonce + randomBytes(18).toString('base64');
    this.#serverFirst = `r=${this.#nonce},s=${this.secret.salt.toString('base64')},i=${this.secret.iterations}`;
    return this.#serverFirst;
  }

  /** Reads client-final-message; returns server-final-message, or throws when the proof is wrong. */
  finish(clientFinal: string): string {
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (proofAt < 0) throw new ScramError('malformed SCRAM message (proof)');
    const withoutProof = clientFinal.slice(0, proofAt);
    const channelBinding = attribute(withoutProof, 'c');
    if (channelBinding !== 'biws' && channelBinding !== 'eSws') throw new ScramError('unexpected SCRAM channel binding data');
    if (attribute(withoutProof, 'r') !== this.#nonce) throw new ScramError('SCRAM nonce mismatch');
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
    const authMessage = `${this.#clientFirstBare},${this.#serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.secret.storedKey, authMessage);
    if (proof.length !== clientSignature.length) throw new PasswordMismatch();
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!;
    if (!timingSafeEqual(sha256(clientKey), this.secret.storedKey)) throw new PasswordMismatch();
    return `v=${hmac(this.secret.serverKey, authMessage).toString('base64')}`;
  }
}

/** The client proved a different password. */
export class PasswordMismatch extends ScramError {
  override name = 'PasswordMismatch';
}

function attribute(message: string, name: string): string | undefined {
  for (const part of message.split(',')) if (part.startsWith(`${name}=`)) return part.slice(name.length + 1);
  return undefined;
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}
