// Server actions called over plain HTTP, as an attacker would call them: a server action is a
// public POST endpoint whose id anyone can read from the page's JavaScript.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext } from "@playwright/test";
import { E2E_ORIGIN } from "./database";

const CHUNKS = path.join(process.cwd(), ".next", "static", "chunks");

let ids: Map<string, string> | undefined;

/** Action ids by exported name, read from the production build's browser chunks (`next build` first). */
function actionId(name: string): string {
  if (!ids) {
    ids = new Map();
    const reference = /createServerReference\)\("([0-9a-f]+)",[^)]*?"(\w+)"\)/g;
    for (const file of readdirSync(CHUNKS, { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".js")) continue;
      for (const [, id, exported] of readFileSync(path.join(CHUNKS, file), "utf8").matchAll(reference)) {
        const known = ids.get(exported!);
        if (known && known !== id) throw new Error(`two server actions are called ${exported}`);
        ids.set(exported!, id!);
      }
    }
  }
  const id = ids.get(name);
  if (!id) throw new Error(`no server action called ${name} in the build (is it used by a client component?)`);
  return id;
}

/**
 * POSTs a server action the way Next's client does, with `args` as the JSON argument list, from
 * this app's origin unless told otherwise (`origin: null` sends no Origin; `headers` adds e.g.
 * Sec-Fetch-Site), to the page whose code uses the action: "/account" for the account actions,
 * "/login" for signIn. (Posted to another page, Next forwards the call to the right one internally
 * but drops the cookies it sets.) Returns the action's return value (the RSC stream's row 1), or
 * `{ ok: true, redirect }` when it redirected.
 */
export async function callAction(
  api: APIRequestContext,
  name: string,
  args: unknown[],
  {
    origin = E2E_ORIGIN,
    page = "/account",
    headers = {},
  }: { origin?: string | null; page?: string; headers?: Record<string, string> } = {},
): Promise<{ ok: boolean; error?: { tag: string; code: string; message: string; retryAfter?: number } } & Record<string, unknown>> {
  const response = await api.post(page, {
    headers: {
      "Next-Action": actionId(name),
      Accept: "text/x-component",
      "Content-Type": "text/plain;charset=UTF-8",
      ...(origin === null ? {} : { Origin: origin }),
      ...headers,
    },
    data: JSON.stringify(args),
    maxRedirects: 0,
  });
  expect(response.status(), `${name}: HTTP status`).toBe(200);
  expect(response.headers()["content-type"], `${name}: answered as a server action`).toBe("text/x-component");
  if (response.headers()["x-action-redirect"]) return { ok: true, redirect: response.headers()["x-action-redirect"] };
  const row = (await response.text()).split("\n").find((line) => line.startsWith("1:"));
  if (!row) throw new Error(`${name}: no return value in the response`);
  return JSON.parse(row.slice(2));
}
