/**
 * The benchmark's load generator: a separate process from the server it drives (bench/run.mjs
 * starts it with jiti). Each simulated client is a browser with its own cookie jar and its own
 * software authenticator (test/support/soft-authenticator.ts: real keys, real signatures), talking
 * HTTP to the server over loopback exactly as the browser code does: the passkey routes, then the
 * signIn server action posted with its Next-Action id (or, for the Better Auth peer, its passkey
 * endpoints and then the account page).
 *
 * Usage: node bench/client.mjs '<job JSON>' — prints one JSON result line on stdout.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { SoftAuthenticator } from "../test/support/soft-authenticator";

export type Target = "app" | "better-auth";
export type Scenario = "signin" | "register" | "page";

export interface Job {
  target: Target;
  origin: string;
  scenario: Scenario;
  clients: number;
  /** Measured seconds, after `warmupSeconds` of the same work that is not counted. */
  seconds: number;
  warmupSeconds: number;
  /** For "page": the paths to load, one phase each, alternating `rounds` times. */
  paths?: string[];
  rounds?: number;
  /** The server's process id: its CPU time (and its children's) is read from /proc around each phase. */
  serverPid?: number;
  /** Where the server writes its operation counts when sent SIGUSR2 (bench/count-operations.cjs). */
  countsFile?: string;
  /** The app's build folder, where the signIn action id is found. */
  nextDir?: string;
  /** Unique per run, so repeated runs against one database never collide on an email. */
  runId: string;
}

export interface PhaseResult {
  label: string;
  clients: number;
  seconds: number;
  completed: number;
  errors: number;
  errorSamples: string[];
  perSecond: number;
  /** Server CPU milliseconds per completed flow (user + system, the server process tree). */
  serverCpuMsPerFlow: number | null;
  /**
   * One client only (nothing in flight between flows, so the counts are exact): SQL statements by
   * kind and WebCrypto signatures and verifications the server ran per completed flow.
   */
  operationsPerFlow?: Record<string, number>;
  /** Per step (and "total"): milliseconds at the 50th, 95th and 99th percentile. */
  steps: Record<string, { p50: number; p95: number; p99: number }>;
  /**
   * One client only: the server's mean CPU milliseconds per step (nothing else is in flight, so
   * the server's CPU time around a request is that request's), to see where a flow's CPU goes.
   */
  serverCpuMsPerStep?: Record<string, number>;
}

type Step = { name: string; ms: number; serverCpuMs?: number };

// --- A browser: cookies and requests ------------------------------------------------------------

class Browser {
  readonly cookies = new Map<string, string>();
  readonly authenticator: SoftAuthenticator;

  constructor(
    readonly origin: string,
    /** The address the rate limiter sees (TRUSTED_CLIENT_IP_HEADER=x-bench-client): one per client. */
    readonly address: string,
  ) {
    this.authenticator = new SoftAuthenticator({ origin, algorithm: "ES256" });
  }

