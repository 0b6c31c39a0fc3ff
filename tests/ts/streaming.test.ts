// Server-sent events: the parser against the WHATWG rules with chunks cut everywhere (strings
// and bytes), then a client generated from tests/ts/sdk.yaml against a local HTTP server that
// sends chunked event streams with awkward boundaries, aborts, and plain JSON.

import assert from "node:assert/strict";
import { test } from "node:test";

import { Client, EventStream, EventStreamParser, ResponseBodyError, type RawServerSentEvent } from "../sdk/src/index.js";
import { readEvents } from "../sdk/src/stream.js";
import { localServer, pause, writeChunks } from "./local-server.js";

const SAMPLE =
  "\uFEFF: a comment\r\n" +
  "event: greeting\r\nid: 1\r\ndata: first line\r\ndata: second line\r\n\r\n" +
  "data:no space\rid: 2\rretry: 1500\r\r" +
  "data\n\n" +
  "event: ignored without data\nid: 3\nretry: x\n\n" +
  "data: héllo 🌍\ndata:  two spaces\nunknown: field\n\n" +
  "data: never dispatched (no blank line at the end)";

const EXPECTED: RawServerSentEvent[] = [
  { event: "greeting", data: "first line\nsecond line", id: "1" },
  { event: "message", data: "no space", id: "2", retry: 1500 },
  { event: "message", data: "", id: "2" },
  { event: "message", data: "héllo 🌍\n two spaces", id: "3" },
];

function parseAll(chunks: string[]): RawServerSentEvent[] {
  const parser = new EventStreamParser();
  return chunks.flatMap((chunk) => parser.feed(chunk));
}

test("the parser gives the same events wherever the text is cut", () => {
  assert.deepEqual(parseAll([SAMPLE]), EXPECTED);
  for (let i = 0; i <= SAMPLE.length; i++) {
    for (const j of [i, i + 1, i + 2, SAMPLE.length]) {
      if (j < i || j > SAMPLE.length) continue;
      assert.deepEqual(parseAll([SAMPLE.slice(0, i), SAMPLE.slice(i, j), SAMPLE.slice(j)]), EXPECTED, `cut at ${i} and ${j}`);
    }
  }
  assert.deepEqual(parseAll([...SAMPLE]), EXPECTED, "one character at a time");
});

test("a CR ending one chunk and an LF starting the next are one line break", () => {
  assert.deepEqual(parseAll(["data: a\r", "\n", "\r", "\ndata: b\r\n\r\n"]), [
    { event: "message", data: "a", id: "" },
    { event: "message", data: "b", id: "" },
  ]);
});

function byteStream(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

test("bytes cut inside the byte order mark and inside UTF-8 characters decode whole", async () => {
  const bytes = new TextEncoder().encode(SAMPLE);
  for (const size of [1, 2, 3, 5, 7]) {
    const events: RawServerSentEvent[] = [];
    for await (const event of readEvents(byteStream(bytes, size))) events.push(event);
    assert.deepEqual(events, EXPECTED, `chunks of ${size} bytes`);
  }
});

/** The SAMPLE's bytes cut inside the BOM, between CR and LF, inside 🌍 and inside é. */
function awkwardChunks(): Uint8Array[] {
  const bytes = new TextEncoder().encode(SAMPLE);
  const find = (text: string, offset = 0) => Buffer.from(bytes).indexOf(Buffer.from(text, "utf8"), offset);
  const cuts = [1, find("\r\n") + 1, find("\r\r") + 1, find("é") + 1, find("🌍") + 2, find("🌍") + 3, bytes.length - 3];
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const cut of cuts.sort((a, b) => a - b)) {
    chunks.push(bytes.slice(at, cut));
    at = cut;
  }
  chunks.push(bytes.slice(at));
  return chunks;
}

test("a chunked event stream from a real server, cut at awkward places", async () => {
  const server = await localServer(async (_request, response) => {
    response.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8" });
    await writeChunks(response, awkwardChunks());
    response.end();
  });
  try {
    const client = new Client({ baseUrl: server.url });
    const result = await client.listenEvents({ script: "sample" });
    assert.equal(result.status, 200);
    const stream: EventStream<string> = result.data;
    assert.ok(stream instanceof EventStream);
    const events = [];
    for await (const event of stream) events.push(event);
    assert.deepEqual(events, EXPECTED);
    assert.equal(server.seen[0]?.headers.accept, "text/event-stream");
  } finally {
    await server.close();
  }
});

