// Creates the peer's tables on a fresh database, offline (Better Auth's own migrator).
import { getMigrations } from "better-auth/db/migration";
import { authOptions } from "./auth.mjs";

const { runMigrations } = await getMigrations(authOptions);
await runMigrations();