  async request(pathname: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = {
      "x-bench-client": this.address,
      "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36 bench",
      "accept-encoding": "gzip, br",
      ...init.headers,
    };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    if (init.method && init.method !== "GET") headers.origin = this.origin;
    const response = await fetch(new URL(pathname, this.origin), {
      method: init.method ?? "GET",
      headers,
      body: init.body,
      redirect: "manual",
    });
    // What a browser does with the sign-out route's Clear-Site-Data: "cookies": forget them all.
    if (/"cookies"/.test(response.headers.get("clear-site-data") ?? "")) this.cookies.clear();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      const expired = /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0\b/i.test(line) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async json<T>(pathname: string, body?: unknown): Promise<T> {
    const response = await this.request(pathname, {
      method: body === undefined ? "GET" : "POST",
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? {} : { "content-type": "application/json" },
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${pathname}: ${response.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }
}

/** The signIn server action's id, from the build's browser chunks (as e2e/support/server-actions.ts). */
function signInActionId(nextDir: string): string {
  const chunks = path.join(nextDir, "static", "chunks");
  const reference = /createServerReference\)\("([0-9a-f]+)",[^)]*?"signIn"\)/;
  for (const file of readdirSync(chunks, { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".js")) continue;
    const match = reference.exec(readFileSync(path.join(chunks, file), "utf8"));
    if (match) return match[1]!;
  }
  throw new Error(`no signIn server action in ${chunks} (build first)`);
}

/** Set while a one-client phase runs: the server whose CPU time each step also records. */
let stepCpuOf: number | null = null;

async function timed<T>(steps: Step[], name: string, work: () => Promise<T>): Promise<T> {
  const cpuBefore = stepCpuOf === null ? null : threadsCpuMs(stepCpuOf);
  const start = performance.now();
  try {
    return await work();
  } finally {
    const ms = performance.now() - start;
    const cpuAfter = stepCpuOf === null ? null : threadsCpuMs(stepCpuOf);
    steps.push({ name, ms, serverCpuMs: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : undefined });
  }
}

// --- The flows ----------------------------------------------------------------------------------

interface Flows {
  register(browser: Browser, email: string, steps: Step[]): Promise<void>;
  signIn(browser: Browser, steps: Step[]): Promise<void>;
  /** Ends the session, as the person would: otherwise every sign-in leaves one more live session on the account. */
  signOut(browser: Browser): Promise<void>;
}

/** signIn(code, "/account") posted to /login, as the login page's form posts it. */
function postSignIn(browser: Browser, actionId: string, code: string) {
  return browser.request("/login", {
    method: "POST",
    body: JSON.stringify([code, "/account"]),
    headers: {
      "next-action": actionId,
      accept: "text/x-component",
      "content-type": "text/plain;charset=UTF-8",
    },
  });
}

/** signIn's answer, checked: the redirect, with /account rendered (for `email`, when given) in the same response. */
async function callSignIn(browser: Browser, actionId: string, code: string, email: string | null) {
  const response = await postSignIn(browser, actionId, code);
  const text = await response.text();
  if (response.status !== 200 || response.headers.get("x-action-redirect") === null) {
    throw new Error(`signIn: ${response.status} ${text.slice(0, 200)}`);
  }
  // The account page rendered for this person, inside the action's answer.
  if (!text.includes("Your account") || (email && !text.includes(email))) throw new Error("signIn: no account page in the answer");
}

/** A sign-in code for `browser`'s passkey: authorize, the authenticator, verify, each timed into `steps`. */
async function authenticationCode(browser: Browser, steps: Step[]): Promise<string> {
  const start = await timed(steps, "authorize", () =>
    browser.json<{ token: string; options: PublicKeyCredentialRequestOptionsJSON }>("/api/passkey/authentication/authorize", {}),
  );
  const response = await timed(steps, "authenticator", () => browser.authenticator.authenticate(start.options));
  const { code } = await timed(steps, "verify", () =>
    browser.json<{ code: string }>("/api/passkey/authentication/verify", { token: start.token, response }),
  );
  return code;
}

/** This app: the routes of app/api/passkey, then the signIn server action, as the login page runs them. */
function appFlows(job: Job): Flows {
  const actionId = signInActionId(job.nextDir!);
  return {
    async register(browser, email, steps) {
      const start = await timed(steps, "authorize", () =>
        browser.json<{ token: string; options: PublicKeyCredentialCreationOptionsJSON }>(
          "/api/passkey/registration/authorize",
          { email, displayName: "Bench Client" },
        ),
      );
      const { response } = await timed(steps, "authenticator", () => browser.authenticator.register(start.options));
      const { code } = await timed(steps, "verify", () =>
        browser.json<{ code: string }>("/api/passkey/registration/verify", { token: start.token, response }),
      );
      await timed(steps, "signIn + /account", () => callSignIn(browser, actionId, code, email));
    },
    async signIn(browser, steps) {
      const code = await authenticationCode(browser, steps);
      await timed(steps, "signIn + /account", () => callSignIn(browser, actionId, code, null));
    },
    async signOut(browser) {
      const response = await browser.request("/sign-out", {
        method: "POST",
        body: "",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      await response.arrayBuffer();
      if (response.status !== 303) throw new Error(`/sign-out: ${response.status}`);
    },
  };
}

/** The Better Auth peer (bench/peer): its passkey plugin's endpoints, then its account page. */
function betterAuthFlows(): Flows {
  async function accountPage(browser: Browser, email: string | null) {
    const response = await browser.request("/account");
    const text = await response.text();
    if (response.status !== 200 || !text.includes("Your account") || (email && !text.includes(email))) {
      throw new Error(`/account: ${response.status} ${text.slice(0, 200)}`);
    }
  }
  return {
    async register(browser, email, steps) {
      const options = await timed(steps, "authorize", () =>
        browser.json<PublicKeyCredentialCreationOptionsJSON>(
          `/api/auth/passkey/generate-register-options?context=${encodeURIComponent(email)}&name=${encodeURIComponent(email)}`,
        ),
      );
      const { response } = await timed(steps, "authenticator", () => browser.authenticator.register(options));
      await timed(steps, "verify", () =>
        browser.json("/api/auth/passkey/verify-registration", { response, createSession: true }),
      );
      await timed(steps, "/account", () => accountPage(browser, email));
    },
    async signIn(browser, steps) {
      const options = await timed(steps, "authorize", () =>
        browser.json<PublicKeyCredentialRequestOptionsJSON>("/api/auth/passkey/generate-authenticate-options"),
      );
      const response = await timed(steps, "authenticator", () => browser.authenticator.authenticate(options));
      await timed(steps, "verify", () => browser.json("/api/auth/passkey/verify-authentication", { response }));
      await timed(steps, "/account", () => accountPage(browser, null));
    },
    async signOut(browser) {
      await browser.json("/api/auth/sign-out", {});
    },
  };
}

// --- Measuring ----------------------------------------------------------------------------------

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU milliseconds (user + system) of `pid` and all its descendants, from /proc; null off Linux. */
export function processTreeCpuMs(pid: number): number | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces), from field 3 on.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // exited meanwhile
    }
  }
  if (!stats.has(pid)) return null;
  let ticks = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.pop()!;
    ticks += stats.get(current)?.ticks ?? 0;
    for (const [child, { ppid }] of stats) if (ppid === current) queue.push(child);
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU milliseconds of every thread of `pid`, from each thread's schedstat (nanoseconds, where
 * /proc/<pid>/stat counts 10 ms ticks: too coarse for one request); null off Linux.
 */
