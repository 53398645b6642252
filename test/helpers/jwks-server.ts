/**
 * A real HTTP server on 127.0.0.1 (port 0) for the remote JWKS tests: routes by path, counts
 * every request it receives, and records how each response ended (finished, or cut off by the
 * client). Only loopback; close() drops every connection so a test never leaves one behind.
 */
import { createServer, type IncomingMessage, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface JWKSServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  url(path: string): string;
  /** Sets (or replaces) the handler of a path. Unknown paths answer 404. */
  route(path: string, handler: Handler): void;
  /** Requests received for a path (every path, routed or not). */
  hits(path: string): number;
  /** Request headers of the last request to a path. */
  lastHeaders(path: string): IncomingHttpHeaders | undefined;
  close(): Promise<void>;
}

export async function startJWKSServer(): Promise<JWKSServer> {
  const routes = new Map<string, Handler>();
  const counts = new Map<string, number>();
  const headers = new Map<string, IncomingHttpHeaders>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    headers.set(path, req.headers);
    const handler = routes.get(path);
    if (handler === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve(handler(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  let closed = false;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    route: (path, handler) => void routes.set(path, handler),
    hits: (path) => counts.get(path) ?? 0,
    lastHeaders: (path) => headers.get(path),
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** A handler answering 200 with `body` (JSON-encoded unless a string) and the given headers. */
export function respond(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Handler {
  const text = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  return (_req, res) => {
    res.writeHead(init.status ?? 200, { 'content-type': 'application/json', ...init.headers });
    res.end(text);
  };
}

/** What a streaming handler saw. */
export interface StreamRecord {
  /** Bytes handed to the socket before the response ended or was cut off. */
  written: number;
  /** True when the client closed the connection before the whole body was sent. */
  cutOff: boolean;
  /** Resolves when the response is over, either way. */
  done: Promise<void>;
}

/**
 * A handler sending `total` bytes of chunked JSON-ish body, `chunk` bytes every `everyMs`,
 * stopping as soon as the client goes away.
 */
export function slowHugeBody(total: number, chunk: number, everyMs: number): { handler: Handler; record: StreamRecord } {
  let finish: () => void = () => undefined;
  const record: StreamRecord = { written: 0, cutOff: false, done: new Promise((r) => (finish = r)) };
  const handler: Handler = async (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    let gone = false;
    res.on('close', () => {
      gone = true;
      if (!res.writableFinished) record.cutOff = true;
      finish();
    });
    const piece = Buffer.alloc(chunk, 0x20);
    res.write('{"keys":[');
    while (record.written < total && !gone) {
      res.write(piece);
      record.written += piece.length;
      await new Promise((r) => setTimeout(r, everyMs));
    }
    if (!gone) res.end(']}');
  };
  return { handler, record };
}

/** A handler that answers after `delayMs` (or never, if the client leaves first). */
export function delayed(delayMs: number, then: Handler): Handler {
  return (req, res) => {
    const timer = setTimeout(() => void then(req, res), delayMs);
    res.on('close', () => clearTimeout(timer));
  };
}
