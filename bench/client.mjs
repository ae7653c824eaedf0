#!/usr/bin/env node
// Entry point of the load generator (bench/client.ts, TypeScript loaded with jiti, as the API-key
// CLIs load the vault): `node bench/client.mjs '<command JSON>'` prints one JSON line on stdout.
import { createJiti } from "jiti";

const jiti = createJiti(import.meta.url);
const command = JSON.parse(process.argv[2] ?? "{}");
let result;
if (command.kind === "crypto") {
  const { measureCrypto } = await jiti.import("./crypto.ts");
  result = await measureCrypto(command.budgetMs);
} else if (command.kind === "session-check") {
  const { measureSessionCheck } = await jiti.import("./client.ts");
  result = await measureSessionCheck(command.job, command.databaseUrl, command.env);
} else if (command.kind === "request-costs") {
  const { measureRequestCosts } = await jiti.import("./client.ts");
  result = await measureRequestCosts(command.job, command.rounds);
} else if (command.kind === "page-scripts") {
  const { pageScripts } = await jiti.import("./client.ts");
  result = await pageScripts(command.job, command.blankOrigin);
} else {
  const { runJob } = await jiti.import("./client.ts");
  result = await runJob(command.job);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
