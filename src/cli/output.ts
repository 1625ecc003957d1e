// Where results go: standard output or an --output file. Writes wait while the reader is
// behind, so a slow pipe slows the reading instead of filling memory. A reader that goes away
// (`| head -1`) is not an error: the output closes, the statement running is stopped, and the
// command ends quietly.
import { createWriteStream } from 'node:fs';

export class Output {
  #closed = false;
  #failure: Error | undefined;
  readonly #onClose: (() => void)[] = [];

  private constructor(private readonly stream: NodeJS.WritableStream, private readonly ownsStream: boolean) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.#close();
      else {
        this.#failure = error;
        this.#close();
      }
    });
  }

  static toStream(stream: NodeJS.WritableStream): Output {
    return new Output(stream, false);
  }

  /** Opens (creates or truncates) the file first, so a bad path fails before any statement runs. */
  static async toFile(path: string): Promise<Output> {
    const stream = createWriteStream(path);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (error) => reject(new Error(`cannot write ${path}: ${error.message}`)));
    });
    return new Output(stream, true);
  }

  /** True once the reader went away (a closed pipe): nothing more will be written. */
  get closed(): boolean {
    return this.#closed;
  }

  /** A write error other than a closed pipe (a full disk, say). */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Called once, when the reader goes away or writing fails. */
  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#onClose.push(listener);
  }

  /** Resolves once the text is handed to the stream and the stream has room for more. */
  async write(text: string): Promise<void> {
    if (text === '' || this.#closed) return;
    if (this.stream.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.onClose(done);
    });
  }

  /** Flushes; closes the stream if it is a file this output opened. */
  async end(): Promise<void> {
    if (!this.ownsStream || this.#closed) return;
    await new Promise<void>((resolve) => {
      this.stream.once('finish', resolve);
      this.onClose(resolve);
      this.stream.end();
    });
    if (this.#failure) throw this.#failure;
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const listener of this.#onClose.splice(0)) listener();
  }
}
