import { errorTag, isErrorBody } from "../contract/errors";
import { failure, type Result } from "./result";

/** POSTs JSON to one of the passkey routes and returns its answer or its typed error. */
export async function postJson<T extends object>(path: string, body: unknown): Promise<Result<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    return failure({ tag: errorTag("Unavailable"), code: "NETWORK", message: "Could not reach the server. Check your connection." });
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok && json && typeof json === "object") return { ok: true, ...(json as T) };
  if (isErrorBody(json)) return failure(json.error);
  return failure({ tag: errorTag("Unavailable"), code: "UNAVAILABLE", message: "The server could not answer. Please try again." });
}
