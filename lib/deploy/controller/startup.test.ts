import { describe, expect, it } from "vitest";
import { createDatabase } from "@/db/client";
import { ExecutionWorker } from "@/lib/runtime/execute/worker";
import { startSchedules } from "@/lib/schedules";
import { Controller } from "./controller";

/*
 * What `npm run dev` and `next start` do at start-up on a fresh embedded database: the deployment controller, the
 * execution worker and the schedules start side by side, before pg-boss's schema exists. They used to race to
 * install it, and the loser's failed script left PGlite's one session in an aborted transaction, so every later
 * query failed (sign-in included).
 */
describe("start-up on a fresh PGlite", () => {
  it("starts the controller, the execution worker and the schedules side by side, and the database still answers", async () => {
    const database = await createDatabase({ pgliteDir: "memory://", migrate: true });
    try {
      const controller = new Controller({ workers: 1, supervise: false, leaseSeconds: 10 });
      const worker = new ExecutionWorker({ supervise: false });
      const [, , schedules] = await Promise.all([
        controller.start(database),
        worker.start(database),
        startSchedules(database),
      ]);
      const { rows } = await database.executeSql("SELECT name FROM pgboss.queue ORDER BY name");
      expect((rows as { name: string }[]).map((r) => r.name)).toEqual(
        expect.arrayContaining(["agent-execution", "deployment-step", "execution-callback", "jobs-auto-accept"]),
      );
      expect((await database.executeSql("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      await Promise.all([controller.stop(), worker.stop(), schedules.stop({ graceful: false, close: false })]);
    } finally {
      await database.close();
    }
  });
});
