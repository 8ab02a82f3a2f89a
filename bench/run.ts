/**
 * `npm run bench [module...]`: builds the app in a copy of the tree (or reuses it with BENCH_SKIP_BUILD=1),
 * creates a fresh PostgreSQL database, runs each bench module (bench/market.ts, bench/events.ts, and
 * the others named in KNOWN) against `npm start` (server.ts), prints a table of figures with
 * their targets, writes them to bench/results/, and always cleans up its processes and database.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { prepareBuild, REPO, startServer } from "./lib/app";
import { createBenchDatabase, type BenchDatabase } from "./lib/database";
import { stopAll } from "./lib/proc";
import type { BenchModule, Figure } from "./lib/types";

const KNOWN = ["market", "reads", "writes", "events", "runtime", "invoke", "metrics", "deploy", "execute", "pages"];
// The whole run after the build must end within this, whatever happens.
const BUDGET_S = Number(process.env.BENCH_BUDGET_S ?? 420);

const started = Date.now();
const log = (line: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`);

async function loadModules(names: string[]): Promise<BenchModule[]> {
  const wanted = names.length ? names : KNOWN;
  const unknown = wanted.filter((n) => !KNOWN.includes(n) && !fs.existsSync(path.join(import.meta.dirname, `${n}.ts`)));
  if (unknown.length) throw new Error(`unknown bench module(s): ${unknown.join(", ")} (known: ${KNOWN.join(", ")})`);
  const mods: BenchModule[] = [];
  for (const name of wanted) {
    const file = path.join(import.meta.dirname, `${name}.ts`);
    if (!fs.existsSync(file)) continue; // another helper's module not written yet
    const mod = (await import(file)) as { bench?: BenchModule };
    if (!mod.bench) throw new Error(`${file} does not export \`bench\``);
    mods.push(mod.bench);
  }
  return mods;
}

function printTable(rows: (Figure & { module: string })[]): void {
  const cells = rows.map((f) => [
    f.module,
    f.name,
    f.value === null ? "n/a" : String(f.value),
    f.unit,
    f.target ?? "",
    f.target ? (f.met ? "MET" : "NOT MET") : "",
    f.note ?? "",
  ]);
  const head = ["module", "figure", "value", "unit", "target", "result", "note"];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 2 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join("  ");
  console.log(`\n${line(head)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const c of cells) console.log(line(c));
  console.log("");
}

async function main(): Promise<number> {
  const modules = await loadModules(process.argv.slice(2));
  log(`modules: ${modules.map((m) => m.name).join(", ")}`);
  const appDir = await prepareBuild(log);
  const runStart = Date.now();
  const secondsLeft = () => BUDGET_S - (Date.now() - runStart) / 1000;
  // The watchdog: past the budget, clean up and leave whatever is still running.
  const watchdog = setTimeout(() => {
    log(`budget of ${BUDGET_S} s exceeded: stopping`);
    void cleanup().finally(() => process.exit(2));
  }, BUDGET_S * 1000);
  watchdog.unref();

  let db: BenchDatabase | undefined;
  const cleanup = async () => {
    await stopAll();
    await db?.drop().catch((err) => log(`could not drop ${db?.name}: ${(err as Error).message}`));
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      log(`${sig}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  const figures: (Figure & { module: string })[] = [];
  const failures: string[] = [];
  try {
    db = await createBenchDatabase();
    log(`database ${db.name}`);
    for (const mod of modules) {
      log(`== ${mod.name}: ${mod.description}`);
      try {
        const out = await mod.run({
          appDir,
          db,
          startServer: (env) => startServer(appDir, db!.url, env),
          log: (l) => log(`${mod.name}: ${l}`),
          secondsLeft,
        });
        figures.push(...out.map((f) => ({ ...f, module: mod.name })));
      } catch (err) {
        failures.push(`${mod.name}: ${(err as Error).message}`);
        log(`${mod.name} FAILED: ${(err as Error).stack ?? err}`);
      }
    }
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }

  printTable(figures);
  console.log(
    `Machine: ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const targets = figures.filter((f) => f.target);
  console.log(
    `Targets: ${targets.filter((f) => f.met).length} of ${targets.length} met` +
      (failures.length ? `; ${failures.length} module(s) failed: ${failures.join("; ")}` : ""),
  );
  const outDir = path.join(REPO, "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        node: process.version,
        cpus: (await import("node:os")).cpus().length,
        figures,
        failures,
      },
      null,
      2,
    ),
  );
  log(`figures written to ${path.relative(REPO, file)}`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    console.error(err);
    await stopAll();
    process.exit(1);
  },
);
