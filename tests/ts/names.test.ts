// A client generated from tests/ts/names.yaml, whose operation and parameter names are those an
// object already has (`then`, `constructor`, Object.prototype members) or are not identifiers
// (`1st`): the client is not a thenable, string conversion sends nothing, every operation is
// reachable under its renamed method and sends what the spec says. A custom fetch records requests.

import assert from "node:assert/strict";
import { test } from "node:test";

import { Client, type Constructor, HasOwnPropertyValues } from "../names/src/index.js";

function recorder(body = "{}") {
  const sent: { url: string; method: string; headers: Headers }[] = [];
  const client = new Client({
    fetch: async (url, init) => {
      sent.push({ url, method: init.method ?? "GET", headers: new Headers(init.headers) });
      const status = url.includes("/then/") ? 200 : 204;
      return new Response(status === 204 ? null : body, { status, headers: { "Content-Type": "application/json" } });
    },
  });
  return { sent, client };
}

test("awaiting the client gives the client and sends nothing", { timeout: 5000 }, async () => {
  const { sent, client } = recorder();
  const awaited = await client;
  assert.equal(awaited, client);
  assert.equal(await Promise.resolve(client), client);
  assert.equal(sent.length, 0);
});

test("string conversion and Object.prototype calls send nothing", () => {
  const { sent, client } = recorder();
  assert.equal(String(client), "[object Object]");
  assert.equal(`${client}`, "[object Object]");
  assert.equal(client.valueOf(), client);
  assert.equal(client.hasOwnProperty("then"), false);
  assert.equal(Object.prototype.isPrototypeOf.call(Client.prototype, client), true);
  assert.equal(client.constructor, Client);
  assert.equal(sent.length, 0);
});

test("operations named like object members are methods with a trailing underscore", async () => {
  const { sent, client } = recorder();
  const calls: [() => Promise<{ status: number }>, string][] = [
    [() => client.toString_(), "GET"],
    [() => client.valueOf_(), "POST"],
    [() => client.hasOwnProperty_(), "PUT"],
    [() => client.constructor_(), "DELETE"],
    [() => client.toLocaleString_(), "PATCH"],
    [() => client.isPrototypeOf_(), "OPTIONS"],
    [() => client.propertyIsEnumerable_(), "HEAD"],
  ];
  for (const [call, method] of calls) {
    const result = await call();
    assert.equal(result.status, 204);
    assert.deepEqual(
      [sent.at(-1)?.method, sent.at(-1)?.url],
      [method, "http://localhost:9/prototype"],
    );
  }
  await client._1st();
  await client._2faVerify();
  assert.deepEqual(
    sent.slice(-2).map((s) => `${s.method} ${s.url}`),
    ["GET http://localhost:9/digits", "POST http://localhost:9/digits"],
  );
});

test("parameters named like object members are renamed and sent under their own names", async () => {
  const { sent, client } = recorder(JSON.stringify({ constructor: "c", then: "t", toString: 3 }));
  const result = await client.then_({ constructorInPath: "a b" });
  assert.equal(sent.at(-1)?.url, "http://localhost:9/then/a%20b");
  assert.equal(sent.at(-1)?.headers.has("valueOf"), false);
  assert.equal(sent.at(-1)?.headers.has("constructor"), false);
  assert.equal(result.status, 200);
  if (result.status === 200) {
    const data: Constructor = result.data;
    assert.equal(data.then, "t");
    assert.equal(data.toString, 3);
  }
  await client.then_({
    constructorInPath: "c",
    protoInQuery: "p",
    toStringInQuery: "s",
    hasOwnPropertyInQuery: "h",
    valueOfInHeader: "v",
  });
  assert.equal(sent.at(-1)?.url, "http://localhost:9/then/c?__proto__=p&toString=s&hasOwnProperty=h");
  assert.equal(sent.at(-1)?.headers.get("valueOf"), "v");
  assert.deepEqual([...HasOwnPropertyValues], ["then", "constructor"]);
});
