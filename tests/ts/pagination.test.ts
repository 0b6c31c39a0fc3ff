// Pagination of a client generated from tests/ts/sdk.yaml, against a local HTTP server: GitHub's
// Link header, Stripe's has_more + starting_after, a cursor field named by x-oaskit-pagination;
// links to other origins refused, pages fetched only as the loop needs them.

import assert from "node:assert/strict";
import { test } from "node:test";

import { Client, ClientError, PageError, nextLink, pages, paginate } from "../sdk/src/index.js";
import { localServer } from "./local-server.js";

test("Link headers: rel=next among others, quoted or not, several rel values", () => {
  assert.equal(nextLink('<https://a/x?page=1>; rel="prev", <https://a/x?page=3>; rel="next", <https://a/x?page=9>; rel="last"'), "https://a/x?page=3");
  assert.equal(nextLink("<https://a/x?page=3>;rel=next"), "https://a/x?page=3");
  assert.equal(nextLink('<https://a/y>; rel="next last"'), "https://a/y");
  assert.equal(nextLink('<https://a/x?page=9>; rel="last"'), undefined);
  assert.equal(nextLink(null), undefined);
});

test("a Link-paginated list: every item of every page, credentials and headers on each page", async () => {
  const server = await localServer((request, response) => {
    const url = new URL(request.url, "http://x");
    const page = Number(url.searchParams.get("page") ?? "1");
    const links = [`<${"http://127.0.0.1:" + url.port}/issues?per_page=2&page=1>; rel="first"`];
    // The next links are relative on page 1, absolute on page 2, and page 3 is the last.
    if (page === 1) links.push('</issues?per_page=2&page=2>; rel="next"');
    if (page === 2) links.push(`<http://${request.headers.host}/issues?per_page=2&page=3>; rel="next"`);
    response.writeHead(200, { "Content-Type": "application/json", Link: links.join(", ") });
    response.end(JSON.stringify(page < 3 ? [{ number: page * 10 + 1 }, { number: page * 10 + 2 }] : [{ number: 31 }]));
  });
  try {
    const client = new Client({ baseUrl: server.url, headers: { Authorization: "token t" } });
    const numbers: number[] = [];
    for await (const issue of paginate(client, "listIssues", { per_page: 2 })) numbers.push(issue.number);
    assert.deepEqual(numbers, [11, 12, 21, 22, 31]);
    assert.deepEqual(server.seen.map((s) => s.url), ["/issues?per_page=2", "/issues?per_page=2&page=2", "/issues?per_page=2&page=3"]);
    assert.ok(server.seen.every((s) => s.headers.authorization === "token t"));
  } finally {
    await server.close();
  }
});

test("a link to another origin is not followed, so the credentials stay with the API", async () => {
  const server = await localServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "application/json", Link: '<http://attacker.invalid/steal>; rel="next"' });
    response.end("[]");
  });
  try {
    const client = new Client({ baseUrl: server.url, headers: { Authorization: "token t" } });
    await assert.rejects(async () => {
      for await (const issue of paginate(client, "listIssues", {})) void issue;
    }, (e: unknown) => e instanceof ClientError && /another origin/.test(e.message));
    assert.equal(server.seen.length, 1);
  } finally {
    await server.close();
  }
});

test("a Stripe list: starting_after is the last item's id while has_more, other parameters kept", async () => {
  const server = await localServer((request, response) => {
    const after = new URL(request.url, "http://x").searchParams.get("starting_after");
    const pages: { [after: string]: [string[], boolean] } = { "": [["c1", "c2"], true], c2: [["c3", "c4"], true], c4: [["c5"], false] };
    const [ids, hasMore] = pages[after ?? ""] ?? [[], false];
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ object: "list", data: ids.map((id) => ({ id })), has_more: hasMore }));
  });
  try {
    const client = new Client({ baseUrl: server.url });
    const ids: string[] = [];
    for await (const customer of paginate(client, "listCustomers", { limit: 2 })) ids.push(customer.id);
    assert.deepEqual(ids, ["c1", "c2", "c3", "c4", "c5"]);
    assert.deepEqual(server.seen.map((s) => s.url), ["/customers?limit=2", "/customers?limit=2&starting_after=c2", "/customers?limit=2&starting_after=c4"]);
    // Pages as they come, and no page fetched before the loop asks for it.
    let seenPages = 0;
    for await (const page of pages(client, "listCustomers", { limit: 2 })) {
      seenPages += 1;
      assert.equal(page.object, "list");
      break;
    }
    assert.equal(seenPages, 1);
    assert.equal(server.seen.length, 4);
  } finally {
    await server.close();
  }
});

test("a cursor field declared by x-oaskit-pagination, until it is empty", async () => {
  const server = await localServer((request, response) => {
    const cursor = new URL(request.url, "http://x").searchParams.get("cursor");
    const next = cursor === null ? "n1" : cursor === "n1" ? "n2" : "";
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ channels: [`after ${cursor ?? "start"}`], response_metadata: { next_cursor: next } }));
  });
  try {
    const channels: string[] = [];
    for await (const channel of paginate(new Client({ baseUrl: server.url }), "listChannels", {})) channels.push(channel);
    assert.deepEqual(channels, ["after start", "after n1", "after n2"]);
  } finally {
    await server.close();
  }
});

test("a page that is not a success stops the loop with PageError; a cursor that does not move too", async () => {
  const server = await localServer((request, response) => {
    if (request.url.includes("starting_after=c1")) {
      response.writeHead(404, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ message: "gone" }));
      return;
    }
    // A broken server: from c0 on, the last id is the cursor it was given.
    const stuck = request.url.includes("starting_after=c0");
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ data: [{ id: stuck ? "c0" : "c1" }], has_more: true }));
  });
  try {
    const client = new Client({ baseUrl: server.url });
    await assert.rejects(async () => {
      for await (const customer of paginate(client, "listCustomers", {})) void customer;
    }, (e: unknown) => e instanceof PageError && e.result.status === 404);
    await assert.rejects(async () => {
      for await (const customer of paginate(client, "listCustomers", { starting_after: "c0" })) void customer;
    }, (e: unknown) => e instanceof ClientError && /did not move/.test(e.message));
  } finally {
    await server.close();
  }
});

/** Type-level only (never called). */
export async function misuse(client: Client): Promise<void> {
  // @ts-expect-error not a list operation
  paginate(client, "getCounter", {});
  // @ts-expect-error the request is the operation's own
  paginate(client, "listCustomers", { limit: "two" });
  for await (const issue of paginate(client, "listIssues", {})) {
    // @ts-expect-error items are typed
    void issue.title;
  }
}