function threadsCpuMs(pid: number): number | null {
  try {
    let nanoseconds = 0;
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      try {
        nanoseconds += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // the thread exited meanwhile
      }
    }
    return nanoseconds / 1e6;
  } catch {
    return null;
  }
}

/** The server's operation counts so far (it writes them when signalled), or null when it cannot. */
async function operationCounts(job: Job): Promise<Record<string, number> | null> {
  if (!job.countsFile || !job.serverPid) return null;
  const before = statMtime(job.countsFile);
  process.kill(job.serverPid, "SIGUSR2");
  for (let i = 0; i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (statMtime(job.countsFile) !== before) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return JSON.parse(readFileSync(job.countsFile, "utf8")) as Record<string, number>;
    }
  }
  return null;
}

function statMtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)]! * 100) / 100;
}

/**
 * Runs `flow` on every client in a loop: `warmupSeconds` uncounted, then `seconds` counted. A flow
 * that throws counts as an error, and the client goes on (with a fresh session).
 */
async function runPhase(
  label: string,
  browsers: Browser[],
  job: Job,
  flow: (browser: Browser, steps: Step[]) => Promise<void>,
  /** After each flow, outside its timing (its server CPU is counted with the flow's). */
  after?: (browser: Browser) => Promise<void>,
): Promise<PhaseResult> {
  const loop = async (browser: Browser, until: number, record: (steps: Step[] | Error) => void) => {
    while (performance.now() < until) {
      const steps: Step[] = [];
      const start = performance.now();
      try {
        await flow(browser, steps);
        steps.push({ name: "total", ms: performance.now() - start });
        if (after) await timed(steps, "then sign-out", () => after(browser));
        record(steps);
      } catch (error) {
        record(error instanceof Error ? error : new Error(String(error)));
      }
    }
  };
  if (job.warmupSeconds > 0) {
    const until = performance.now() + job.warmupSeconds * 1000;
    await Promise.all(browsers.map((browser) => loop(browser, until, () => {})));
  }
  const samples = new Map<string, number[]>();
  const stepCpu = new Map<string, number>();
  let completed = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  const countsBefore = browsers.length === 1 ? await operationCounts(job) : null;
  stepCpuOf = browsers.length === 1 && job.serverPid ? job.serverPid : null;
  const cpuBefore = job.serverPid ? processTreeCpuMs(job.serverPid) : null;
  const startedAt = performance.now();
  const until = startedAt + job.seconds * 1000;
  await Promise.all(
    browsers.map((browser) =>
      loop(browser, until, (result) => {
        if (result instanceof Error) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(result.message.slice(0, 300));
          return;
        }
        completed++;
        for (const { name, ms, serverCpuMs } of result) {
          const list = samples.get(name) ?? [];
          list.push(ms);
          samples.set(name, list);
          if (serverCpuMs !== undefined) stepCpu.set(name, (stepCpu.get(name) ?? 0) + serverCpuMs);
        }
      }),
    ),
  );
  const elapsed = (performance.now() - startedAt) / 1000;
  stepCpuOf = null;
  const cpuAfter = job.serverPid ? processTreeCpuMs(job.serverPid) : null;
  const countsAfter = countsBefore ? await operationCounts(job) : null;
  let operationsPerFlow: Record<string, number> | undefined;
  if (countsBefore && countsAfter && completed > 0 && errors === 0) {
    operationsPerFlow = {};
    for (const [name, after] of Object.entries(countsAfter).sort()) {
      const perFlow = Math.round(((after - (countsBefore[name] ?? 0)) / completed) * 10) / 10;
      if (perFlow > 0) operationsPerFlow[name] = perFlow;
    }
  }
  const steps: PhaseResult["steps"] = {};
  for (const [name, list] of samples) {
    list.sort((a, b) => a - b);
    steps[name] = { p50: percentile(list, 50), p95: percentile(list, 95), p99: percentile(list, 99) };
  }
  return {
    label,
    clients: browsers.length,
    seconds: Math.round(elapsed * 100) / 100,
    completed,
    errors,
    errorSamples,
    perSecond: Math.round((completed / elapsed) * 10) / 10,
    serverCpuMsPerFlow:
      cpuBefore !== null && cpuAfter !== null && completed > 0 ? Math.round(((cpuAfter - cpuBefore) / completed) * 10) / 10 : null,
    operationsPerFlow,
    steps,
    serverCpuMsPerStep:
      stepCpu.size > 0 && completed > 0
        ? Object.fromEntries([...stepCpu].map(([name, ms]) => [name, Math.round((ms / completed) * 10) / 10]))
        : undefined,
  };
}

