// Behaviour of a client generated from tests/ts/styles.yaml: every parameter style and explode
// setting, form and binary bodies, basic and apiKey (query, cookie) credentials, and hostile names.
// No server needed: a custom fetch records each request and answers it.

import assert from "node:assert/strict";
import { test } from "node:test";

import { Client, ClientError, DEFAULT_BASE_URL, ResponseBodyError, StatusValues, type Item } from "../styles/src/index.js";

interface Sent {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
}

function recorder(status = 200, body = "{}", type = "application/json") {
  const sent: Sent[] = [];
  const client = (options: ConstructorParameters<typeof Client>[0] = {}) =>
    new Client({
      baseUrl: "http://test.invalid/api",
      ...options,
      fetch: async (url, init) => {
        const headers = new Headers(init.headers);
        let text: string | undefined;
        if (init.body instanceof Blob) text = await init.body.text();
        else if (init.body instanceof ArrayBuffer || ArrayBuffer.isView(init.body) || init.body instanceof ReadableStream) {
          text = await new Response(init.body).text();
        }
        else if (typeof init.body === "string") text = init.body;
        sent.push({ url, method: init.method ?? "GET", headers, body: text });
        return new Response(status === 204 ? null : body, { status, headers: { "Content-Type": type } });
      },
    });
  return { sent, client };
}

test("server variables take their defaults", () => {
  assert.equal(DEFAULT_BASE_URL, "http://localhost:9/api");
  assert.deepEqual([...StatusValues], ["open", "closed */", 'with "quotes"']);
});

test("path styles, query styles, headers and cookies", async () => {
  const { sent, client } = recorder(200, JSON.stringify({ id: 1, camelCase: "a", camel_case: 2 }));
  const result = await client().getItem({
    id: 5,
    labels: ["a", "b c"],
    matrix: { a: "x", b: 2 },
    filter: { status: "open", tags: ["t1", "t2"], range: { gt: 3 } },
    pipes: ["a", "b"],
    spaces: [1, 2],
    csv: ["x", "y"],
    point: { x: 1.5, y: -2 },
    idInQuery: "q",
    reserved: "a/b?c",
    protoInQuery: "p",
    "X-Trace": ["t1", "t2"],
    session: "s 1",
    where: { n: 1 },
  });
  const [request] = sent;
  assert.ok(request);
  assert.equal(
    request.url,
    "http://test.invalid/api/items/5/.a,b%20c/;a=x;b=2" +
      "?filter[status]=open&filter[tags][]=t1&filter[tags][]=t2&filter[range][gt]=3" +
      "&pipes=a|b&spaces=1%202&csv=x,y&x=1.5&y=-2&id=q&reserved=a/b?c&__proto__=p" +
      "&where=%7B%22n%22%3A1%7D",
  );
  assert.equal(request.headers.get("X-Trace"), "t1,t2");
  assert.equal(request.headers.get("Cookie"), "session=s%201");
  assert.equal(result.status, 200);
  if (result.status === 200) {
    const item: Item = result.data;
    assert.equal(item.camel_case, 2);
  }
});

test("a declared range status is a typed result", async () => {
  const { client } = recorder(422, JSON.stringify({ message: "bad" }));
  const result = await client().getItem({ id: 1, labels: ["a"], matrix: {} });
  assert.equal(result.status, 422);
  if (!result.ok) assert.equal(result.error.message, "bad");
});

test("form bodies and basic credentials", async () => {
  const { sent, client } = recorder(204);
  const result = await client({ auth: { basic: { username: "ü", password: "p:w" } } }).postForm({
    body: { name: "a b", tags: ["x", "y"], meta: { a: "1" } },
  });
  const [request] = sent;
  assert.ok(request);
  assert.equal(request.headers.get("Content-Type"), "application/x-www-form-urlencoded");
  assert.equal(request.body, "name=a%20b&tags=x&tags=y&meta=%7B%22a%22%3A%221%22%7D");
  assert.equal(request.headers.get("Authorization"), "Basic " + Buffer.from("ü:p:w").toString("base64"));
  assert.equal(result.status, 204);
});

test("arrays of objects in deepObject forms are indexed; null and empty arrays are left out", async () => {
  const { sent, client } = recorder(204);
  await client().postForm({
    ids: [],
    note: null,
    body: {
      name: "n",
      comment: null,
      tags: [],
      expand: ["customer", "invoice.subscription"],
      line_items: [
        { price: "p1", quantity: 2 },
        { price: "p 2", tax_rates: ["t1", "t2"] },
      ],
    },
  });
  const [request] = sent;
  assert.ok(request);
  assert.equal(request.url, "http://test.invalid/api/forms");
  assert.equal(
    request.body,
    "name=n&expand[]=customer&expand[]=invoice.subscription" +
      "&line_items[0][price]=p1&line_items[0][quantity]=2" +
      "&line_items[1][price]=p%202&line_items[1][tax_rates][]=t1&line_items[1][tax_rates][]=t2",
  );
  await client().postForm({ ids: [1, 2], note: "x", body: { name: "n" } });
  assert.equal(sent[1]?.url, "http://test.invalid/api/forms?ids=1&ids=2&note=x");
});

