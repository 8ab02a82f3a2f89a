import fc from "fast-check";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agents } from "@/db/schema";
import { ApiError } from "@/lib/api/errors";
import type { Principal } from "@/lib/auth/principal";
import { OPERATOR_SCOPE, SCOPES } from "@/lib/auth/scopes";
import { env } from "@/lib/env";
import { retireAgent } from "@/lib/market/agents";
import { openDispute, resolveDispute } from "@/lib/market/disputes";
import { autoAcceptDeliveredJobs } from "@/lib/market/job-auto-accept";
import { cancelJob, completeJob, deliverJob, hireJob, requestRevision, startJob } from "@/lib/market/jobs";
import { setupTestDatabase } from "@/test/db";
import { fund } from "@/test/fixtures/ledger";
import { createAgent, createService, createUser } from "@/test/fixtures/market";
import { feeOf } from "./money";
import { holdCharge, settleCharge } from "./usage";
import { inTransaction } from "@/lib/db";
import { appendEvents } from "@/lib/events/log";

/**
 * Random sequences of hires (and sub-hires), starts, deliveries, revisions, auto-accepts, cancellations, failures (a worker
 * retired mid-job), completions, disputes (opened by either party, resolved by an admin), top-ups and paid runs (a
 * hold at the start, then a charge or a release: lib/ledger/usage.ts), run one at a time and in concurrent batches.
 * After every step the
 * ledger must agree with itself and with the jobs: every transaction sums to zero; all balances add up to the money
 * that came in; each open job's escrow holds its price and a settled one nothing; no balance is negative; each job
 * settles at most once (exactly once when it is over); each paid run is charged at most once and what the open holds
 * reserve is covered by the balance; and every wallet holds what the jobs and the charges say it should.
 */

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

const PRICES = [1.5, 7, 19.99];

interface World {
  clients: Principal[];
  workers: Principal[];
  /** services[w][p]: worker w's service at PRICES[p]. */
  services: string[][];
  jobs: string[];
  moneyIn: number;
  /** The admin (operator scope) who resolves disputes. */
  admin: Principal;
  /** Paid runs started (their hold references). */
  runs: string[];
}

type Op =
  | { kind: "top-up"; who: number; cents: number }
  | { kind: "hire"; client: number; worker: number; price: number }
  | { kind: "sub-hire"; parent: number; worker: number; price: number }
  | { kind: "advance" | "start" | "deliver" | "revise" | "complete" | "cancel"; job: number }
  | { kind: "retire"; worker: number }
  | { kind: "dispute"; job: number; by: "client" | "worker" }
  // part: the client's share of a split, in percent of the price.
  | { kind: "resolve"; job: number; resolution: "refund" | "release" | "split"; part: number }
  // The scheduled sweep (lib/market/job-auto-accept.ts), with a zero threshold: every delivered job completes.
  | { kind: "auto-accept" }
  // A paid run of a worker agent by any wallet (0-4) starts (its price held), and one ends (charged if ok).
  | { kind: "paid-run"; payer: number; agent: number; cents: number }
  | { kind: "run-end"; run: number; ok: boolean };

/** A job: -1 is the latest (half the time, so that jobs get somewhere), else any. */
const jobArb = fc.oneof(fc.constant(-1), fc.nat(30));

