// A local HTTP server for the client's tests: each test gives a handler, gets the base URL and
// the requests the server saw (method, URL, headers, body), and closes it at the end.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** Milliseconds since the server started. */
  at: number;
}

export interface LocalServer {
  url: string;
  seen: Seen[];
  /** Resolves when the response of the request numbered `index` is closed (sent or cut off). */
  closed(index: number): Promise<void>;
  close(): Promise<void>;
}

export async function localServer(
  handler: (request: Seen, response: ServerResponse, index: number) => void | Promise<void>,
): Promise<LocalServer> {
  const seen: Seen[] = [];
  const closings: Promise<void>[] = [];
  const started = Date.now();
  const server = createServer((request, response) => {
    const index = seen.length;
    const chunks: Buffer[] = [];
    const record: Seen = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, body: "", at: Date.now() - started };
    seen.push(record);
    closings[index] = new Promise((resolve) => response.on("close", () => resolve()));
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      record.body = Buffer.concat(chunks).toString("utf8");
      Promise.resolve(handler(record, response, index)).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    closed: (index) => closings[index] ?? Promise.resolve(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes the chunks one by one, letting each reach the client before the next. */
export async function writeChunks(response: ServerResponse, chunks: (string | Uint8Array)[]): Promise<void> {
  for (const chunk of chunks) {
    response.write(chunk);
    await pause(5);
  }
}
