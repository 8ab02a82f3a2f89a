import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inTransaction } from "@/lib/db";
import { sendCallback, sendExecute } from "@/lib/runtime/execute/queue";
import { CALLBACK_QUEUE, EXECUTE_QUEUE } from "@/lib/runtime/execute/queue-defs";
import { SWEEPS } from "@/lib/schedule-queues";
import { setupTestDatabase } from "@/test/db";
import { createBoss, installQueue, ROUTE_QUEUE, STEP_QUEUE } from "./queue";

const t = setupTestDatabase();
const ALL_QUEUES = [STEP_QUEUE, ROUTE_QUEUE, EXECUTE_QUEUE, CALLBACK_QUEUE, ...Object.keys(SWEEPS)].sort();

async function queueNames(): Promise<string[]> {
  const boss = createBoss(t.current.database);
  boss.on("error", () => {});
  await boss.start();
  try {
    return (await boss.getQueues()).map((q) => q.name).sort();
  } finally {
    await boss.stop({ graceful: false, close: false });
  }
}

describe("installQueue", () => {
  it("creates the execution and sweep queues too, so a process with no worker started can enqueue", async () => {
    // The harness installed the queue in the snapshot with installQueue, as `npm run db:migrate` does: no
    // execution worker ever started on this database.
    expect(await queueNames()).toEqual(ALL_QUEUES);
    const id = randomUUID();
    await inTransaction(async (tx) => {
      await sendExecute(tx, id, 2);
      await sendCallback(tx, id, 1);
    });
    const rows = await t.current.database.db.execute<{ name: string; priority: number }>(
      sql`SELECT name, priority FROM pgboss.job WHERE data->>'execution_id' = ${id} ORDER BY name`,
    );
    const list = (rows as unknown as { rows: { name: string; priority: number }[] }).rows;
    expect(list.map((r) => [r.name, r.priority])).toEqual(
      [
        [EXECUTE_QUEUE, 2],
        [CALLBACK_QUEUE, 0],
      ].sort(),
    );
  });

  it("is idempotent: installing again keeps the queues and their jobs", async () => {
    await installQueue(t.current.database, 60);
    expect(await queueNames()).toEqual(ALL_QUEUES);
  });
});
