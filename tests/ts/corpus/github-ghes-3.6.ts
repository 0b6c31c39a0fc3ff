// Usage of the client generated from the corpus's github-ghes-3.6.json: copied into the generated
// src/ and compiled with it by .ci/ts-corpus.sh (tsc --strict). Issues listed page by page through
// the Link header; misuse that must not compile.

import { Client, paginate, pages } from "./index.js";

export async function openIssueTitles(token: string): Promise<string[]> {
  const github = new Client({ baseUrl: "https://github.example.com/api/v3", headers: { Authorization: `token ${token}` }, maxRetries: 3 });
  const titles: string[] = [];
  for await (const issue of paginate(github, "issuesListForRepo", { owner: "octocat", repo: "hello-world", state: "open", per_page: 100 })) {
    titles.push(`#${issue.number} ${issue.title}`);
    if (titles.length >= 500) break; // stops fetching pages
  }
  return titles;
}

export async function pageSizes(github: Client): Promise<number[]> {
  const sizes: number[] = [];
  for await (const page of pages(github, "reposListForOrg", { org: "octo-org", type: "public" })) sizes.push(page.length);
  return sizes;
}

export async function misuse(github: Client): Promise<void> {
  // @ts-expect-error owner and repo are required
  paginate(github, "issuesListForRepo", { state: "open" });
  // @ts-expect-error state is one of open, closed, all
  paginate(github, "issuesListForRepo", { owner: "o", repo: "r", state: "any" });
  // @ts-expect-error creating an issue is not a list
  paginate(github, "issuesCreate", { owner: "o", repo: "r", body: { title: "t" } });
}
