/**
 * Hostile servers for the network bounds' tests (docs/limits.md), on 127.0.0.1 only: a black hole
 * that accepts connections and never answers, and answers that hang, trickle, or never end, for
 * the fake AWS endpoint and the fake API server to hand a request to (their `intercept` option).
 * Each answer stops when the client goes away, so a test leaves nothing running.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface BlackHole {
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: () => number;
  close(): Promise<void>;
}

/** Accepts every TCP connection and never sends a byte (a black-holed proxy, a hung load balancer). */
export async function startBlackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => accepted,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

export type Hostility = 'silent' | 'drip' | 'endless';

/**
 * Answers a request with hostility:
 * - `silent`: reads the request and never answers;
 * - `drip`: answers 200 at once, then one byte of body every `intervalMs` (default 1 s), for ever;
 * - `endless`: answers 200 and streams a body that never ends, as fast as the client reads it.
 */
export function answerWith(hostility: Hostility, req: IncomingMessage, res: ServerResponse, options: { intervalMs?: number; contentType?: string } = {}): void {
  req.resume();
  if (hostility === 'silent') return;
  res.writeHead(200, { 'Content-Type': options.contentType ?? 'application/json' });
  if (hostility === 'drip') {
    res.write('{');
    const timer = setInterval(() => res.write(' '), options.intervalMs ?? 1000);
    res.on('close', () => clearInterval(timer));
    return;
  }
  // JSON whitespace after an opening brace: valid so far, whatever is read of it.
  const chunk = Buffer.alloc(64 * 1024, ' ');
  res.write('{');
  const pump = () => {
    while (!res.destroyed && res.write(chunk)) { /* until the socket buffer is full */ }
  };
  res.on('drain', pump);
  pump();
}
