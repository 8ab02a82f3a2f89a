import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { and, eq, inArray, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { getDatabase, getDb, type Database } from "@/db/client";
import { agentRoutes, deploymentInstances, deployments } from "@/db/schema";
import { env } from "@/lib/env";
import { listen } from "@/lib/events/listen";
import { log } from "@/lib/log";
import { ensureExecuteQueues } from "@/lib/runtime/execute/queue-defs";
import { sandboxSupport } from "@/lib/runtime/sandbox";
import { sandboxHost, type InstanceHost } from "../instances/host";
import { awsHostsFromEnv } from "../hosts/aws";
import { HostRegistry, type AwsHost } from "../hosts";
import { ACTIVE_STATUSES, InstanceManager } from "../instances/manager";
import type { Environment } from "../types";
import { tickOf, type StepTable } from "./context";
import { checkRoute } from "./route-check";
import { runTick, type RunnerDeps } from "./runner";
import {
  ensureQueues,
  ROUTE_QUEUE,
  routeCheckKey,
  sendStep,
  startBoss,
  STEP_QUEUE,
  stopBoss,
  Wakeups,
  WAKE_CHANNEL,
  type RouteJob,
  type StepJob,
} from "./queue";
import { stepTable } from "./steps";

export interface ControllerOptions {
  /** Where instances run (default: the bubblewrap sandbox). */
  host?: InstanceHost;
  /** The AWS hosts (default: those the operator configured, lib/deploy/hosts/aws.ts). */
  aws?: Partial<Record<"fargate" | "agentcore", AwsHost>>;
  /** Why the host cannot run uploaded code, or null (default: the sandbox's probe). */
  unavailable?: () => string | null;
  leaseSeconds?: number;
  workers?: number;
  batchSize?: number;
  pollingIntervalSeconds?: number;
  /** Let pg-boss expire the jobs of a controller that died mid-step (off in tests: they stop controllers cleanly). */
  supervise?: boolean;
  readyTimeoutMs?: number;
  /** Wraps the phase steps (tests watch which controller runs which step). */
  decorateSteps?: (steps: StepTable) => StepTable;
}

/**
 * Drives deployments (a pg-boss step queue, see runner.ts) and keeps each route's instances healthy and scaled (a
 * check per route every health-check interval, see route-check.ts). Any number of controllers may share a
 * database: a deployment's lease makes one of them at a time run its step, and a controller that starts picks up
 * every deployment still in progress.
 */
export class Controller {
  readonly id = `controller:${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  readonly instances: HostRegistry;
  private boss: PgBoss | undefined;
  private stepWorkers: string[] = [];
  private routeWorkers: string[] = [];
  private readonly wakeups = new Wakeups(() => this.boss);
  private unlisten: (() => Promise<void>) | undefined;
  private readonly leaseSeconds: number;
  private readonly deps: RunnerDeps;

  constructor(private readonly opts: ControllerOptions = {}) {
    this.leaseSeconds = opts.leaseSeconds ?? env().DEPLOY_LEASE_S;
    this.instances = new HostRegistry(
      new InstanceManager(opts.host ?? sandboxHost, opts.readyTimeoutMs),
      opts.aws ?? awsHostsFromEnv(),
    );
    const unavailable =
      opts.unavailable ??
      (() => {
        const s = sandboxSupport();
        return s.available ? null : s.reason;
      });
    this.deps = {
      owner: this.id,
      leaseMs: this.leaseSeconds * 1000,
      instances: this.instances,
      steps: (opts.decorateSteps ?? ((t) => t))(stepTable({ unavailable })),
      schedule: async (tx, deploymentId, tick, seconds) => {
        await sendStep(tx, deploymentId, tick, seconds);
        // Due in this process: wake a worker then rather than at its next poll.
        this.wakeIn(seconds * 1000, this.stepWorkers);
      },
      ended: (d) => void this.checkSoon(d.agentId, d.environment),
    };
  }

  async start(database?: Database): Promise<this> {
    const db = database ?? (await getDatabase());
    const boss = await startBoss(db, { supervise: this.opts.supervise ?? true }, (err) =>
      log().warn({ err }, "job queue error"),
    );
    await ensureQueues(boss, this.leaseSeconds);
    // This process may enqueue executions (a job's auto-fulfilment) even where no execution worker runs.
    await ensureExecuteQueues(boss);
    this.boss = boss;
    const work = {
      batchSize: this.opts.batchSize ?? 8,
      pollingIntervalSeconds: this.opts.pollingIntervalSeconds ?? env().DEPLOY_POLL_INTERVAL_S,
    };
    for (let i = 0; i < (this.opts.workers ?? env().DEPLOY_CONTROLLER_WORKERS); i++) {
      this.stepWorkers.push(await boss.work<StepJob>(STEP_QUEUE, work, (jobs) => this.runSteps(jobs)));
    }
    this.routeWorkers.push(await boss.work<RouteJob>(ROUTE_QUEUE, work, (jobs) => this.runChecks(jobs)));
    this.unlisten = await listen(db, WAKE_CHANNEL, {
      onNotify: () => this.wakeIn(0, [...this.stepWorkers, ...this.routeWorkers]),
    });
    await this.resume();
    log().info({ controller: this.id }, "deployment controller started");
    return this;
  }

  private async runSteps(jobs: PgBoss.Job<StepJob>[]): Promise<void> {
    // A failed tick fails its batch and pg-boss retries it; the ticks of the batch that did run are stale by then.
    const results = await Promise.allSettled(
      jobs.map(async (j) => {
        if ((await runTick(j.data.deployment_id, j.data.tick, this.deps)) === "busy") {
          await this.boss?.send(STEP_QUEUE, j.data, { startAfter: 1 });
        }
      }),
    );
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  private async runChecks(jobs: PgBoss.Job<RouteJob>[]): Promise<void> {
    await Promise.all(
      jobs.map(async (j) => {
        const environment = j.data.environment as Environment;
        const next = await checkRoute(this.instances, j.data.agent_id, environment).catch((err: unknown) => {
          log().warn({ err, agent: j.data.agent_id, environment }, "route check failed");
          return 5;
        });
        if (next !== null) await this.queueCheck(j.data.agent_id, environment, next);
      }),
    );
  }

  private async queueCheck(agentId: string, environment: Environment, seconds: number): Promise<void> {
    const data: RouteJob = { agent_id: agentId, environment };
    await this.boss?.send(ROUTE_QUEUE, data, {
      singletonKey: routeCheckKey(agentId, environment, seconds <= 0),
      ...(seconds > 0 ? { startAfter: seconds } : {}),
    });
    this.wakeIn(seconds * 1000, this.routeWorkers);
  }

  /** A route whose traffic just changed: its instances follow now (stop the old version, replace, scale). */
  checkSoon(agentId: string, environment: Environment): Promise<void> {
    return this.queueCheck(agentId, environment, 0).catch((err: unknown) =>
      log().warn({ err, agent: agentId }, "could not queue a route check"),
    );
  }

  private wakeIn(ms: number, workers: string[]): void {
    this.wakeups.in(ms, workers);
  }

  /** After a start: every deployment in progress gets its step again, every route with traffic its checks. */
  private async resume(): Promise<void> {
    const db = await getDb();
    const live = await db.select().from(deployments).where(eq(deployments.status, "deploying"));
    if (live.length) {
      const now = Date.now();
      await this.boss?.insert(
        live.map((d) => ({
          name: STEP_QUEUE,
          data: { deployment_id: d.id, tick: tickOf(d) } satisfies StepJob,
          startAfter: new Date(Math.max(now, d.nextStepAt.getTime())),
        })),
      );
      this.wakeIn(0, this.stepWorkers);
    }
    const withTraffic = await db
      .select({ agentId: agentRoutes.agentId, environment: agentRoutes.environment })
      .from(agentRoutes)
      .where(sql`${agentRoutes.weights} <> '[]'::jsonb`);
    const withInstances = await db
      .selectDistinct({ agentId: deploymentInstances.agentId, environment: deploymentInstances.environment })
      .from(deploymentInstances)
      .where(inArray(deploymentInstances.status, [...ACTIVE_STATUSES]));
    const routes = new Map([...withTraffic, ...withInstances].map((r) => [`${r.agentId}:${r.environment}`, r]));
    for (const r of routes.values()) await this.checkSoon(r.agentId, r.environment);
  }

  /**
   * Stops taking work, lets running steps finish, hands this controller's leases back (another controller goes on
   * at once) and stops this process's instances.
   */
  async stop(): Promise<void> {
    this.wakeups.clear();
    await this.unlisten?.();
    await stopBoss(this.boss);
    this.boss = undefined;
    const db = await getDb();
    await db
      .update(deployments)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(and(eq(deployments.leaseOwner, this.id), eq(deployments.status, "deploying")));
    await this.instances.stopAll();
    log().info({ controller: this.id }, "deployment controller stopped");
  }
}