function makeBrowsers(job: Job): Browser[] {
  return Array.from({ length: job.clients }, (_, i) => new Browser(job.origin, `10.${job.target === "app" ? 1 : 2}.${i >> 8}.${i & 255}`));
}

let emailCounter = 0;
const nextEmail = (job: Job) => `bench-${job.runId}-${process.pid}-${++emailCounter}@example.com`;

export async function runJob(job: Job): Promise<PhaseResult[]> {
  const flows = job.target === "app" ? appFlows(job) : betterAuthFlows();
  const browsers = makeBrowsers(job);
  if (job.scenario === "register") {
    return [
      await runPhase(`register ×${job.clients}`, browsers, job, async (browser, steps) => {
        // A new visitor each time: no cookies from the account registered before.
        browser.cookies.clear();
        await flows.register(browser, nextEmail(job), steps);
      }),
    ];
  }
  // Sign-in and page loads need an account per client: registered first, not counted.
  await Promise.all(browsers.map((browser) => flows.register(browser, nextEmail(job), [])));
  if (job.scenario === "signin") await Promise.all(browsers.map((browser) => flows.signOut(browser)));
  if (job.scenario === "signin") {
    return [
      await runPhase(
        `sign-in ×${job.clients}`,
        browsers,
        job,
        (browser, steps) => flows.signIn(browser, steps),
        (browser) => flows.signOut(browser),
      ),
    ];
  }
  // "page": each client keeps its session and loads the paths in turn, alternating rounds.
  const results: PhaseResult[] = [];
  for (let round = 0; round < (job.rounds ?? 1); round++) {
    for (const pathname of job.paths ?? []) {
      results.push(
        await runPhase(`GET ${pathname} ×${job.clients}`, browsers, { ...job, warmupSeconds: round === 0 ? job.warmupSeconds : 0.5 }, async (browser, steps) => {
          const response = await timed(steps, "page", () => browser.request(pathname));
          const text = await response.text();
          if (response.status !== 200 || !text.includes("Your account")) throw new Error(`${pathname}: ${response.status}`);
        }),
      );
    }
  }
  return results;
}

