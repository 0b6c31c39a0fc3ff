// Usage of the client generated from the corpus's openai-openapi.yaml: copied into the generated
// src/ and compiled with it by .ci/ts-corpus.sh (tsc --strict). Streamed and plain chat
// completions with typed messages, a file upload (multipart) through the Client and through the
// tree-shakeable function; every `@ts-expect-error` line must really be rejected.

import { Client, EventStream, createFile, type ChatCompletionRequestMessage } from "./index.js";

export async function streamedChat(client: Client, signal: AbortSignal): Promise<string> {
  const messages: ChatCompletionRequestMessage[] = [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Hello" },
  ];
  const result = await client.createChatCompletion({ body: { model: "gpt-4o", messages, stream: true } }, { signal });
  if (!result.ok) throw new Error(result.error.error.message);
  let text = "";
  for await (const event of result.data) {
    // Each event's data is a parsed CreateChatCompletionStreamResponse chunk.
    text += event.data.choices[0]?.delta.content ?? "";
  }
  return text;
}

export async function plainChat(client: Client): Promise<string | null | undefined> {
  const result = await client.createChatCompletion({
    body: { model: "gpt-4o", messages: [{ role: "user", content: "Hello" }] },
  });
  // No stream asked: data is the JSON completion, no `typeof data !== "string"` narrowing.
  if (result.status === 200) return result.data.choices[0]?.message.content;
  return undefined;
}

export async function explicitlyNotStreamed(client: Client): Promise<string> {
  const result = await client.createChatCompletion({
    body: { model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], stream: false },
  });
  return result.ok ? result.data.id : "";
}

export async function decidedAtRunTime(client: Client, stream: boolean): Promise<void> {
  const result = await client.createChatCompletion({ body: { model: "gpt-4o", messages: [], stream } });
  if (!result.ok) return;
  if (result.data instanceof EventStream) {
    for await (const event of result.data) console.log(event.data.id);
  } else console.log(result.data.usage?.total_tokens);
}

export async function uploadFile(client: Client, bytes: ArrayBuffer): Promise<string | undefined> {
  // A File keeps its name as the part's filename; a Blob is sent as `blob`.
  const file = new File([bytes], "batch.jsonl", { type: "application/jsonl" });
  const result = await client.createFile({ body: { file, purpose: "batch" } });
  return result.ok ? result.data.id : undefined;
}

export async function uploadWithTheFunction(bytes: ArrayBuffer): Promise<string | undefined> {
  const options = { baseUrl: "https://api.openai.com/v1", auth: { ApiKeyAuth: "sk-test" } };
  const result = await createFile(options, { body: { file: new Blob([bytes]), purpose: "user_data" } });
  return result.ok ? result.data.filename : undefined;
}

export async function misuse(client: Client): Promise<void> {
  // @ts-expect-error an upload's purpose is one of the declared ones
  await client.createFile({ body: { file: new Blob([]), purpose: "anything" } });
  // @ts-expect-error the file is required
  await client.createFile({ body: { purpose: "batch" } });
  const streamed = await client.createChatCompletion({ body: { model: "m", messages: [], stream: true } });
  // @ts-expect-error a streamed result has no JSON completion
  if (streamed.ok) console.log(streamed.data.choices);
  const plain = await client.createChatCompletion({ body: { model: "m", messages: [] } });
  // @ts-expect-error a plain result is not iterable
  if (plain.ok) for await (const event of plain.data) console.log(event);
  // @ts-expect-error a message's role is one of the declared ones
  await client.createChatCompletion({ body: { model: "m", messages: [{ role: "robot", content: "x" }] } });
}
