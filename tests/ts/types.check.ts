// Type-level tests of the generated clients: each `@ts-expect-error` line must be an error, so tsc
// fails if the generated types ever accept what they must reject. Compiled by tests/ts_client.rs,
// never run.

import { Client, type Pet, type PetInput, type PetStatus, type CreatePetRequest } from "../petstore/src/index.js";
import type { Shape, Item } from "../styles/src/index.js";

declare const client: Client;
declare const pet: Pet;

export const valid: PetInput = { name: "Rex", price: 1999, status: "available", secretToken: "s3cr3t-t0ken" };

// A readOnly property cannot be sent.
// @ts-expect-error id is read-only: not part of PetInput
export const withId: PetInput = { id: 1, name: "Rex", price: 1999, status: "available" };
// @ts-expect-error createdAt is read-only
export const request: CreatePetRequest = { body: { name: "Rex", price: 1, status: "sold", createdAt: "2024-01-01T00:00:00Z" } };
// A writeOnly property is never returned.
// @ts-expect-error secretToken is write-only: not part of Pet
export const token: string | undefined = pet.secretToken;
// Required properties are required.
// @ts-expect-error price is required
export const noPrice: PetInput = { name: "Rex", status: "available" };

// A wrong enum value is rejected.
// @ts-expect-error "lost" is not a PetStatus
export const lost: PetStatus = "lost";
// @ts-expect-error "lost" is not a PetStatus, in a query parameter either
void client.listPets({ status: ["lost"] });
// Integers are numbers, not strings.
// @ts-expect-error price is an integer
export const stringPrice: PetInput = { name: "Rex", price: "19.99", status: "available" };
// Nullable and optional are different things.
export const nullTag: PetInput = { name: "Rex", price: 1, status: "sold", tag: null };
// @ts-expect-error name is not nullable
export const nullName: PetInput = { name: null, price: 1, status: "sold" };

// A response union must be narrowed by status before its data is used.
export async function narrowing(): Promise<string> {
  const result = await client.getPet({ petId: 1 });
  // @ts-expect-error data exists only on the 200 variant
  void result.data;
  if (result.status === 404) {
    // @ts-expect-error the 404 variant has an error, not data
    void result.data;
    return result.error.title;
  }
  // Narrowed to 200.
  return result.data.name;
}

// Path parameters are required.
// @ts-expect-error petId is missing
void client.getPet({});
// @ts-expect-error unknown parameters are rejected
void client.getPet({ petId: 1, petID: 2 });

// Discriminated unions narrow on their discriminator; the tag must match the branch.
export function area(shape: Shape): number {
  return shape.kind === "circle" ? shape.radius : shape.side;
}
// @ts-expect-error a circle has a radius, not a side
export const badShape: Shape = { kind: "circle", side: 1 };

// Hostile property names are ordinary properties.
export const item: Item = { id: 1, camelCase: "a", camel_case: 1, constructor: "c", "1st": true, "with space": null, class: "k" };
