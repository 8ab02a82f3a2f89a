import "server-only";
import { sql } from "drizzle-orm";
import { getDatabase } from "@/db/client";
import { env } from "@/lib/env";
import type { z } from "zod";
import type { healthResponse } from "@/lib/api/contracts/health";

const startedAt = Date.now();

type DatabaseProbe = z.infer<typeof healthResponse>["database"];

/** `SELECT 1` and its latency; a database that does not answer within 2 s counts as down. */
export async function probeDatabase(): Promise<DatabaseProbe> {
  try {
    const t0 = performance.now();
    const db = await withTimeout(getDatabase(), 10_000);
    await withTimeout(db.db.execute(sql`SELECT 1`), 2_000);
    return { status: "ok", driver: db.driver, latency_ms: Math.round((performance.now() - t0) * 100) / 100 };
  } catch {
    return { status: "down", driver: "unknown", latency_ms: null };
  }
}

/** Reports the app and database status (GET /api/health; the fuller GET /api/system/health: lib/metrics). */
export async function checkHealth(): Promise<z.infer<typeof healthResponse>> {
  const database = await probeDatabase();
  return {
    status: database.status === "ok" ? "ok" : "degraded",
    version: env().npm_package_version,
    uptime_s: Math.round((Date.now() - startedAt) / 1000),
    database,
  };
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("timeout")), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}
