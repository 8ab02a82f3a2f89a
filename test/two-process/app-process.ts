/**
 * One app process for the two-process test (test/two-process/two-processes.pg.test.ts), without building Next: it
 * runs the app's start-up hook (instrumentation.ts: the reconciler, the schedules, the execution worker, the
 * deployment controller) and serves every route handler under app/api over real HTTP with test/serve-route.ts,
 * on the database in DATABASE_URL. Prints `LISTENING <url>` once it serves. Run with
 * `tsx --conditions=react-server` (the app's `server-only` modules load). Test-only.
 */
import fs from "node:fs";
import path from "node:path";
import { register } from "@/instrumentation";
import { serveRoute } from "@/test/serve-route";
import type { Handler } from "@/test/http";

type RouteModule = Partial<Record<string, Handler>>;
interface Route {
  pattern: RegExp;
  names: string[];
  file: string;
  /** Literal segments first, as Next resolves them: fewer dynamic segments win. */
  rank: number;
}

const appDir = path.resolve(import.meta.dirname, "../../app");

function routes(): Route[] {
  const found: Route[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name === "route.ts") {
        const segments = path.relative(appDir, dir).split(path.sep);
        const names: string[] = [];
        let rank = 0;
        const parts = segments.map((s) => {
          const catchAll = /^\[\.\.\.(\w+)\]$/.exec(s);
          if (catchAll) return (names.push(catchAll[1]!), (rank += 100), "(.+)");
          const param = /^\[(\w+)\]$/.exec(s);
          if (param) return (names.push(param[1]!), (rank += 1), "([^/]+)");
          return s.replace(/[.]/g, "\\.");
        });
        found.push({ pattern: new RegExp(`^/${parts.join("/")}$`), names, file: full, rank });
      }
    }
  };
  walk(path.join(appDir, "api"));
  return found.sort((a, b) => a.rank - b.rank);
}

async function main() {
  process.env.NEXT_RUNTIME = "nodejs";
  await register();
  const table = routes();
  const modules = new Map<string, Promise<RouteModule>>();
  const dispatch: Handler = async (req) => {
    const url = new URL(req.url);
    for (const r of table) {
      const m = r.pattern.exec(url.pathname);
      if (!m) continue;
      if (!modules.has(r.file)) modules.set(r.file, import(r.file) as Promise<RouteModule>);
      const handler = (await modules.get(r.file)!)[req.method];
      if (!handler) return new Response(null, { status: 405 });
      const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      return handler(req, { params: Promise.resolve(params) });
    }
    return new Response(null, { status: 404 });
  };
  const served = await serveRoute(dispatch);
  console.log(`LISTENING ${served.url}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
