import { beforeAll, describe, expect, it } from "vitest";
import { deliverableSchema, jobDetailSchema } from "@/lib/api/contracts/jobs";
import { pageSchema } from "@/lib/api/pagination";
import { messageSchema } from "@/lib/api/contracts/inbox";
import { inTransaction } from "@/lib/db";
import { messages } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import { insertDeliverable } from "./deliverables";
import { DELIVERABLE_PREVIEW_CHARS } from "./job-serialize";
import { api } from "@/test/fixtures/job-routes";
import { asActor, createHiringParties, type AgentFixture } from "@/test/fixtures/market";
import { fund } from "@/test/fixtures/ledger";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

let worker: AgentFixture, client: AgentFixture, stranger: AgentFixture, serviceId: string;

beforeAll(async () => {
  ({ worker, client, stranger, serviceId } = await createHiringParties(db()));
  await fund(client, 1_000_000);
});

/** A hired, started and delivered job (three automatic messages, one deliverable). */
async function deliveredJob(content = "first delivery"): Promise<string> {
  const id = (await api.hire(asActor(client), { service_id: serviceId, title: "Paged" })).body.id as string;
  expect((await api.act(asActor(worker), "start", id)).status).toBe(200);
  expect((await api.act(asActor(worker), "deliver", id, { content })).status).toBe(200);
  return id;
}

/** Every page of a list, following next_cursor; checks each page against the list's schema and bound. */
async function pageThrough(
  get: (cursor: string | undefined) => Promise<{ status: number; body: any }>,
  limit: number,
  item: typeof deliverableSchema | typeof messageSchema,
): Promise<any[]> {
  const all: any[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const res = await get(cursor);
    expect(res.status).toBe(200);
    const page = pageSchema(item).parse(res.body);
    expect(page.data.length).toBeLessThanOrEqual(limit);
    all.push(...page.data);
    if (!page.next_cursor) return all;
    cursor = page.next_cursor;
  }
  throw new Error("the list never ended");
}

describe("a job's deliverables and messages are bounded and paged", () => {
  it("answers a job of 30 deliverables and 120 messages with its latest deliverable and counts", async () => {
    const id = await deliveredJob();
    // 29 more deliveries (revisions 2..30) and 117 more messages, some sharing a timestamp (one transaction each).
    await inTransaction(async (tx) => {
      for (let r = 2; r <= 30; r++) await insertDeliverable(tx, { jobId: id, revision: r, content: `delivery ${r}` });
    });
    for (let batch = 0; batch < 3; batch++) {
      await inTransaction((tx) =>
        tx.insert(messages).values(
          Array.from({ length: 39 }, (_, i) => ({
            jobId: id,
            recipientAgentId: worker.agent.id,
            senderAgentId: client.agent.id,
            kind: "direct" as const,
            subject: "note",
            body: `note ${batch}-${i}`,
          })),
        ),
      );
    }

    const detail = await api.get(asActor(client), id);
    expect(detail.status).toBe(200);
    const job = jobDetailSchema.parse(detail.body);
    expect(job).toMatchObject({ deliverables_count: 30, messages_count: 120 });
    expect(job.latest_deliverable).toMatchObject({ revision: 30, content: "delivery 30", truncated: false });
    expect(detail.body).not.toHaveProperty("deliverables");
    expect(detail.body).not.toHaveProperty("messages");

    const asc = await pageThrough(
      (cursor) => api.deliverables(asActor(client), id, { limit: 7, cursor }),
      7,
      deliverableSchema,
    );
    expect(asc.map((d) => d.revision)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const desc = await pageThrough(
      (cursor) => api.deliverables(asActor(worker), id, { limit: 8, cursor, order: "desc" }),
      8,
      deliverableSchema,
    );
    expect(desc.map((d) => d.id)).toEqual(asc.map((d) => d.id).reverse());
    expect((await api.deliverables(asActor(client), id, { limit: 5 })).body.total).toBe(30);

    const oldestFirst = await pageThrough(
      (cursor) => api.jobMessages(asActor(worker), id, { limit: 25, cursor }),
      25,
      messageSchema,
    );
    expect(oldestFirst).toHaveLength(120);
    expect(new Set(oldestFirst.map((m) => m.id)).size).toBe(120);
    expect(oldestFirst.map((m) => m.created_at)).toEqual(oldestFirst.map((m) => m.created_at).sort());
    const newestFirst = await pageThrough(
      (cursor) => api.jobMessages(asActor(client), id, { limit: 33, cursor, order: "desc" }),
      33,
      messageSchema,
    );
    expect(newestFirst.map((m) => m.id)).toEqual(oldestFirst.map((m) => m.id).reverse());
    expect((await api.jobMessages(asActor(client), id, { limit: 1 })).body.total).toBe(120);
  });

  it("cuts a 50 KB deliverable in lists and gives it whole at its own URL", async () => {
    // 50,000 characters, the first two outside ASCII (one outside the BMP): cut by characters, not bytes.
    const big = "😀é" + "x".repeat(49_998);
    const id = await deliveredJob(big);
    const detail = jobDetailSchema.parse((await api.get(asActor(client), id)).body);
    const listed = (await api.deliverables(asActor(client), id)).body.data[0];
    for (const d of [detail.latest_deliverable!, listed]) {
      expect(d).toMatchObject({ truncated: true, content_length: 50_000 });
      expect(d.content).toBe([...big].slice(0, DELIVERABLE_PREVIEW_CHARS).join(""));
      expect(d.content_url).toBe(`/api/jobs/${id}/deliverables/${d.id}`);
    }
    const whole = await api.deliverable(asActor(worker), id, listed.id);
    expect(whole.status).toBe(200);
    expect(deliverableSchema.parse(whole.body)).toMatchObject({
      content: big,
      truncated: false,
      content_length: 50_000,
    });
    // A page of such deliverables stays small.
    expect(JSON.stringify((await api.deliverables(asActor(client), id)).body).length).toBeLessThan(5_000);
  });

  it("shows a job's deliverables to its parties only, and refuses a forged cursor", async () => {
    const id = await deliveredJob();
    const other = await deliveredJob();
    const mine = (await api.deliverables(asActor(client), id)).body.data[0];
    expect((await api.deliverables(asActor(stranger), id)).status).toBe(404);
    expect((await api.deliverable(asActor(stranger), id, mine.id)).status).toBe(404);
    // A deliverable of another job is not found under this one.
    const theirs = (await api.deliverables(asActor(client), other)).body.data[0];
    expect((await api.deliverable(asActor(client), id, theirs.id)).status).toBe(404);
    for (const cursor of ["garbage", Buffer.from('["x","y"]').toString("base64url")]) {
      expect((await api.deliverables(asActor(client), id, { cursor })).status).toBe(400);
      expect((await api.jobMessages(asActor(client), id, { cursor })).status).toBe(400);
      expect((await api.inbox(asActor(client), { cursor })).status).toBe(400);
    }
  });
});
