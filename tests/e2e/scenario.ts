// The end-to-end scenario: the generated TypeScript client (generated/ts-client) against the
// generated Rust server (generated/rust-server) running on 127.0.0.1. Run by tests/e2e.rs:
// `node dist/e2e/scenario.js BASE_URL`; exits non-zero on the first failed expectation.

import assert from "node:assert/strict";

import { Client, UnexpectedStatusError } from "../petstore/src/index.js";

const baseUrl = process.argv[2];
assert.ok(baseUrl, "usage: scenario.js BASE_URL");
// The store's staff: deletePet requires a bearer token granting `pets:write`.
const client = new Client({ baseUrl, auth: { bearer: "staff-token" } });

const created = await client.createPet({
  body: { name: "Rex", price: 1999, status: "available", tag: "dog", secretToken: "s3cr3t-t0ken" },
});
assert.equal(created.status, 201, "create");
if (created.status !== 201) throw new Error("unreachable");
const id = created.data.id;
assert.equal(created.data.price, 1999);
assert.equal(created.response.headers.get("Location"), `/v1/pets/${id}`);

const listed = await client.listPets({ limit: 10, status: ["available"] });
assert.equal(listed.status, 200, "list");
if (listed.status === 200) {
  assert.deepEqual(listed.data.map((p) => p.name), ["Rex"]);
  assert.equal(listed.response.headers.get("X-Total-Count"), "1");
}

const fetched = await client.getPet({ petId: id });
assert.equal(fetched.status, 200, "get");
if (fetched.status === 200) {
  assert.equal(fetched.data.tag, "dog");
  assert.equal("secretToken" in fetched.data, false, "writeOnly properties never come back");
}

const updated = await client.updatePet({
  petId: id,
  body: { name: "Rex", price: 2499, status: "sold", tag: null, secretToken: "s3cr3t-t0ken" },
});
assert.equal(updated.status, 200, "update");
if (updated.status === 200) {
  assert.equal(updated.data.price, 2499);
  assert.equal(updated.data.tag, null, "null is kept distinct from absent");
}

const deleted = await client.deletePet({ petId: id });
assert.equal(deleted.status, 204, "delete");

const missing = await client.getPet({ petId: id });
assert.equal(missing.status, 404, "the deleted pet is gone");
if (missing.status === 404) assert.equal(missing.error.status, 404);

// Invalid input is refused at the server's edge with a declared 400 problem naming the field.
const invalid = await client.createPet({ body: { name: "", price: 5, status: "available" } });
assert.equal(invalid.status, 400, "edge validation");
if (invalid.status === 400) assert.match(JSON.stringify(invalid.error), /name/);

// A status the spec does not declare for an operation is a typed error, not a silent success.
assert.ok(UnexpectedStatusError);
console.log("scenario ok");
