import fs from "node:fs";
import type pg from "pg";

/**
 * Where the time of a write goes, seen from the database while a load runs: every `everyMs` the state of each
 * backend of the bench database (pg_stat_activity), and the CPU the app server and those backends used.
 * pg_stat_statements needs a server restart to load, so this samples instead.
 */
export interface ActivityReport {
  /** Share of backend samples by state: `active:<wait>` (waiting on a lock, I/O...), `active:cpu`, `idle in transaction`... */
  states: Record<string, number>;
  /** The statements most often seen running or last run by a backend idle in a transaction (first 60 chars). */
  topStatements: [string, number][];
  /** CPU seconds per second of wall time: the node server, and the database's backends together. */
  nodeCpu: number;
  pgCpu: number;
  /** Commits in the database while the load ran (pg_stat_database.xact_commit delta, less the sampler's own). */
  commits: number;
}

const TICK = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export async function sampleActivity<T>(
  pool: pg.Pool,
  database: string,
  serverPid: number,
  work: () => Promise<T>,
  everyMs = 20,
): Promise<{ result: T; report: ActivityReport }> {
  const backends = async () =>
    (
      await pool.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        [database],
      )
    ).rows.map((r) => r.pid);
  const commits = async () =>
    Number(
      (await pool.query<{ n: string }>("SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1", [database]))
        .rows[0]?.n ?? 0,
    );
  const pids = await backends();
  const pgBefore = new Map(pids.map((p) => [p, cpuTicks(p)]));
  const nodeBefore = cpuTicks(serverPid);
  const commitsBefore = await commits();
  const states = new Map<string, number>();
  const statements = new Map<string, number>();
  let samples = 0;
  let ownQueries = 0;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      const { rows } = await pool.query<{ state: string; wait: string | null; query: string }>(
        `SELECT state, wait_event_type || ':' || wait_event AS wait, left(query, 60) AS query
           FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        [database],
      );
      ownQueries++;
      for (const r of rows) {
        if (r.state === "idle") continue;
        const key = r.state === "active" ? `active:${r.wait ?? "cpu"}` : r.state;
        states.set(key, (states.get(key) ?? 0) + 1);
        const q = r.query.replace(/\s+/g, " ");
        statements.set(q, (statements.get(q) ?? 0) + 1);
        samples++;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  const t0 = performance.now();
  let result: T;
  try {
    result = await work();
  } finally {
    done = true;
    await sampler;
  }
  const seconds = (performance.now() - t0) / 1000;
  const after = await backends();
  let pgTicks = 0;
  for (const p of after) pgTicks += cpuTicks(p) - (pgBefore.get(p) ?? 0);
  const share = (n: number) => Math.round((n / Math.max(1, samples)) * 1000) / 1000;
  return {
    result,
    report: {
      states: Object.fromEntries([...states].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, share(v)])),
      topStatements: [...statements]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([k, v]) => [k, share(v)]),
      nodeCpu: Math.round(((cpuTicks(serverPid) - nodeBefore) / TICK / seconds) * 100) / 100,
      pgCpu: Math.round((pgTicks / TICK / seconds) * 100) / 100,
      // The sampler's queries and the two backend lists commit in this database too.
      commits: (await commits()) - commitsBefore - ownQueries - 1,
    },
  };
}
