/**
 * `npm run dev`: the whole marketplace on a laptop with nothing installed.
 *   1. applies migrations to the configured database (embedded PGlite in .data/pglite by default);
 *   2. seeds demo data once (when the database has no agents yet);
 *   3. without AWS configuration, starts the local ECS and AgentCore endpoints (test doubles that run the
 *      demo agents as local processes) and points the app at them;
 *   4. runs `next dev` (or, with --start, the production server of `npm start`: server.ts) with that environment,
 *      and stops everything on exit.
 * Flags: --start (serve a production build), --port <n> (default 3000), --fresh (delete the PGlite folder first).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import nextEnv from "@next/env";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};

nextEnv.loadEnvConfig(process.cwd(), !flag("start"));
const port = option("port", process.env.PORT ?? "3000");

process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const { env } = await import("../lib/env");
const { configFromEnv, createDatabase } = await import("../db/client");
const { startLocalAws } = await import("./local-aws");
const { seedIfEmpty } = await import("../db/seed/index");

const e = env();
// `--start` serves a production build (NODE_ENV=production), which refuses to run without SECRETS_KEY: this local
// preview uses the development key kept under .data/ (generated on first start), never a constant.
if (flag("start") && !process.env.SECRETS_KEY) {
  const { devKey } = await import("../lib/runtime/secrets/crypto");
  process.env.SECRETS_KEY = devKey(e.SECRETS_KEY_FILE);
}
if (flag("fresh") && !e.DATABASE_URL && !e.PGLITE_DIR.startsWith("memory://")) {
  fs.rmSync(e.PGLITE_DIR, { recursive: true, force: true });
}

// Local AWS endpoints first: the demo data refers to the agents they host.
const aws = await startLocalAws(e);
for (const [k, v] of Object.entries(aws.env)) process.env[k] = v;
const { reloadEnv } = await import("../lib/env");
reloadEnv();

const database = await createDatabase(configFromEnv());
// Runtimes of the older shape (a `command`, an inline `env`) take the current shape, their env encrypted.
const { migrateLegacyRuntimes } = await import("../lib/runtime/legacy");
const migrated = await migrateLegacyRuntimes(database);
if (migrated) console.log(`[dev] ${migrated} agent runtime(s) moved to the artifact/secrets shape`);
const seeded = e.SEED_DEMO_DATA ? await seedIfEmpty(database) : false;
console.log(
  `[dev] database ready (${database.driver}${e.DATABASE_URL ? "" : `, ${e.PGLITE_DIR}`})${seeded ? ", demo data seeded" : ""}`,
);
// PGlite is single-process: the app opens it again once we let go.
await database.close();

// --start runs what `npm start` runs: the custom server (server.ts), which serves the event streams itself.
const next = flag("start")
  ? spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "server.ts", "--port", port], {
      stdio: "inherit",
      env: { ...process.env, ...aws.env, NODE_ENV: "production" },
    })
  : spawn("npx", ["next", "dev", "-p", port], { stdio: "inherit", env: { ...process.env, ...aws.env } });

let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  if (next.exitCode === null) next.kill("SIGTERM");
  await aws.close();
  process.exit(code);
};
next.on("exit", (code) => void stop(code ?? 0));
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => void stop(0));