test("a path value that makes a dot segment is refused, not normalized away by fetch", async () => {
  const { sent, client } = recorder(200, "stored", "text/plain");
  for (const name of ["..", "."]) {
    await assert.rejects(client().putFile({ name }), (e: unknown) => e instanceof ClientError && /segment/.test(e.message));
  }
  // An empty label list is a lone "." segment too.
  await assert.rejects(client().getItem({ id: 1, labels: [], matrix: {} }), ClientError);
  assert.equal(sent.length, 0);
  await client().putFile({ name: "..." });
  await client().putFile({ name: "%2E%2E" });
  assert.equal(sent[0]?.url, "http://test.invalid/api/files/...");
  assert.equal(sent[1]?.url, "http://test.invalid/api/files/%252E%252E");
});

test("a base URL with a path, a query and a fragment is joined with the call's path and query", async () => {
  const { sent, client } = recorder(200, "stored", "text/plain");
  await client({ baseUrl: "https://h.example/v1/?tenant=t%201#top" }).putFile({ name: "f" });
  await client({ baseUrl: "https://h.example/v1?tenant=t", auth: { key_query: "k" } }).putFile({ name: "f" });
  assert.equal(sent[0]?.url, "https://h.example/v1/files/f?tenant=t%201");
  assert.equal(sent[1]?.url, "https://h.example/v1/files/f?tenant=t&api-key=k");
});

test("binary bodies take a Blob, an ArrayBuffer, a typed array, a DataView or a stream, sent as bytes", async () => {
  const { sent, client } = recorder(200, "stored", "text/plain");
  const bytes = new TextEncoder().encode("hello");
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  for (const body of [bytes, bytes.buffer, new DataView(bytes.buffer), stream]) await client().putFile({ name: "f", body });
  assert.deepEqual(
    sent.map((r) => [r.body, r.headers.get("Content-Type")]),
    Array.from({ length: 4 }, () => ["hello", "application/octet-stream"]),
  );
});

test("Accept lists the media types of the responses; a caller's Accept wins", async () => {
  const { sent, client } = recorder(200, "stored", "text/plain");
  await client().putFile({ name: "f" });
  await client({ headers: { Accept: "text/*" } }).putFile({ name: "f" });
  await client().putFile({ name: "f" }, { headers: { accept: "*/*" } });
  assert.deepEqual(
    sent.map((r) => r.headers.get("Accept")),
    ["text/plain, application/json", "text/*", "*/*"],
  );
});

test("an empty body where the spec declares JSON is a ResponseBodyError, not data: undefined", async () => {
  const { client } = recorder(200, "");
  await assert.rejects(
    client().getItem({ id: 1, labels: ["a"], matrix: {} }),
    (e: unknown) => e instanceof ResponseBodyError && e.response.status === 200 && /empty/.test(e.message),
  );
});

test("a header value fetch cannot send is a ClientError, not a raw TypeError", async () => {
  const { sent, client } = recorder(200, "stored", "text/plain");
  await assert.rejects(
    client().putFile({ name: "f" }, { headers: { "X-Note": "snow ☃" } }),
    (e: unknown) => e instanceof ClientError && e.cause instanceof TypeError && /PUT \/files\/\{name\}/.test(e.message),
  );
  assert.equal(sent.length, 0);
});

test("binary bodies, text responses, apiKey credentials in the query or a cookie", async () => {
  const { sent, client } = recorder(200, "stored", "text/plain");
  const result = await client({ auth: { key_query: () => Promise.resolve("k&1") } }).putFile({
    name: "a/b.txt",
    body: new Blob(["hello"]),
  });
  assert.equal(sent[0]?.url, "http://test.invalid/api/files/a%2Fb.txt?api-key=k%261");
  assert.equal(sent[0]?.headers.get("Content-Type"), "application/octet-stream");
  assert.equal(sent[0]?.body, "hello");
  assert.equal(result.status, 200);
  if (result.status === 200) assert.equal(result.data, "stored");

  await client({ auth: { key_cookie: "c" } }).putFile({ name: "x" });
  assert.equal(sent[1]?.headers.get("Cookie"), "key=c");
  assert.equal(sent[1]?.url, "http://test.invalid/api/files/x");
});

test("discriminated unions narrow on the discriminator", async () => {
  const { client } = recorder(201, JSON.stringify({ kind: "circle", radius: 2 }));
  const result = await client().constructor_({ body: { kind: "square", side: 1 } });
  if (result.status === 201) {
    const shape = result.data;
    const area = shape.kind === "circle" ? Math.PI * shape.radius ** 2 : shape.side ** 2;
    assert.equal(Math.round(area), 13);
  }
});
