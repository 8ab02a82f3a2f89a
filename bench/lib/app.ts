import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { freePort, rssBytes, runToEnd, startProcess, stopProcess, waitForHttp } from "./proc";

export const REPO = path.resolve(import.meta.dirname, "../..");

/**
 * The production build the bench runs. It is built in a copy of the tree (never in the shared working tree,
 * whose .next belongs to the dev server): BENCH_APP_DIR, default a folder under the OS temp dir. With
 * BENCH_SKIP_BUILD=1 an existing build there is reused as it is.
 */
export async function prepareBuild(log: (s: string) => void): Promise<string> {
  const dir = process.env.BENCH_APP_DIR ?? path.join(os.tmpdir(), "agent-market-bench-app");
  const built = fs.existsSync(path.join(dir, ".next", "BUILD_ID"));
  if (process.env.BENCH_SKIP_BUILD === "1" && built) {
    log(`reusing the build in ${dir} (BENCH_SKIP_BUILD=1)`);
    return dir;
  }
  log(`copying the tree to ${dir} and building (next build); log: ${dir}.build.log`);
  fs.mkdirSync(dir, { recursive: true });
  await runToEnd(
    "rsync",
    [
      "-a",
      "--delete",
      "--exclude",
      "node_modules",
      "--exclude",
      ".next",
      "--exclude",
      ".data",
      "--exclude",
      "bench/results",
      `${REPO}/`,
      `${dir}/`,
    ],
    { log: `${dir}.build.log` },
  );
  // Turbopack refuses a symlinked node_modules outside the project root; hard links are instant and share disk.
  if (!fs.existsSync(path.join(dir, "node_modules"))) {
    await runToEnd("cp", ["-al", path.join(REPO, "node_modules"), path.join(dir, "node_modules")], {
      log: `${dir}.build.log`,
    });
  }
  // Type checking is `npm run typecheck`'s job; here it would only let someone's unfinished file block a
  // measurement. The copy's config wraps the real one and only turns that check off.
  fs.renameSync(path.join(dir, "next.config.ts"), path.join(dir, "next.config.orig.ts"));
  fs.writeFileSync(
    path.join(dir, "next.config.ts"),
    'import base from "./next.config.orig";\n' +
      "export default { ...base, typescript: { ...base.typescript, ignoreBuildErrors: true } };\n",
  );
  await runToEnd(process.execPath, [path.join(dir, "node_modules/next/dist/bin/next"), "build"], {
    cwd: dir,
    log: `${dir}.build.log`,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  return dir;
}

// A production build refuses to start without SECRETS_KEY; every server of one run shares this one.
const SECRETS_KEY = randomBytes(32).toString("base64");

export interface AppServer {
  url: string;
  pid: number;
  /** The server's output (its JSON log lines among it). */
  log: string;
  rss(): number;
  stop(): Promise<void>;
}

/** `npm start` (server.ts) of the build on a loopback port, with the bench's database and the bench-only route on. */
export async function startServer(
  appDir: string,
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<AppServer> {
  const port = await freePort();
  const log = path.join(appDir, `server-${port}.log`);
  const child: ChildProcess = startProcess(
    process.execPath,
    // What `npm start` runs: the custom server (server.ts), event streams served outside Next's pipeline;
    // BENCH_SERVER=next-start runs Next's own server instead, for comparison.
    process.env.BENCH_SERVER === "next-start"
      ? [path.join(appDir, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"]
      : ["--import", "tsx", "--conditions=react-server", "server.ts", "--port", String(port), "--hostname", "127.0.0.1"],
    {
      cwd: appDir,
      log,
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_MAX: "20",
        NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret",
        BENCH_ROUTES: "1",
        SECRETS_KEY,
        ...env,
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/api/health`, 60_000, child);
  } catch (err) {
    await stopProcess(child);
    throw new Error(`${(err as Error).message}; server log: ${log}`);
  }
  // bash exec'd node, so the child's pid is the server's (server.ts serves in that process).
  const pid = child.pid!;
  return { url, pid, log, rss: () => rssBytes(pid), stop: () => stopProcess(child) };
}
