// The conformance cases: the generated TypeScript client (from tests/conformance/conformance.yaml)
// calls the generated Rust server, which answers with the typed values it parsed; each case
// compares them with what it sent. Run by tests/conformance.rs as
// `node dist/cases/client.js BASE_URL`; prints one line per case and `N passed, N failed`.
// A case listed in KNOWN_FAILING must fail (it names the issue that fixes it): when it starts to
// pass, it is reported, so that the list shrinks.

import { deepStrictEqual } from "node:assert/strict";

import { Client } from "../client/src/index.js";

const baseUrl = process.argv[2];
if (!baseUrl) throw new Error("usage: client.js BASE_URL");
const client = new Client({ baseUrl });

const KNOWN_FAILING: Record<string, string> = {
  // `..` travels unencoded and fetch normalizes it away: a different endpoint is called.
  "path simple: dot segment": "#13 (dot segments encoded or refused)",
};

const rgb = { R: 100, G: 200, B: 150 };
const colors = ["blue", "black", "brown"];
const cases: [string, () => Promise<unknown>, unknown][] = [];
const add = (name: string, call: () => Promise<unknown>, want: unknown) => cases.push([name, call, want]);

/** The `data` of a 200 result, or the whole result when the status is another. */
async function data(result: Promise<{ status: number; data?: unknown; error?: unknown }>): Promise<unknown> {
  const r = await result;
  return r.status === 200 ? r.data : r;
}

// The OpenAPI Specification's "Style Examples" table: `color` as a string, an array, an object.
const pathOps = {
  "path simple": (p: { prim: string; arr: string[]; obj: typeof rgb }) => data(client.pathSimple(p)),
  "path simple explode": (p: { prim: string; arr: string[]; obj: typeof rgb }) => data(client.pathSimpleExplode(p)),
  "path label": (p: { prim: string; arr: string[]; obj: typeof rgb }) => data(client.pathLabel(p)),
  "path label explode": (p: { prim: string; arr: string[]; obj: typeof rgb }) => data(client.pathLabelExplode(p)),
  "path matrix": (p: { prim: string; arr: string[]; obj: typeof rgb }) => data(client.pathMatrix(p)),
  "path matrix explode": (p: { prim: string; arr: string[]; obj: typeof rgb }) => data(client.pathMatrixExplode(p)),
};
for (const [name, call] of Object.entries(pathOps)) {
  const table = { prim: "blue", arr: colors, obj: rgb };
  add(`${name}: style examples`, () => call(table), table);
  const hostile = { prim: "a b/c?d#e%f&g=h;i.j", arr: ["x y", "é/ü", "日本"], obj: rgb };
  add(`${name}: reserved characters and unicode`, () => call(hostile), hostile);
}
const dots = { prim: "..", arr: colors, obj: rgb };
add("path simple: dot segment", () => pathOps["path simple"](dots), dots);

add("query form explode", () => data(client.queryForm({ prim: "blue", arr: colors, obj: rgb, num: 9007199254740991, flag: false })),
  { prim: "blue", arr: colors, obj: rgb, num: 9007199254740991, flag: false });
add("query form: reserved characters and unicode", () => data(client.queryForm({ prim: "a&b=c+d %e#f/日本", arr: ["x&y", "z=w"] })),
  { prim: "a&b=c+d %e#f/日本", arr: ["x&y", "z=w"] });
add("query form: absent parameters stay absent", () => data(client.queryForm({})), {});
add("query form, no explode", () => data(client.queryFormFlat({ prim: "blue", arr: colors, obj: rgb })),
  { prim: "blue", arr: colors, obj: rgb });
add("query spaceDelimited, pipeDelimited, deepObject, content", () => data(client.queryDelimited({ arr: colors, pipes: colors, obj: rgb, json: rgb })),
  { arr: colors, pipes: colors, obj: rgb, json: rgb });
add("headers: simple, explode", () => data(client.headers({ "X-Prim": "blue", "X-Arr": colors, "X-Obj": rgb, "X-Obj-Explode": rgb })),
  { prim: "blue", arr: colors, obj: rgb, objExplode: rgb });
add("cookies: form", () => data(client.cookies({ prim: "blue", arr: colors, obj: rgb })),
  { prim: "blue", arr: colors, obj: rgb });

const order = {
  id: "o-1",
  note: null,
  lines: [{ sku: "a", quantity: 2, price: 9.5 }, { sku: "日本", quantity: 1 }],
  tags: { "k/1": "v 1" },
};
add("body JSON (preferred over text and binary)", () => data(client.bodyJson({ body: order })), order);
const form = { name: "Rex & co", count: 3, tags: ["a", "b c"], color: rgb };
add("body form urlencoded", () => data(client.bodyForm({ body: form })), form);
const file = new Blob([new Uint8Array([7, 0, 255])], { type: "image/png" });
add("body multipart: file, JSON part, repeated fields", () => data(client.bodyMultipart({ body: { file, meta: rgb, tags: ["a", "b"], note: "ü" } })),
  { size: 3, first: 7, meta: rgb, tags: ["a", "b"], note: "ü" });
add("body text", () => data(client.bodyText({ body: "line 1\nline 2 ✓" })), "line 1\nline 2 ✓");
add("body binary", async () => {
  const r = await client.bodyBinary({ body: new Blob([new Uint8Array([0, 1, 2, 254])]) });
  return r.status === 200 ? [...new Uint8Array(await (r.data as Blob).arrayBuffer())] : r;
}, [0, 1, 2, 254]);

const status = async (kind: "ok" | "created" | "empty" | "accepted" | "missing" | "teapot") => {
  const r = await client.responses({ kind });
  const headers = r.status === 201 ? { location: r.response.headers.get("Location"), count: r.response.headers.get("X-Count") } : undefined;
  return { status: r.status, ok: r.ok, body: r.ok ? r.data : r.error, headers };
};
add("response 200 JSON", () => status("ok"), { status: 200, ok: true, body: { R: 1, G: 2, B: 3 }, headers: undefined });
add("response 201 with headers", () => status("created"),
  { status: 201, ok: true, body: { R: 1, G: 2, B: 3 }, headers: { location: "/base/things/1", count: "7" } });
add("response 204", () => status("empty"), { status: 204, ok: true, body: undefined, headers: undefined });
add("response 2XX text", () => status("accepted"), { status: 202, ok: true, body: "accepted ✓", headers: undefined });
add("response 404 problem+json", () => status("missing"), { status: 404, ok: false, body: { title: "status 404", status: 404 }, headers: undefined });
add("response default", () => status("teapot"), { status: 418, ok: false, body: { title: "status 418", status: 418 }, headers: undefined });

let passed = 0;
let failed = 0;
for (const [name, call, want] of cases) {
  let problem: string | undefined;
  try {
    deepStrictEqual(await call(), want);
  } catch (e) {
    problem = e instanceof Error ? e.message.split("\n").slice(0, 12).join("\n") : String(e);
  }
  const known = KNOWN_FAILING[name];
  if (problem === undefined && known === undefined) {
    passed++;
    console.log(`ok    ${name}`);
  } else if (problem !== undefined && known !== undefined) {
    passed++;
    console.log(`known ${name}: fails until ${known}`);
  } else if (problem === undefined) {
    failed++;
    console.log(`FIXED ${name}: passes now, remove it from KNOWN_FAILING (${known})`);
  } else {
    failed++;
    console.log(`FAIL  ${name}: ${problem}`);
  }
}
console.log(`conformance: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