// --- The session check alone --------------------------------------------------------------------

/**
 * What the session check costs, measured in this process against the server's own database with
 * the vault's own code (lib/vault is framework-free): a signed-in client's cookie, checked as a
 * protected page load checks it (proxy.ts verifies the JWT, then the page's getSession verifies it
 * again and reads the session row). Microseconds per check, median of 5 batches.
 */
export async function measureSessionCheck(job: Job, databaseUrl: string, env: Record<string, string>): Promise<{
  microseconds: number;
  verifyOnlyMicroseconds: number;
}> {
  const browser = makeBrowsers({ ...job, clients: 1 })[0]!;
  await appFlows(job).register(browser, nextEmail(job), []);
  const token = [...browser.cookies].find(([name]) => /session/i.test(name))?.[1];
  if (!token) throw new Error("no session cookie after registration");
  const { createDb } = await import("../lib/db-client");
  const { createVault } = await import("../lib/vault");
  const { loadVaultConfig } = await import("../lib/vault/config");
  const db = createDb(databaseUrl);
  const vault = createVault(db, loadVaultConfig({ ...process.env, ...env }));
  const time = async (operation: () => Promise<unknown>) => {
    for (let i = 0; i < 50; i++) await operation();
    const batches: number[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const start = performance.now();
      for (let i = 0; i < 100; i++) await operation();
      batches.push(((performance.now() - start) * 1000) / 100);
    }
    return Math.round(batches.sort((a, b) => a - b)[2]! * 10) / 10;
  };
  try {
    return {
      microseconds: await time(async () => {
        await vault.verifySessionToken(token);
        await vault.authenticateSession(token);
      }),
      verifyOnlyMicroseconds: await time(() => vault.verifySessionToken(token)),
    };
  } finally {
    await db.$disconnect();
  }
}

// --- signIn's answer, taken apart ---------------------------------------------------------------

/**
 * routeHandler: GET /.well-known/jwks.json; homePayload: the home page's React payload (the root
 * layout and a light page); accountPayload: /account's; refusedSignIn: signIn with a code that
 * does not exist; signInAndAccount: signIn with a fresh code, its answer rendering /account.
 */
export type RequestProbe = "routeHandler" | "homePayload" | "accountPayload" | "refusedSignIn" | "signInAndAccount";

