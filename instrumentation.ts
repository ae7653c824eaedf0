// Next.js calls register() once when a server instance starts (not during `next build`): the place
// to refuse a deployment whose settings are missing or unsafe before it serves anyone.

export async function register() {
  // proxy.ts and every route run on Node.js; the edge runtime has nothing of ours to check.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkDeployment } = await import("./lib/deployment-check");
  try {
    checkDeployment(process.env);
  } catch (error) {
    // The message names the variable and what is wrong with it; it is logged, never sent to a client.
    console.error(`[passkeys] ${(error as Error).message}. Nothing is served until it is fixed.`);
    throw error;
  }
}
