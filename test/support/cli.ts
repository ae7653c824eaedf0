// The operator CLIs as an operator runs them: plain `node` in a child process, so they must load
// without Next.js and without server-only. Answers the exit status and both outputs, success or not.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `scripts/<script>` with `args`; `env` is added to this process's environment. */
export async function runScript(script: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  const file = fileURLToPath(new URL(`../../scripts/${script}`, import.meta.url));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [file, ...args], { env: { ...process.env, ...env } });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { status: code, stdout, stderr };
  }
}
