// The generated petstore client (generated/ts-client) under any runtime with `fetch` and
// `node:http` (node, bun, deno): against examples/petstore-example at BASE_URL (credentials in
// PETSTORE_API_KEY and PETSTORE_BEARER_TOKEN), then retries, a timeout and an abort against a
// local server. Run by bench/ts-runtimes.sh; prints `scenario ok` or exits non-zero.

import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { Client, TimeoutError } from "../petstore/src/index.js";

const baseUrl = process.argv[2] ?? "";
assert.ok(baseUrl, "usage: scenario.js BASE_URL");
const client = new Client({
  baseUrl,
  auth: { api_key: process.env.PETSTORE_API_KEY ?? "", bearer: process.env.PETSTORE_BEARER_TOKEN ?? "" },
});
const step = (name: string) => console.log(`ok   ${name}`);

// A plain call, and the typed result.
const created = await client.createPet({ body: { name: "Rex", price: 1999, status: "available", tag: "dog" } });
assert.equal(created.status, 201, "createPet");
if (!created.ok) throw new Error("unreachable");
const id = created.data.id;
const listed = await client.listPets({ limit: 10, status: ["available", "pending"] });
assert.ok(listed.ok, "listPets");
assert.ok(listed.data.some((p) => p.id === id && p.name === "Rex"));
step("plain calls (createPet, listPets)");

// Error responses narrow on `ok`.
const missing = await client.getPet({ petId: 987654321 });
assert.equal(missing.ok, false);
if (missing.ok) throw new Error("unreachable");
assert.equal(missing.status, 404);
assert.equal(missing.error.status, 404);
const invalid = await client.createPet({ body: { name: "", price: 5, status: "available" } });
assert.equal(invalid.status, 400);
if (invalid.ok) throw new Error("unreachable");
assert.match(JSON.stringify(invalid.error), /name/);
step("error responses (404, 400) narrowed by ok: false");

// Multipart: a Blob and a File, with a caption (the server prints the sizes it received).
const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const uploaded = await client.uploadPetPhoto({ petId: id, body: { file: new Blob([bytes], { type: "image/png" }), caption: "Rex, smiling" } });
assert.equal(uploaded.status, 204, "uploadPetPhoto (Blob)");
const asFile = await client.uploadPetPhoto({ petId: id, body: { file: new File([bytes, bytes], "rex.png", { type: "image/png" }) } });
assert.equal(asFile.status, 204, "uploadPetPhoto (File)");
const nowhere = await client.uploadPetPhoto({ petId: 987654321, body: { file: new Blob([bytes]) } });
assert.equal(nowhere.status, 404);
step("multipart uploads (Blob, File; 404 for a missing pet)");

// Credentials by scheme: the inventory takes the staff's API key.
const inventory = await client.getInventory();
assert.ok(inventory.ok, `getInventory: ${inventory.status}`);
assert.ok((inventory.data.available ?? 0) >= 1);
const deleted = await client.deletePet({ petId: id });
assert.equal(deleted.status, 204, "deletePet");
step("credentials (API key, bearer) and deletePet");

// Retries, a timeout and an abort against a local server: 503 then 200; one that never answers.
let attempts = 0;
const server = createServer((request, response) => {
  if (request.url?.startsWith("/v1/pets/1")) {
    attempts++;
    if (attempts === 1) {
      response.writeHead(503, { "Retry-After": "0" }).end();
    } else {
      response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ id: 1, name: "Rex", price: 1, status: "available" }));
    }
  }
  // Anything else hangs until the client gives up.
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
try {
  const retried = await new Client({ baseUrl: local }).getPet({ petId: 1 });
  assert.equal(retried.status, 200);
  assert.equal(attempts, 2, "one retry after the 503");
  step("retry after 503 with Retry-After: 0");

  const started = Date.now();
  await assert.rejects(new Client({ baseUrl: local, maxRetries: 0 }).getPet({ petId: 2 }, { timeout: 200 }), (error: unknown) => {
    assert.ok(error instanceof TimeoutError, `a TimeoutError, not ${String(error)}`);
    return true;
  });
  assert.ok(Date.now() - started < 5000);
  step("per-call timeout rejects with TimeoutError");

  const controller = new AbortController();
  const reason = new Error("stop");
  setTimeout(() => controller.abort(reason), 100);
  await assert.rejects(new Client({ baseUrl: local }).getPet({ petId: 3 }, { signal: controller.signal }), (error: unknown) => error === reason);
  step("abort rejects with the signal's reason");
} finally {
  server.closeAllConnections?.();
  server.close();
}
console.log("scenario ok");
