// Usage of the client generated from the corpus's stripe-spec3.yaml: copied into the generated
// src/ and compiled with it by .ci/ts-corpus.sh (tsc --strict). Customers listed through
// has_more + starting_after, a customer created with nested form fields and expand.

import { Client, paginate } from "./index.js";

const stripe = new Client({ auth: { bearerAuth: "sk_test_..." }, maxRetries: 2, timeout: 30_000 });

export async function customerEmails(): Promise<string[]> {
  const emails: string[] = [];
  for await (const customer of paginate(stripe, "getCustomers", { limit: 100, created: { gte: 1700000000 } })) {
    if (customer.email) emails.push(customer.email);
  }
  return emails;
}

export async function createCustomer(): Promise<string | undefined> {
  const result = await stripe.postCustomers({
    body: {
      email: "jenny@example.com",
      address: { line1: "1 Main St", city: "Paris", country: "FR" },
      metadata: { order: "6735" },
      expand: ["default_source"],
    },
  });
  // `default` is Stripe's error response: `ok` alone narrows data to the customer.
  return result.ok ? result.data.id : result.error.error.message;
}

export async function misuse(): Promise<void> {
  // @ts-expect-error limit is a number
  paginate(stripe, "getCustomers", { limit: "100" });
  for await (const customer of paginate(stripe, "getCustomers", {})) {
    // @ts-expect-error a customer has no `title`
    void customer.title;
  }
}
