// Behaviour of the generated petstore client (generated/ts-client) against a local HTTP server:
// the requests it sends (paths, query strings, headers, bodies) and the typed results it returns.
// Compiled and run by tests/ts_client.rs with node's built-in test runner.

import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";

import {
  Client,
  DEFAULT_BASE_URL,
  NetworkError,
  PetStatusValues,
  UnexpectedStatusError,
  type Pet,
} from "../petstore/src/index.js";

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

const requests: Recorded[] = [];
let server: Server;
let baseUrl: string;

const rex: Pet = { id: 1, name: "Rex", price: 1999, status: "available", tag: "dog", createdAt: "2024-05-01T09:30:00Z" };

function reply(res: ServerResponse, status: number, body?: unknown, type = "application/json"): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { "Content-Type": type }).end(JSON.stringify(body));
}

function route(req: Recorded, res: ServerResponse): void {
  const path = req.url.split("?")[0];
  if (req.method === "GET" && path === "/v1/pets") {
    if (req.url.includes("tag=boom")) return reply(res, 500, { title: "Boom", status: 500 }, "application/problem+json");
    if (req.url.includes("tag=accepted")) return reply(res, 202, { title: "Queued", status: 202 }, "application/problem+json");
    res.setHeader("X-Total-Count", "1");
    return reply(res, 200, [rex]);
  }
  if (req.method === "POST" && path === "/v1/pets") return reply(res, 201, { ...JSON.parse(req.body.toString()), id: 7 });
  if (req.method === "GET" && path === "/v1/pets/1") return reply(res, 200, rex);
  if (req.method === "GET" && path === "/v1/pets/404") {
    return reply(res, 404, { title: "Not Found", status: 404 }, "application/problem+json");
  }
  if (req.method === "GET" && path === "/v1/pets/418") return reply(res, 418, { teapot: true });
  if (req.method === "GET" && path === "/v1/pets/500") {
    res.writeHead(200, { "Content-Type": "application/json" }).end("not json at all");
    return;
  }
  if (req.method === "DELETE" && path === "/v1/pets/1") return reply(res, 204);
  if (req.method === "POST" && path === "/v1/pets/1/photo") return reply(res, 204);
  if (req.method === "GET" && path === "/v1/store/inventory") return reply(res, 200, { available: 12, sold: 40 });
  reply(res, 599, { unrouted: req.url });
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      route(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

after(() => {
  server.close();
});

function last(): Recorded {
  const r = requests.at(-1);
  assert.ok(r, "a request was sent");
  return r;
}

test("the default base URL comes from the spec's servers", () => {
  assert.equal(DEFAULT_BASE_URL, "http://localhost:8080/v1");
  assert.deepEqual([...PetStatusValues], ["available", "pending", "sold"]);
});

test("query parameters: form style, exploded arrays, percent-encoding", async () => {
  const client = new Client({ baseUrl });
  const result = await client.listPets({ limit: 10, status: ["available", "pending"], tag: "a b&c/ü" });
  assert.equal(last().method, "GET");
  assert.equal(last().url, "/v1/pets?limit=10&status=available&status=pending&tag=a%20b%26c%2F%C3%BC");
  assert.equal(result.status, 200);
  if (result.status === 200) {
    assert.deepEqual(result.data, [rex]);
    assert.equal(result.response.headers.get("X-Total-Count"), "1");
  }
  await client.listPets();
  assert.equal(last().url, "/v1/pets", "no parameters, no query string");
});

test("JSON bodies, path parameters, default headers, bearer auth and per-call headers", async () => {
  const client = new Client({ baseUrl: baseUrl + "/", headers: { "X-Client": "tests" }, auth: { bearer: () => "t0ken" } });
  const result = await client.createPet(
    { body: { name: "Tom", price: 1250, status: "pending", secretToken: "s3cr3t-t0ken" } },
    { headers: { "X-Request-Id": "42" } },
  );
  const sent = last();
  assert.equal(sent.url, "/v1/pets");
  assert.equal(sent.headers["content-type"], "application/json");
  assert.equal(sent.headers["x-client"], "tests");
  assert.equal(sent.headers["x-request-id"], "42");
  assert.equal(sent.headers["authorization"], "Bearer t0ken");
  assert.deepEqual(JSON.parse(sent.body.toString()), { name: "Tom", price: 1250, status: "pending", secretToken: "s3cr3t-t0ken" });
  assert.equal(result.status, 201);
  assert.equal(result.ok, true);
  if (result.status === 201) assert.equal(result.data.id, 7);
});

test("declared error statuses are typed results, not exceptions", async () => {
  const client = new Client({ baseUrl });
  const result = await client.getPet({ petId: 404 });
  assert.equal(last().url, "/v1/pets/404");
  assert.equal(result.status, 404);
  assert.equal(result.ok, false);
  if (result.status === 404) assert.equal(result.error.title, "Not Found");

  const fallback = await client.listPets({ tag: "boom" });
  assert.equal(fallback.status, 500, "`default` covers undeclared error statuses");
  if (!fallback.ok) assert.equal(fallback.error.title, "Boom");

  // Beside a 200, `default` is the error response: a 2xx it covers is not ok either, so `ok`
  // alone narrows `data` to the 200's Pet[].
  const accepted = await client.listPets({ tag: "accepted" });
  assert.equal(accepted.status, 202);
  assert.equal(accepted.ok, false);
  if (!accepted.ok) assert.equal(accepted.error.title, "Queued");
  const listed = await client.listPets();
  if (listed.ok) {
    const pets: Pet[] = listed.data;
    assert.ok(Array.isArray(pets));
  }
});

test("an undeclared status is an UnexpectedStatusError with the body", async () => {
  const client = new Client({ baseUrl });
  await assert.rejects(client.getPet({ petId: 418 }), (error: unknown) => {
    assert.ok(error instanceof UnexpectedStatusError);
    assert.equal(error.status, 418);
    assert.deepEqual(error.body, { teapot: true });
    return true;
  });
});

test("no content: 204 results carry no data", async () => {
  const client = new Client({ baseUrl });
  const result = await client.deletePet({ petId: 1 });
  assert.equal(last().method, "DELETE");
  assert.equal(result.status, 204);
  if (result.status === 204) assert.equal(result.data, undefined);
});

test("multipart bodies: files and fields", async () => {
  const client = new Client({ baseUrl });
  const file = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: "image/png" });
  const result = await client.uploadPetPhoto({ petId: 1, body: { file, caption: "Rex */ at the beach" } });
  const sent = last();
  assert.match(String(sent.headers["content-type"]), /^multipart\/form-data; boundary=/);
  const text = sent.body.toString("latin1");
  assert.match(text, /name="file"; filename="blob"\r\nContent-Type: image\/png\r\n\r\n\x89PNG/);
  assert.match(text, /name="caption"\r\n\r\nRex \*\/ at the beach\r\n/);
  assert.equal(result.status, 204);
});

