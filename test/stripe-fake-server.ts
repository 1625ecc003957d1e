// A scripted stand-in for Stripe on 127.0.0.1, for the transport's tests: it records each raw
// request (method, URL, headers, body) and answers whatever the test's responder says.

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
  /** Drop the connection instead of answering. */
  destroy?: boolean;
}

export type Responder = (req: RecordedRequest, index: number) => ScriptedResponse | Promise<ScriptedResponse>;

export interface FakeStripe {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Highest number of requests being handled at once. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export const ok = (body: unknown = { id: 'obj_1', object: 'thing' }): ScriptedResponse => ({ status: 200, body });

export async function startFakeStripe(responder: Responder = () => ok()): Promise<FakeStripe> {
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const script = await responder(recorded, requests.length - 1);
      inFlight--;
      if (script.destroy) {
        req.socket.destroy();
        return;
      }
      const body = typeof script.body === 'string' ? script.body : JSON.stringify(script.body ?? {});
      res.writeHead(script.status ?? 200, { 'Content-Type': 'application/json', ...script.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const stripeError = (
  status: number,
  error: Record<string, unknown>,
  headers: Record<string, string> = {},
): ScriptedResponse => ({ status, body: { error }, headers });