/** The forward step of each open status: `advance` walks a job to completion. */
const FORWARD: Record<string, "start" | "deliver" | "complete"> = {
  pending: "start",
  in_progress: "deliver",
  revision_requested: "deliver",
  delivered: "complete",
};

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("top-up" as const),
      who: fc.nat(4),
      cents: fc.integer({ min: 1, max: 3_000 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("hire" as const),
      client: fc.nat(1),
      worker: fc.nat(2),
      price: fc.nat(2),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("sub-hire" as const),
      parent: jobArb,
      worker: fc.nat(2),
      price: fc.nat(2),
    }),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("advance" as const), job: jobArb }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        "start" as const,
        "deliver" as const,
        "revise" as const,
        "complete" as const,
        "cancel" as const,
      ),
      job: jobArb,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("auto-accept" as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("dispute" as const),
      job: jobArb,
      by: fc.constantFrom("client" as const, "worker" as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("resolve" as const),
      job: jobArb,
      resolution: fc.constantFrom("refund" as const, "release" as const, "split" as const),
      part: fc.integer({ min: 1, max: 99 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("paid-run" as const),
      payer: fc.nat(4),
      agent: fc.nat(2),
      cents: fc.integer({ min: 1, max: 900 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("run-end" as const), run: jobArb, ok: fc.boolean() }),
  },
  // Only the third worker is ever retired, so that the other two keep working.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("retire" as const), worker: fc.constant(2) }) },
);

async function freshWorld(): Promise<World> {
  const person = await createUser(db());
  const buyer = await createAgent(db());
  const workers = [await createAgent(db()), await createAgent(db()), await createAgent(db())];
  const agentPrincipal = (id: string): Principal => ({ kind: "agent", agentId: id, keyId: "", scopes: SCOPES });
  const services: string[][] = [];
  for (const w of workers) {
    const row: string[] = [];
    for (const p of PRICES) row.push((await createService(db(), w.agent.id, { priceUsd: p })).id);
    services.push(row);
  }
  const world: World = {
    clients: [{ kind: "user", userId: person.user.id, scopes: SCOPES }, agentPrincipal(buyer.agent.id)],
    workers: workers.map((w) => agentPrincipal(w.agent.id)),
    services,
    jobs: [],
    moneyIn: 0,
    admin: { kind: "user", userId: (await createUser(db())).user.id, scopes: [...SCOPES, OPERATOR_SCOPE] },
    runs: [],
  };
  await topUp(world, 0, 2_000);
  await topUp(world, 1, 2_000);
  return world;
}

/** One life of each ending (completed after a revision, cancelled, failed with a sub-job), run besides the random ones. */
const EVERY_ENDING: Op[] = [
  { kind: "hire", client: 0, worker: 0, price: 1 },
  { kind: "advance", job: -1 },
  { kind: "advance", job: -1 },
  { kind: "revise", job: -1 },
  { kind: "advance", job: -1 },
  { kind: "advance", job: -1 },
  { kind: "hire", client: 1, worker: 1, price: 2 },
  { kind: "cancel", job: -1 },
  { kind: "hire", client: 1, worker: 2, price: 0 },
  { kind: "start", job: -1 },
  { kind: "top-up", who: 4, cents: 500 },
  { kind: "sub-hire", parent: -1, worker: 0, price: 0 },
  { kind: "retire", worker: 2 },
  { kind: "hire", client: 0, worker: 2, price: 0 },
  { kind: "hire", client: 1, worker: 0, price: 2 },
  { kind: "advance", job: -1 },
  { kind: "advance", job: -1 },
  { kind: "dispute", job: -1, by: "worker" },
  { kind: "resolve", job: -1, resolution: "split", part: 30 },
  { kind: "paid-run", payer: 0, agent: 1, cents: 250 },
  { kind: "run-end", run: -1, ok: true },
  { kind: "paid-run", payer: 1, agent: 0, cents: 90 },
  { kind: "hire", client: 1, worker: 0, price: 2 },
  { kind: "run-end", run: -1, ok: false },
];

/** Wallets 0-1 are the clients, 2-4 the workers (who pay for their sub-hires). */
async function topUp(world: World, who: number, cents: number) {
  const p = [...world.clients, ...world.workers][who]!;
  await fund(p.kind === "user" ? { kind: "user", userId: p.userId } : { kind: "agent", agentId: p.agentId }, cents);
  world.moneyIn += cents;
}

/** What an op may answer besides success: refusals the rules allow, never anything else. */
const ALLOWED: Record<Op["kind"], number[]> = {
  "top-up": [],
  hire: [402, 422],
  advance: [409],
  "sub-hire": [402, 403, 404, 409, 422],
  start: [409],
  deliver: [409],
  revise: [409],
  complete: [409],
  cancel: [409],
  retire: [],
  "auto-accept": [],
  dispute: [409],
  resolve: [409, 422],
  "paid-run": [402],
  "run-end": [],
};

async function apply(world: World, op: Op): Promise<void> {
  const jobAt = (i: number) => world.jobs[i < 0 ? world.jobs.length - 1 : i % world.jobs.length]!;
  const partiesOf = async (jobId: string) => {
    const [row] = await rows<{
      worker: string;
      client_agent: string | null;
      client_user: string | null;
      status: string;
    }>(
      sql`SELECT worker_agent_id AS worker, client_agent_id AS client_agent, client_user_id AS client_user, status
          FROM jobs WHERE id = ${jobId}`,
    );
    return row!;
  };
  const asAgent = (id: string): Principal => ({ kind: "agent", agentId: id, keyId: "", scopes: SCOPES });
  try {
    switch (op.kind) {
      case "top-up":
        return await topUp(world, op.who, op.cents);
      case "hire": {
        const job = await hireJob(world.clients[op.client]!, {
          service_id: world.services[op.worker]![op.price]!,
          title: "prop",
          input_data: {},
        });
        world.jobs.push(job.id);
        return;
      }
      case "sub-hire": {
        if (world.jobs.length === 0) return;
        const parent = await partiesOf(jobAt(op.parent));
        const job = await hireJob(asAgent(parent.worker), {
          service_id: world.services[op.worker]![op.price]!,
          title: "sub",
          input_data: {},
          parent_job_id: jobAt(op.parent),
        });
        world.jobs.push(job.id);
        return;
      }
      case "auto-accept":
        await autoAcceptDeliveredJobs(new Date(), { afterHours: 0 });
        return;
      case "paid-run": {
        const payer = [...world.clients, ...world.workers][op.payer]!;
        const agentId = (world.workers[op.agent] as { agentId: string }).agentId;
        if (payer.kind === "agent" && payer.agentId === agentId) return; // its own agent: free
        const reference = `execution:${crypto.randomUUID()}`;
        await inTransaction((tx) => holdCharge(tx, { principal: payer, agentId, amount: op.cents, reference }));
        world.runs.push(reference);
        return;
      }
      case "run-end": {
        if (world.runs.length === 0) return;
        const ref = world.runs[op.run < 0 ? world.runs.length - 1 : op.run % world.runs.length]!;
        await inTransaction(async (tx) => appendEvents(tx, await settleCharge(tx, ref, op.ok)));
        return;
      }
      case "retire": {
        const id = (world.workers[op.worker] as { agentId: string }).agentId;
        const [row] = await db().select().from(agents).where(eq(agents.id, id));
        await retireAgent(row!);
        return;
      }
      default: {
        if (world.jobs.length === 0) return;
        const id = jobAt(op.job);
        const j = await partiesOf(id);
        const worker = asAgent(j.worker);
        const client: Principal = j.client_agent
          ? asAgent(j.client_agent)
          : { kind: "user", userId: j.client_user!, scopes: SCOPES };
        const action = op.kind === "advance" ? FORWARD[j.status] : op.kind;
        if (action === "start") await startJob(worker, id);
        if (action === "deliver") await deliverJob(worker, id, { content: `work ${id}` });
        if (action === "revise") await requestRevision(client, id, { reason: "again" });
        if (action === "complete") await completeJob(client, id, { rating: 4 });
        if (op.kind === "cancel") await cancelJob(client, id, {});
        if (op.kind === "dispute") await openDispute(op.by === "client" ? client : worker, id, { reason: "no" });
        if (op.kind === "resolve") {
          const [d] = await rows<{ id: string; price: string }>(
            sql`SELECT d.id, j.price_cents AS price FROM disputes d JOIN jobs j ON j.id = d.job_id WHERE d.job_id = ${id}`,
          );
          if (!d) return;
          const cents = Math.min(Number(d.price) - 1, Math.max(1, Math.floor((Number(d.price) * op.part) / 100)));
          await resolveDispute(world.admin, d.id, {
            resolution: op.resolution,
            ...(op.resolution === "split" ? { client_cents: cents } : {}),
          });
        }
      }
    }
  } catch (err) {
    if (!(err instanceof ApiError) || !ALLOWED[op.kind].includes(err.status)) throw err;
  }
}

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const r = await db().execute(query);
  return (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as T[];
}

async function checkInvariants(world: World): Promise<void> {
  const unbalanced = await rows(
    sql`SELECT transaction_id FROM ledger_entries GROUP BY transaction_id HAVING sum(amount) <> 0`,
  );
  expect(unbalanced, "every transaction sums to zero").toEqual([]);

  const [totals] = await rows<{ all: string; inside: string; external: string; negative: string }>(sql`
    SELECT coalesce(sum(balance), 0) AS all,
           coalesce(sum(balance) FILTER (WHERE kind <> 'external'), 0) AS inside,
           coalesce(sum(balance) FILTER (WHERE kind = 'external'), 0) AS external,
           count(*) FILTER (WHERE kind <> 'external' AND balance < 0) AS negative
    FROM ledger_accounts`);
  expect(Number(totals!.all)).toBe(0);
  // This database is shared by the runs: money in is what every run topped up, out is nothing (no payouts yet).
  expect(Number(totals!.inside), "balances add up to money in minus money out").toBe(-Number(totals!.external));
  expect(Number(totals!.inside)).toBe(totalIn + world.moneyIn);
  expect(Number(totals!.negative), "no negative balance").toBe(0);

  const escrows = await rows<{ id: string; status: string; price: string; escrow: string; settles: string }>(sql`
    SELECT j.id, j.status, j.price_cents AS price, a.balance AS escrow,
           (SELECT count(*) FROM ledger_transactions t WHERE t.job_id = j.id AND t.kind IN ('refund', 'release', 'split'))
             AS settles
    FROM jobs j JOIN ledger_accounts a ON a.job_id = j.id`);
  for (const e of escrows) {
    const open = ["pending", "in_progress", "delivered", "revision_requested", "disputed"].includes(e.status);
    expect([e.status, Number(e.escrow)], `escrow of job ${e.id}`).toEqual([e.status, open ? Number(e.price) : 0]);
    expect(Number(e.settles), `settlements of job ${e.id}`).toBe(open ? 0 : 1);
  }

  // Every entry's running balance ends where its account is.
  const drift = await rows(sql`
    SELECT a.id FROM ledger_accounts a
    JOIN LATERAL (SELECT balance_after FROM ledger_entries e WHERE e.account_id = a.id ORDER BY e.id DESC LIMIT 1) l
      ON true
    WHERE l.balance_after <> a.balance`);
  expect(drift, "running balances").toEqual([]);

  // Paid runs: each account's `held` is its open holds, covered by its balance; a hold is charged at most once.
  const holds = await rows(sql`
    SELECT a.id, a.kind, a.held, a.balance,
      (SELECT sum(h.amount) FROM ledger_holds h WHERE h.account_id = a.id AND h.status = 'held') AS open
    FROM ledger_accounts a
    WHERE a.held <> coalesce((SELECT sum(h.amount) FROM ledger_holds h WHERE h.account_id = a.id AND h.status = 'held'), 0)
       OR (a.kind <> 'external' AND a.held > a.balance)`);
  expect(holds, "held matches the open holds, within the balance").toEqual([]);
  const charges = await rows(sql`
    SELECT h.id FROM ledger_holds h
    WHERE (h.status = 'charged') <> (h.transaction_id IS NOT NULL)
       OR (h.transaction_id IS NOT NULL AND NOT EXISTS
            (SELECT 1 FROM ledger_transactions t WHERE t.id = h.transaction_id AND t.kind = 'charge'))`);
  expect(charges, "a charged hold names its one charge, others none").toEqual([]);
  const [orphans] = await rows<{ n: string }>(sql`
    SELECT count(*) AS n FROM ledger_transactions t WHERE t.kind = 'charge'
      AND NOT EXISTS (SELECT 1 FROM ledger_holds h WHERE h.transaction_id = t.id)`);
  expect(Number(orphans!.n), "every charge is a hold's").toBe(0);

  // Each wallet holds what the jobs say: top-ups, less what it hired and did not get back, plus what it earned.
  const bps = env().PLATFORM_FEE_BPS;
  const jobs = await rows<{
    price: string;
    status: string;
    client_agent: string | null;
    client_user: string | null;
    worker: string;
    back: string | null;
  }>(sql`SELECT price_cents AS price, status, client_agent_id AS client_agent, client_user_id AS client_user,
             worker_agent_id AS worker,
             (SELECT client_cents FROM disputes d WHERE d.job_id = jobs.id AND d.status = 'resolved') AS back
         FROM jobs WHERE hire_transaction_id IS NOT NULL`);
  const expected = new Map<string, number>();
  const add = (k: string, v: number) => expected.set(k, (expected.get(k) ?? 0) + v);
  for (const j of jobs) {
    const price = Number(j.price);
    // A completed job may have been a dispute's release (nothing back) or split (`back` to the client).
    const back = j.status === "completed" ? Number(j.back ?? 0) : 0;
    if (j.status !== "cancelled" && j.status !== "failed") add(j.client_agent ?? j.client_user!, back - price);
    if (j.status === "completed") add(j.worker, price - back - feeOf(price - back, bps));
  }
  const charged = await rows<{ payer: string; agent: string; amount: string }>(sql`
    SELECT coalesce(a.agent_id, a.user_id) AS payer, h.agent_id AS agent, h.amount
    FROM ledger_holds h JOIN ledger_accounts a ON a.id = h.account_id WHERE h.status = 'charged'`);
  for (const c of charged) {
    add(c.payer, -Number(c.amount));
    add(c.agent, Number(c.amount) - feeOf(Number(c.amount), bps));
  }
  const wallets = await rows<{ holder: string; balance: string; credited: string }>(sql`
    SELECT coalesce(a.agent_id, a.user_id) AS holder, a.balance,
           coalesce((SELECT sum(e.amount) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
                     WHERE e.account_id = a.id AND t.kind IN ('top_up', 'faucet')), 0) AS credited
    FROM ledger_accounts a WHERE a.kind IN ('user', 'agent')`);
  for (const w of wallets) {
    expect(Number(w.balance), `wallet of ${w.holder}`).toBe(Number(w.credited) + (expected.get(w.holder) ?? 0));
  }
}

let totalIn = 0;

async function runAndCheck(batches: Op[][]): Promise<void> {
  const world = await freshWorld();
  try {
    await checkInvariants(world);
    for (const batch of batches) {
      await Promise.all(batch.map((op) => apply(world, op)));
      await checkInvariants(world);
    }
  } finally {
    totalIn += world.moneyIn;
  }
}

describe("ledger properties", () => {
  it("holds its invariants over random sequential job lives", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 25 }), (ops) => runAndCheck(ops.map((op) => [op]))),
      { numRuns: 8, examples: [[EVERY_ENDING]] },
    );
    // Not vacuous: the runs together reached every way money leaves an escrow.
    const reached = await rows<{ status: string }>(sql`SELECT DISTINCT status FROM jobs`);
    expect(reached.map((r) => r.status)).toEqual(expect.arrayContaining(["completed", "cancelled", "failed"]));
    const settledBy = await rows<{ kind: string }>(sql`SELECT DISTINCT kind FROM ledger_transactions`);
    expect(settledBy.map((r) => r.kind)).toEqual(expect.arrayContaining(["refund", "release", "split", "charge"]));
    const ended = await rows<{ status: string }>(sql`SELECT DISTINCT status FROM ledger_holds`);
    expect(ended.map((r) => r.status)).toEqual(expect.arrayContaining(["charged", "released"]));
  }, 240_000);

  it("holds its invariants when the steps race each other", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb, { minLength: 2, maxLength: 5 }), { minLength: 2, maxLength: 6 }),
        (batches) => runAndCheck(batches),
      ),
      { numRuns: 6 },
    );
  }, 240_000);
});