/**
 * The server CPU of single requests, sent one at a time (nothing else in flight, a pause before and
 * after each so work the server does after answering is counted with its request), in alternating
 * rounds; milliseconds, median of `rounds`. The sign-in's last step (signIn, whose redirect renders
 * /account into the same answer) next to the requests it is made of and to Next's own floors: a
 * route handler, and a page's React payload with the root layout and a light page.
 */
export async function measureRequestCosts(job: Job, rounds: number): Promise<Record<RequestProbe, number>> {
  const pid = job.serverPid!;
  const flows = appFlows(job);
  const actionId = signInActionId(job.nextDir!);
  const browser = makeBrowsers({ ...job, clients: 1 })[0]!;
  await flows.register(browser, nextEmail(job), []);
  const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
  const expectOk = async (response: Response, what: string, check: (text: string) => boolean = () => true) => {
    const text = await response.text();
    if (response.status !== 200 || !check(text)) throw new Error(`${what}: ${response.status} ${text.slice(0, 200)}`);
  };
  const rsc = { rsc: "1" };
  /** Each probe prepares its request (unmeasured), then returns it, to be measured. */
  const probes: [RequestProbe, () => Promise<() => Promise<void>>][] = [
    ["routeHandler", async () => async () => expectOk(await browser.request("/.well-known/jwks.json"), "JWKS")],
    ["homePayload", async () => async () => expectOk(await browser.request("/?_rsc=", { headers: rsc }), "/")],
    [
      "accountPayload",
      async () => async () => expectOk(await browser.request("/account?_rsc=", { headers: rsc }), "/account", (text) => text.includes("Your account")),
    ],
    [
      "refusedSignIn",
      async () => async () => {
        const response = await postSignIn(browser, actionId, randomBytes(32).toString("base64url"));
        const text = await response.text();
        if (response.headers.get("x-action-redirect") !== null || !text.includes("@error/InvalidCode")) throw new Error(`refused signIn: ${text.slice(0, 200)}`);
      },
    ],
    [
      "signInAndAccount",
      async () => {
        // As the sign-in flow runs it: from the login page, signed out.
        await flows.signOut(browser);
        const code = await authenticationCode(browser, []);
        return () => callSignIn(browser, actionId, code, null);
      },
    ],
  ];
  const samples = new Map<RequestProbe, number[]>(probes.map(([name]) => [name, []]));
  for (let round = -Math.ceil(rounds / 10); round < rounds; round++) {
    for (const [name, prepare] of probes) {
      const request = await prepare();
      await pause();
      const before = threadsCpuMs(pid)!;
      await request();
      await pause();
      // The first rounds warm the server up and are not counted.
      if (round >= 0) samples.get(name)!.push(threadsCpuMs(pid)! - before);
    }
  }
  return Object.fromEntries([...samples].map(([name, list]) => [name, percentile(list.sort((a, b) => a - b), 50)])) as Record<RequestProbe, number>;
}

// --- What the pages load ------------------------------------------------------------------------

/**
 * The script files (`/_next/static/…`) the HTML of `/login` (signed out) and `/account` (signed in)
 * loads, and those of the blank page at `blankOrigin` (bench/blank), the baseline.
 */
export async function pageScripts(job: Job, blankOrigin: string): Promise<Record<"blank" | "/login" | "/account", string[]>> {
  const browser = makeBrowsers({ ...job, clients: 1 })[0]!;
  const scriptsOf = async (url: string) => {
    const response = await browser.request(url);
    const html = await response.text();
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    // Module scripts only: the nomodule polyfill is never loaded by a browser that runs passkeys.
    return [...html.matchAll(/<script(?![^>]*nomodule)[^>]*\ssrc="([^"]+)"/gi)].map((match) => match[1]!);
  };
  const blank = await scriptsOf(`${blankOrigin}/`);
  const login = await scriptsOf("/login");
  await appFlows(job).register(browser, nextEmail(job), []);
  return { blank, "/login": login, "/account": await scriptsOf("/account") };
}
