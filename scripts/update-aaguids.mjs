// Refreshes lib/vault/data/passkey-aaguids.json, the table of passkey providers' names and icons,
// from the community-maintained passkey-authenticator-aaguids list (see lib/vault/data/README.md).
//
//   npm run aaguids:update                     download the list from GitHub
//   npm run aaguids:update -- ./aaguid.json    use a copy fetched some other way (offline, proxy)
//
// The file is written as downloaded, so it can be compared with the list's own history. Only its
// shape is checked here; names and icons are checked again whenever the server reads it.
import { readFile, writeFile } from "node:fs/promises";

const SOURCE = "https://raw.githubusercontent.com/passkeydeveloper/passkey-authenticator-aaguids/main/aaguid.json";
const TARGET = new URL("../lib/vault/data/passkey-aaguids.json", import.meta.url);
// The app bundles the file into its server code. The list is about 320 KB; the larger
// combined_aaguid.json (with FIDO metadata for hardware keys) is several MB and does not belong there.
const MAX_BYTES = 2 * 1024 * 1024;

function fail(message) {
  console.error(`update-aaguids: ${message}\nThe current file is unchanged.`);
  process.exit(1);
}

async function download(url) {
  let response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    fail(
      `could not download ${url} (${error.cause?.message ?? error.message}).\n` +
        "This needs access to GitHub. Offline or behind a proxy, download that file some other way and\n" +
        "run: npm run aaguids:update -- path/to/aaguid.json",
    );
  }
  if (!response.ok) fail(`${url} answered ${response.status} ${response.statusText}.`);
  return response.text();
}

const source = process.argv[2] ?? SOURCE;
const text = /^https?:\/\//.test(source) ? await download(source) : await readFile(source, "utf8").catch((error) => fail(error.message));

if (Buffer.byteLength(text) > MAX_BYTES) fail(`${source} is over ${MAX_BYTES / 1024 / 1024} MB: is it the right file?`);
let data;
try {
  data = JSON.parse(text);
} catch {
  fail(`${source} is not JSON.`);
}
if (typeof data !== "object" || data === null || Array.isArray(data)) fail(`${source} is not an object of AAGUIDs.`);

const entries = Object.entries(data);
// The maintainers will empty the list when they retire it; an empty table would only lose names.
if (entries.length === 0) {
  fail("the list is empty: it may have been retired. See https://github.com/passkeydeveloper/passkey-authenticator-aaguids");
}
const nameless = entries.filter(([, entry]) => typeof entry?.name !== "string").map(([aaguid]) => aaguid);
if (nameless.length > 0) fail(`entries without a name: ${nameless.join(", ")}.`);

await writeFile(TARGET, text.endsWith("\n") ? text : `${text}\n`);
const icons = entries.filter(([, entry]) => entry.icon_light || entry.icon_dark).length;
console.log(
  `update-aaguids: wrote ${entries.length} providers (${icons} with icons, ${Math.round(Buffer.byteLength(text) / 1024)} KB) ` +
    `from ${source} to lib/vault/data/passkey-aaguids.json`,
);
