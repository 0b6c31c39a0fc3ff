// Retries, timeouts and hooks of a client generated from tests/ts/sdk.yaml, against a local HTTP
// server that fails on cue: which calls are retried and how often, Retry-After, idempotency keys,
// network errors, timeouts, and the order the hooks are called in.

import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { test } from "node:test";

import { Client, ClientError, NetworkError, TimeoutError, UnexpectedStatusError, type CallContext } from "../sdk/src/index.js";
import { localServer, pause, type Seen } from "./local-server.js";

/** Answers the requests in turn: a status (with headers) or "drop" (the connection is cut). */
function scripted(script: ({ status: number; headers?: Record<string, string> } | "drop")[]) {
  return localServer((request: Seen, response: ServerResponse, index: number) => {
    const step = script[Math.min(index, script.length - 1)];
    if (step === "drop" || step === undefined) {
      response.socket?.destroy();
      return;
    }
    response.writeHead(step.status, { "Content-Type": "application/json", ...step.headers });
    response.end(JSON.stringify(step.status === 200 ? { n: index + 1 } : { message: `attempt ${index + 1}` }));
  });
}

const NOW = { "Retry-After": "0" };

test("an idempotent call is retried on 503 and 429 until it succeeds", async () => {
  const server = await scripted([{ status: 503, headers: NOW }, { status: 429, headers: NOW }, { status: 200 }]);
  try {
    const result = await new Client({ baseUrl: server.url }).getCounter();
    assert.equal(result.status, 200);
    if (result.status === 200) assert.equal(result.data.n, 3);
    assert.equal(server.seen.length, 3);
  } finally {
    await server.close();
  }
});

test("maxRetries bounds the attempts, per client and per call; the last answer is the result", async () => {
  const server = await scripted([{ status: 500, headers: NOW }]);
  try {
    const client = new Client({ baseUrl: server.url, maxRetries: 3 });
    await assert.rejects(client.getCounter(), (e: unknown) => e instanceof UnexpectedStatusError && e.status === 500);
    assert.equal(server.seen.length, 4);
    await assert.rejects(client.getCounter({}, { maxRetries: 0 }), UnexpectedStatusError);
    assert.equal(server.seen.length, 5);
  } finally {
    await server.close();
  }
  // A declared status that is retried is still a typed result once the retries are spent.
  const limited = await scripted([{ status: 429, headers: NOW }]);
  try {
    const result = await new Client({ baseUrl: limited.url, maxRetries: 1 }).getCounter();
    assert.equal(result.status, 429);
    assert.equal(limited.seen.length, 2);
  } finally {
    await limited.close();
  }
});

test("Retry-After is honoured, in seconds and as an HTTP date", async () => {
  // Sent about 1 s from now (after the first retry), with a resolution of one second: 3 s ahead
  // leaves at least 1 s to wait when it arrives.
  const date = new Date(Date.now() + 3000).toUTCString();
  const server = await scripted([{ status: 429, headers: { "Retry-After": "1" } }, { status: 503, headers: { "Retry-After": date } }, { status: 200 }]);
  try {
    const result = await new Client({ baseUrl: server.url }).getCounter();
    assert.equal(result.status, 200);
    const [first, second, third] = server.seen.map((s) => s.at);
    assert.ok(first !== undefined && second !== undefined && third !== undefined);
    assert.ok(second - first >= 950, `waited ${second - first} ms for Retry-After: 1`);
    assert.ok(third - second >= 500, `waited ${third - second} ms for Retry-After: ${date}`);
  } finally {
    await server.close();
  }
});

test("a POST is not retried: not on 503, not on a network error", async () => {
  const server = await scripted([{ status: 503, headers: NOW }, "drop", { status: 200 }]);
  try {
    const client = new Client({ baseUrl: server.url });
    await assert.rejects(client.bumpCounter(), (e: unknown) => e instanceof UnexpectedStatusError && e.status === 503);
    await assert.rejects(client.bumpCounter(), NetworkError);
    assert.equal(server.seen.length, 2);
  } finally {
    await server.close();
  }
});