test("a plain Blob part is named `blob` whatever the runtime's FormData does, a File keeps its name", async () => {
  // Bun's FormData sends a Blob appended without a filename as `filename=""` (servers read: no
  // file); node and browsers say `blob`. Emulated here with node's FormData.
  class BunFormData extends FormData {
    override append(name: string, value: string | Blob, filename?: string): void {
      if (typeof value === "string") super.append(name, value);
      else super.append(name, value, filename ?? (value instanceof File ? value.name : ""));
    }
  }
  const original = globalThis.FormData;
  globalThis.FormData = BunFormData;
  try {
    const client = new Client({ baseUrl });
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    await client.uploadPetPhoto({ petId: 1, body: { file: new Blob([bytes], { type: "image/png" }) } });
    assert.match(last().body.toString("latin1"), /name="file"; filename="blob"\r\nContent-Type: image\/png\r\n/);
    await client.uploadPetPhoto({ petId: 1, body: { file: new File([bytes], "rex.png", { type: "image/png" }) } });
    assert.match(last().body.toString("latin1"), /name="file"; filename="rex.png"\r\n/);
  } finally {
    globalThis.FormData = original;
  }
});

test("apiKey credentials only go to the operations that require them", async () => {
  const client = new Client({ baseUrl, auth: { api_key: "k3y", bearer: "b" } });
  const result = await client.getInventory();
  assert.equal(last().headers["x-api-key"], "k3y");
  assert.equal(last().headers["authorization"], undefined, "getInventory requires api_key only");
  if (result.status === 200) assert.deepEqual(result.data, { available: 12, sold: 40 });
  await client.getPet({ petId: 1 });
  assert.equal(last().headers["x-api-key"], undefined);
  assert.equal(last().headers["authorization"], "Bearer b");
});

test("an empty token or key sends no credential", async () => {
  const client = new Client({ baseUrl, auth: { api_key: "", bearer: () => "" } });
  await client.getInventory();
  assert.equal(last().headers["x-api-key"], undefined, "no empty X-API-Key");
  await client.getPet({ petId: 1 });
  assert.equal(last().headers["authorization"], undefined, "no `Authorization: Bearer `");
});

test("a custom fetch is used for every request", async () => {
  const seen: string[] = [];
  const client = new Client({
    baseUrl,
    fetch: (url, init) => {
      seen.push(`${init.method} ${url}`);
      return fetch(url, init);
    },
  });
  await client.getPet({ petId: 1 });
  assert.deepEqual(seen, [`GET ${baseUrl}/pets/1`]);
});

test("a network failure is a NetworkError with the cause", async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const client = new Client({ baseUrl: `http://127.0.0.1:${port}/v1` });
  await assert.rejects(client.getPet({ petId: 1 }), (error: unknown) => {
    assert.ok(error instanceof NetworkError, String(error));
    assert.ok(error.cause !== undefined);
    assert.match(error.message, /^GET http:\/\/127\.0\.0\.1:\d+\/v1\/pets\/1: /);
    return true;
  });
});

test("an aborted call rejects with the abort reason, not a NetworkError", async () => {
  const client = new Client({ baseUrl });
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(client.getPet({ petId: 1 }, { signal: controller.signal }), (error: unknown) => {
    assert.ok(!(error instanceof NetworkError));
    assert.equal((error as Error).name, "AbortError");
    return true;
  });
});

test("a body that is not its declared media type is a ResponseBodyError", async () => {
  const client = new Client({ baseUrl });
  await assert.rejects(client.getPet({ petId: 500 }), /cannot read the body of a 200 response/);
});
