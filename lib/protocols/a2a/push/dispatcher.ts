import "server-only";
import { inArray, sql } from "drizzle-orm";
import { getDatabase, getDb } from "@/db/client";
import { a2aPushConfigs } from "@/db/schema";
import { EVENTS_CHANNEL } from "@/lib/events/channel";
import { listen } from "@/lib/events/listen";
import { log } from "@/lib/log";
import { callbackConfigFromEnv, type CallbackConfig } from "@/lib/runtime/execute/callback";
import { deliverPush } from "./deliver";
import type { PushConfigRow } from "./store";

const BATCH = 20;

/**
 * Delivers A2A push notifications: a config whose job changed since it was last notified (jobs.updated_at is not
 * its delivered_version) and that is not waiting for a retry is claimed (a lease on next_at, SKIP LOCKED, so
 * several processes share the work) and sent. Woken by every event-log notification (a job transition appends an
 * event in its transaction) and by a poll for retries and for a notification lost while the LISTEN reconnects.
 */
export class PushDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly config: CallbackConfig & { pollMs: number } = { ...callbackConfigFromEnv(), pollMs: 1000 },
  ) {}

  async start(): Promise<this> {
    this.unlisten = await listen(await getDatabase(), EVENTS_CHANNEL, { onNotify: () => this.kick() });
    this.timer = setInterval(() => this.kick(), this.config.pollMs);
    this.kick();
    return this;
  }

  /** Sweeps now, or once more after the sweep in progress. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.sweep()
      .catch((err: unknown) => log().error({ err }, "push notification sweep failed"))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async sweep(): Promise<void> {
    for (;;) {
      const claimed = await this.claim();
      await Promise.all(
        claimed.map((row) =>
          deliverPush(row, this.config).catch((err: unknown) =>
            log().error({ err, config: row.id }, "push notification failed"),
          ),
        ),
      );
      if (claimed.length < BATCH || this.stopped) return;
    }
  }

  /** Due configs, each leased for one attempt's time so that no other sweep takes it meanwhile. */
  private async claim(): Promise<PushConfigRow[]> {
    const db = await getDb();
    const leaseS = Math.ceil(this.config.timeoutMs / 1000) + 5;
    const result = await db.execute(sql`
      UPDATE ${a2aPushConfigs} SET next_at = now() + make_interval(secs => ${leaseS})
      WHERE id IN (
        SELECT c.id FROM a2a_push_configs c JOIN jobs j ON j.id = c.job_id
        WHERE c.status = 'active' AND j.updated_at IS DISTINCT FROM c.delivered_version
          AND (c.next_at IS NULL OR c.next_at <= now())
        ORDER BY c.next_at NULLS FIRST LIMIT ${BATCH}
        FOR UPDATE OF c SKIP LOCKED)
      RETURNING id`);
    const ids = (result as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
    if (ids.length === 0) return [];
    return db.select().from(a2aPushConfigs).where(inArray(a2aPushConfigs.id, ids));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.unlisten?.();
    await this.running;
  }
}

const globalForPush = globalThis as unknown as { __agentMarketPush?: PushDispatcher };

/** The process's dispatcher (instrumentation.ts starts it with the execution worker). */
export async function startPushDispatcher(): Promise<void> {
  globalForPush.__agentMarketPush ??= await new PushDispatcher().start();
}

export async function stopPushDispatcher(): Promise<void> {
  await globalForPush.__agentMarketPush?.stop();
  globalForPush.__agentMarketPush = undefined;
}