function chatServer() {
  return localServer(async (request, response) => {
    const body = JSON.parse(request.body) as { model: string; stream?: boolean };
    if (body.stream !== true) {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ id: "c1", text: `hello from ${body.model}` }));
      return;
    }
    response.writeHead(200, { "Content-Type": "text/event-stream" });
    const chunks = ["he", "llo", " wor", "ld"].map((delta) => `data: ${JSON.stringify({ id: "c1", delta })}\n\n`);
    // Cut between events, inside a JSON text and inside the blank line ending an event.
    const all = chunks.join("") + "data: [DONE]\n\n" + "data: {\"id\": \"after done\", \"delta\": \"x\"}\n\n";
    await writeChunks(response, [all.slice(0, 7), all.slice(7, 40), all.slice(40, 41), all.slice(41)]);
    response.end();
  });
}

test("stream: true gives typed chunks, JSON parsed, ending at [DONE]", async () => {
  const server = await chatServer();
  try {
    const client = new Client({ baseUrl: server.url });
    const result = await client.createChat({ body: { model: "m", stream: true } });
    assert.ok(result.ok);
    let text = "";
    for await (const event of result.data) text += event.data.delta;
    assert.equal(text, "hello world");
    assert.equal(server.seen[0]?.headers.accept, "application/json, text/event-stream");
  } finally {
    await server.close();
  }
});

test("without stream the same operation resolves to the JSON body, typed as such", async () => {
  const server = await chatServer();
  try {
    const client = new Client({ baseUrl: server.url });
    const result = await client.createChat({ body: { model: "m" } });
    assert.equal(result.status, 200);
    if (result.status === 200) assert.equal(result.data.text, "hello from m");
    const explicit = await client.createChat({ body: { model: "n", stream: false } });
    assert.ok(explicit.ok && explicit.data.text === "hello from n");
  } finally {
    await server.close();
  }
});

test("aborting the signal mid-stream ends the loop with the signal's reason and closes the connection", async () => {
  const server = await localServer(async (_request, response) => {
    response.writeHead(200, { "Content-Type": "text/event-stream" });
    response.write("data: one\n\n");
    // Nothing more until the client goes away (a timer here would keep node alive after the test).
    await new Promise((resolve) => response.on("close", resolve));
  });
  try {
    const client = new Client({ baseUrl: server.url });
    const controller = new AbortController();
    const result = await client.listenEvents({ script: "slow" }, { signal: controller.signal });
    const seen: string[] = [];
    const reason = new Error("user went away");
    await assert.rejects(
      (async () => {
        for await (const event of result.data) {
          seen.push(event.data);
          controller.abort(reason);
        }
      })(),
      (error: unknown) => error === reason || (error instanceof Error && error.name === "AbortError"),
    );
    assert.deepEqual(seen, ["one"]);
    await server.closed(0);
  } finally {
    await server.close();
  }
});

test("breaking out of the loop cancels the body and closes the connection", async () => {
  const server = await localServer(async (_request, response) => {
    response.writeHead(200, { "Content-Type": "text/event-stream" });
    for (let i = 0; !response.destroyed && i < 1000; i++) {
      response.write(`data: ${i}\n\n`);
      await pause(5);
    }
    response.end();
  });
  try {
    const client = new Client({ baseUrl: server.url });
    const result = await client.listenEvents({ script: "endless" });
    for await (const event of result.data) if (event.data === "2") break;
    await server.closed(0);
    assert.ok(server.seen.length === 1);
  } finally {
    await server.close();
  }
});

test("event data that is not the declared JSON is a ResponseBodyError", async () => {
  const server = await localServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "text/event-stream" });
    response.end('data: {"id": "c1", "delta": "a"}\n\ndata: {not json\n\n');
  });
  try {
    const result = await new Client({ baseUrl: server.url }).createChat({ body: { model: "m", stream: true } });
    assert.ok(result.ok);
    const deltas: string[] = [];
    await assert.rejects(async () => {
      for await (const event of result.data) deltas.push(event.data.delta);
    }, ResponseBodyError);
    assert.deepEqual(deltas, ["a"]);
  } finally {
    await server.close();
  }
});

test("the raw response of a stream is unread until the loop starts", async () => {
  const server = await localServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "text/event-stream" });
    response.end("data: raw\n\n");
  });
  try {
    const result = await new Client({ baseUrl: server.url }).listenEvents({ script: "raw" });
    assert.equal(result.response.bodyUsed, false);
    assert.equal(await result.response.text(), "data: raw\n\n");
  } finally {
    await server.close();
  }
});

/** Type-level only (never called): what the overloads must reject. */
export async function misuse(client: Client): Promise<void> {
  const streamed = await client.createChat({ body: { model: "m", stream: true } });
  // @ts-expect-error a streamed result has no JSON body
  if (streamed.ok) console.log(streamed.data.text);
  const plain = await client.createChat({ body: { model: "m" } });
  // @ts-expect-error a JSON result is not iterable
  if (plain.ok) for await (const event of plain.data) console.log(event);
}
