// Builds PostgreSQL protocol (v3) messages into one growing buffer: a message is a type byte,
// an int32 length that counts itself, and the body. The caller takes the bytes when it wants
// to write them (several messages at once, so a result is not one socket write per row).

export class MessageWriter {
  #buffer = Buffer.allocUnsafe(16 * 1024);
  #length = 0;
  /** Where the length of the message being built goes; -1 when none is open. */
  #lengthAt = -1;

  /** Bytes written and not yet taken. */
  get size(): number {
    return this.#length;
  }

  /** Opens a message of this type (a single ASCII letter or digit). */
  begin(type: string): this {
    if (this.#lengthAt >= 0) throw new Error('MessageWriter: a message is already open');
    this.#ensure(5);
    this.#buffer[this.#length] = type.charCodeAt(0);
    this.#lengthAt = this.#length + 1;
    this.#length += 5;
    return this;
  }

  /** Closes the open message: its length is now known. */
  end(): this {
    if (this.#lengthAt < 0) throw new Error('MessageWriter: no message is open');
    this.#buffer.writeInt32BE(this.#length - this.#lengthAt, this.#lengthAt);
    this.#lengthAt = -1;
    return this;
  }

  int8(value: number): this {
    this.#ensure(1);
    this.#buffer.writeUInt8(value & 0xff, this.#length);
    this.#length += 1;
    return this;
  }

  int16(value: number): this {
    this.#ensure(2);
    this.#buffer.writeInt16BE(value, this.#length);
    this.#length += 2;
    return this;
  }

  int32(value: number): this {
    this.#ensure(4);
    this.#buffer.writeInt32BE(value | 0, this.#length);
    this.#length += 4;
    return this;
  }

  /** A string and its terminating NUL. */
  cstring(value: string): this {
    const bytes = Buffer.byteLength(value);
    this.#ensure(bytes + 1);
    this.#buffer.write(value, this.#length, 'utf8');
    this.#length += bytes;
    this.#buffer[this.#length++] = 0;
    return this;
  }

  /** A string's UTF-8 bytes, without terminator. */
  string(value: string): this {
    const bytes = Buffer.byteLength(value);
    this.#ensure(bytes);
    this.#buffer.write(value, this.#length, 'utf8');
    this.#length += bytes;
    return this;
  }

  /** An int32 length and the string's UTF-8 bytes (a DataRow field). */
  sizedString(value: string): this {
    // Room for the worst case (3 bytes per UTF-16 unit), then the length of what was written.
    this.#ensure(value.length * 3 + 4);
    const bytes = this.#buffer.write(value, this.#length + 4, 'utf8');
    this.#buffer.writeInt32BE(bytes, this.#length);
    this.#length += bytes + 4;
    return this;
  }

  bytes(value: Uint8Array): this {
    this.#ensure(value.length);
    this.#buffer.set(value, this.#length);
    this.#length += value.length;
    return this;
  }

  /** Everything written so far (complete messages only); the writer starts empty again. */
  take(): Buffer {
    if (this.#lengthAt >= 0) throw new Error('MessageWriter: take() inside an open message');
    const out = Buffer.from(this.#buffer.subarray(0, this.#length));
    this.#length = 0;
    if (this.#buffer.length > 1024 * 1024) this.#buffer = Buffer.allocUnsafe(16 * 1024);
    return out;
  }

  #ensure(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#buffer.length) return;
    let size = this.#buffer.length * 2;
    while (size < needed) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.#buffer.copy(bigger, 0, 0, this.#length);
    this.#buffer = bigger;
  }
}