test("a call with an idempotency key is retried with the same key; each call has its own", async () => {
  const server = await scripted([{ status: 503, headers: NOW }, "drop", { status: 200 }]);
  try {
    const client = new Client({ baseUrl: server.url });
    const result = await client.createCharge();
    assert.equal(result.status, 200);
    const keys = server.seen.map((s) => s.headers["idempotency-key"]);
    assert.equal(keys.length, 3);
    assert.ok(typeof keys[0] === "string" && keys[0].length >= 32, `key ${keys[0]}`);
    assert.ok(keys.every((k) => k === keys[0]), `keys ${keys.join(", ")}`);
    await client.createCharge();
    assert.notEqual(server.seen[3]?.headers["idempotency-key"], keys[0]);
    // A key the caller gives is the one sent; an operation marked by the extension gets one too.
    await client.createCharge({ "Idempotency-Key": "mine" });
    assert.equal(server.seen[4]?.headers["idempotency-key"], "mine");
    await client.createRefund();
    assert.ok((server.seen[5]?.headers["idempotency-key"] ?? "").length >= 32);
  } finally {
    await server.close();
  }
});

test("a network error is retried for an idempotent call", async () => {
  const server = await scripted(["drop", { status: 200 }]);
  try {
    const result = await new Client({ baseUrl: server.url }).getCounter();
    assert.equal(result.status, 200);
    assert.equal(server.seen.length, 2);
  } finally {
    await server.close();
  }
});

test("a timeout is a TimeoutError (a ClientError), per client or per call", async () => {
  const server = await localServer(async (_request, response) => {
    await pause(1500);
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ n: 1 }));
  });
  try {
    // Attempts are counted by the client: a request aborted early may never reach the server.
    let attempts = 0;
    const client = new Client({ baseUrl: server.url, timeout: 200, maxRetries: 0, onRequest: () => void (attempts += 1) });
    const started = Date.now();
    await assert.rejects(client.getCounter(), (e: unknown) => e instanceof TimeoutError && e instanceof ClientError && e.timeout === 200);
    assert.ok(Date.now() - started < 1200, `took ${Date.now() - started} ms`);
    const slow = await client.getCounter({}, { timeout: 5000 });
    assert.equal(slow.status, 200);
    // A timed-out attempt of an idempotent call is retried.
    attempts = 0;
    await assert.rejects(client.getCounter({}, { maxRetries: 1 }), TimeoutError);
    assert.equal(attempts, 2);
  } finally {
    await server.close();
  }
});

test("aborting during the backoff rejects at once with the signal's reason", async () => {
  const server = await scripted([{ status: 503, headers: { "Retry-After": "30" } }]);
  try {
    const controller = new AbortController();
    const reason = new Error("stop");
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    await assert.rejects(new Client({ baseUrl: server.url }).getCounter({}, { signal: controller.signal }), (e: unknown) => e === reason);
    assert.ok(Date.now() - started < 2000);
    assert.equal(server.seen.length, 1);
  } finally {
    await server.close();
  }
});

test("hooks: onRequest before each attempt, onResponse after each, onError with the error thrown", async () => {
  const server = await scripted([{ status: 503, headers: NOW }, { status: 200 }, { status: 500, headers: NOW }]);
  try {
    const calls: string[] = [];
    const client = new Client({
      baseUrl: server.url,
      onRequest: (context: CallContext) => {
        calls.push(`request ${context.operation} #${context.attempt}`);
        context.init.headers.set("X-Attempt", String(context.attempt));
      },
      onResponse: (response, context) => {
        calls.push(`response ${response.status} #${context.attempt}`);
      },
      onError: (error) => {
        calls.push(`error ${error instanceof UnexpectedStatusError ? error.status : String(error)}`);
      },
    });
    await client.getCounter();
    assert.deepEqual(calls, ["request GET /counter #0", "response 503 #0", "request GET /counter #1", "response 200 #1"]);
    assert.deepEqual(server.seen.map((s) => s.headers["x-attempt"]), ["0", "1"]);
    calls.length = 0;
    await assert.rejects(client.getCounter({}, { maxRetries: 0 }), UnexpectedStatusError);
    assert.deepEqual(calls, ["request GET /counter #0", "response 500 #0", "error 500"]);
  } finally {
    await server.close();
  }
});
