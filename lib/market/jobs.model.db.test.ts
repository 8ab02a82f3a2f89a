import { eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { agents } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import type { JobAction, JobStatus } from "./job-machine";
import { weightedReputation } from "./reputation";
import { api, validBody } from "@/test/fixtures/job-routes";
import { asActor, createAgent, createService, type AgentFixture } from "@/test/fixtures/market";
import { fund } from "@/test/fixtures/ledger";

/**
 * Model-based test: random sequences of hire / transitions / direct messages / reads by random actors
 * (client, worker, stranger), run through the route handlers and compared with a small in-memory model
 * that predicts each HTTP outcome, every job's status, the inboxes and the worker's reputation.
 */

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

type ActorName = "client" | "worker" | "stranger";

// The model's own copy of the rules (docs/jobs.md), independent of job-machine.ts: action -> [role, from, to].
const RULES: Record<JobAction, ["client" | "worker", JobStatus[], JobStatus]> = {
  start: ["worker", ["pending"], "in_progress"],
  deliver: ["worker", ["in_progress", "revision_requested"], "delivered"],
  "request-revision": ["client", ["delivered"], "revision_requested"],
  complete: ["client", ["delivered"], "completed"],
  cancel: ["client", ["pending"], "cancelled"],
};
const ACTIONS = Object.keys(RULES) as JobAction[];
const modelNext = (s: JobStatus, a: JobAction) => (RULES[a][1].includes(s) ? RULES[a][2] : null);
// A service's max_revisions, by default: the client may ask for this many revisions per job, then must complete.
const MAX_REVISIONS = 2;
const modelActions = (s: JobStatus, roles: string[], revisions = 0) =>
  ACTIONS.filter(
    (a) =>
      roles.includes(RULES[a][0]) &&
      RULES[a][1].includes(s) &&
      !(a === "request-revision" && revisions >= MAX_REVISIONS),
  );
const PRICES = [5, 80];

interface Model {
  jobs: { status: JobStatus; price: number; revisions: number }[];
  messages: Record<ActorName, number>;
  unread: Record<ActorName, number>;
  ratings: { rating: number; priceUsd: number; ageDays: number }[];
}

interface Real {
  actors: Record<ActorName, AgentFixture>;
  services: string[];
  jobIds: string[];
}

const otherParty = (a: "client" | "worker"): "client" | "worker" => (a === "client" ? "worker" : "client");

class HireCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly by: "client" | "worker",
    readonly service: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const res = await api.hire(asActor(r.actors[this.by]), {
      service_id: r.services[this.service],
      title: "model job",
    });
    if (this.by === "worker") {
      expect(res.status).toBe(422); // own service
      return;
    }
    expect(res.status).toBe(201);
    expect(res.body.status).toBe("pending");
    r.jobIds.push(res.body.id);
    m.jobs.push({ status: "pending", price: PRICES[this.service]!, revisions: 0 });
    m.messages.worker++;
    m.unread.worker++;
  }
  toString = () => `hire(${this.by}, service ${this.service})`;
}

/** A job index: -1 is the latest job (half the time, so that jobs get somewhere), else any job. */
const pickArb = fc.oneof(fc.constant(-1), fc.nat(50));
const jobIndex = (pick: number, m: Readonly<Model>) => (pick < 0 ? m.jobs.length - 1 : pick % m.jobs.length);

class ActCommand implements fc.AsyncCommand<Model, Real> {
  /** "next": a legal forward action for the job's current status (never cancel), to reach deep states. */
  constructor(
    readonly pick: number,
    readonly requested: JobAction | "next",
    readonly who: "right" | "wrong" | "stranger",
    readonly rating: number,
  ) {}
  action: JobAction = "start";
  check = (m: Readonly<Model>) => m.jobs.length > 0;
  async run(m: Model, r: Real) {
    const i = jobIndex(this.pick, m);
    const job = m.jobs[i]!;
    if (this.requested === "next") {
      const forward = modelActions(job.status, ["client", "worker"], job.revisions).filter((a) => a !== "cancel");
      this.action = forward[this.rating % Math.max(1, forward.length)] ?? "complete";
    } else {
      this.action = this.requested;
    }
    const role = RULES[this.action][0];
    const actor: ActorName = this.who === "right" ? role : this.who === "wrong" ? otherParty(role) : "stranger";
    const body = this.action === "complete" ? { rating: this.rating } : validBody(this.action);
    const res = await api.act(asActor(r.actors[actor]), this.action, r.jobIds[i]!, body);
    const to = modelNext(job.status, this.action);
    if (actor === "stranger") return void expect(res.status).toBe(404);
    if (actor !== role) return void expect(res.status).toBe(403);
    if (!to) {
      expect(res.status).toBe(409);
      expect(res.body.details).toEqual({ status: job.status, action: this.action });
      return;
    }
    if (this.action === "request-revision" && job.revisions >= MAX_REVISIONS) {
      expect(res.status).toBe(409);
      expect(res.body.details).toMatchObject({ reason: "max_revisions_reached", max_revisions: MAX_REVISIONS });
      return;
    }
    expect(res.status).toBe(200);
    expect(res.body.status).toBe(to);
    if (this.action === "request-revision") job.revisions++;
    expect(res.body.actions).toEqual(modelActions(to, [actor], job.revisions));
    job.status = to;
    const recipient = otherParty(role);
    m.messages[recipient]++;
    m.unread[recipient]++;
    if (this.action === "complete") m.ratings.push({ rating: this.rating, priceUsd: job.price, ageDays: 0 });
  }
  toString = () => `${this.requested}(job ${this.pick}, ${this.who}, ${this.rating})`;
}

class MessageCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly by: ActorName,
  ) {}
  check = (m: Readonly<Model>) => m.jobs.length > 0;
  async run(m: Model, r: Real) {
    const i = jobIndex(this.pick, m);
    const res = await api.sendMessage(asActor(r.actors[this.by]), r.jobIds[i]!, { body: "hello" });
    if (this.by === "stranger") return void expect(res.status).toBe(404);
    expect(res.status).toBe(201);
    const to = otherParty(this.by);
    m.messages[to]++;
    m.unread[to]++;
  }
  toString = () => `message(job ${this.pick}, ${this.by})`;
}

class ReadCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly by: ActorName,
    readonly as: ActorName,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const inbox = await api.inbox(asActor(r.actors[this.by]), { unread: "true", limit: 1 });
    expect(inbox.status).toBe(200);
    expect(inbox.body.unread_count).toBe(m.unread[this.by]);
    const first = inbox.body.data[0];
    if (!first) return;
    const res = await api.read(asActor(r.actors[this.as]), first.id);
    if (this.as !== this.by) return void expect(res.status).toBe(404);
    expect([res.status, res.body.read]).toEqual([200, true]);
    m.unread[this.by]--;
  }
  toString = () => `read(inbox of ${this.by}, by ${this.as})`;
}

const actorArb = fc.constantFrom<ActorName>("client", "worker", "stranger");
const actArb = fc
  .tuple(
    pickArb,
    fc.constantFrom<JobAction | "next">("next", "next", "next", "next", "next", ...ACTIONS),
    fc.constantFrom<"right" | "wrong" | "stranger">(
      "right",
      "right",
      "right",
      "right",
      "right",
      "right",
      "wrong",
      "stranger",
    ),
    fc.integer({ min: 1, max: 5 }),
  )
  .map(([p, a, w, rating]) => new ActCommand(p, a, w, rating));
const commands = [
  fc.oneof(
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom<"client" | "worker">("client", "client", "worker"), fc.nat(PRICES.length - 1))
        .map(([by, s]) => new HireCommand(by, s)),
    },
    // Transitions are what this test is about.
    { weight: 8, arbitrary: actArb },
    { weight: 1, arbitrary: fc.tuple(pickArb, actorArb).map(([p, by]) => new MessageCommand(p, by)) },
    { weight: 1, arbitrary: fc.tuple(actorArb, actorArb).map(([by, as]) => new ReadCommand(by, as)) },
  ),
];

async function freshWorld(): Promise<{ model: Model; real: Real }> {
  const worker = await createAgent(db(), { name: "W" });
  const actors = {
    client: await createAgent(db(), { name: "C" }),
    worker,
    stranger: await createAgent(db(), { name: "S" }),
  };
  await fund(actors.client, 10_000_000);
  const services = [];
  for (const price of PRICES) services.push((await createService(db(), worker.agent.id, { priceUsd: price })).id);
  const world = {
    model: {
      jobs: [],
      messages: { client: 0, worker: 0, stranger: 0 },
      unread: { client: 0, worker: 0, stranger: 0 },
      ratings: [],
    },
    real: { actors, services, jobIds: [] },
  };
  // Every run starts with one pending job, so that its first commands already have something to act on.
  await new HireCommand("client", 0).run(world.model, world.real);
  return world;
}

/** After a run: every job's status, every inbox and the worker's reputation agree with the model. */
async function compare({ model, real }: { model: Model; real: Real }) {
  const listed = await api.list(asActor(real.actors.worker), { limit: 100 });
  const byId = new Map(listed.body.data.map((j: any) => [j.id, j.status]));
  expect(real.jobIds.map((id) => byId.get(id))).toEqual(model.jobs.map((j) => j.status));
  for (const name of ["client", "worker", "stranger"] as const) {
    const inbox = await api.inbox(asActor(real.actors[name]), { limit: 100 });
    expect([name, inbox.body.data.length, inbox.body.unread_count]).toEqual([
      name,
      model.messages[name],
      model.unread[name],
    ]);
  }
  const [w] = await db().select().from(agents).where(eq(agents.id, real.actors.worker.agent.id));
  expect(w!.ratingCount).toBe(model.ratings.length);
  expect(w!.jobsCompleted).toBe(model.ratings.length);
  expect(w!.reputation).toBeCloseTo(weightedReputation(model.ratings), 5);
}

describe("jobs, model-based", () => {
  it("agrees with the model on random command sequences", async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 20, size: "max" }), async (cmds) => {
        const world = await freshWorld();
        await fc.asyncModelRun(() => world, cmds);
        await compare(world);
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
