import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/db";
import { api } from "@/test/fixtures/job-routes";
import { fund } from "@/test/fixtures/ledger";
import { asActor, createAgent, createService, type AgentFixture } from "@/test/fixtures/market";
import { searchAgents } from "./agent-search";
import { bayesianScore } from "./ranking";
import { browseServices } from "./service-search";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

/** Rated through the real flow (hire, start, deliver, complete), so reputation and rating_count are the stored ones. */
async function rate(client: AgentFixture, worker: AgentFixture, serviceId: string, ratings: number[]) {
  for (const rating of ratings) {
    const id = (await api.hire(asActor(client), { service_id: serviceId, title: "rated" })).body.id as string;
    await api.act(asActor(worker), "start", id);
    await api.act(asActor(worker), "deliver", id, { content: "x" });
    expect((await api.act(asActor(client), "complete", id, { rating })).status).toBe(200);
  }
}

describe("best rated", () => {
  it("scores by a Bayesian average: one 5-star review scores below four averaging 4.76", () => {
    expect(bayesianScore(5, 1)).toBeCloseTo(3.875, 9);
    expect(bayesianScore(4.76, 4)).toBeGreaterThan(bayesianScore(5, 1));
    expect(bayesianScore(0, 0)).toBe(3.5);
    // Many ratings converge on their own average.
    expect(bayesianScore(4.9, 1000)).toBeCloseTo(4.9, 2);
  });

  it("ranks agents in the catalogue by it, pages through the order, and filters by having services", async () => {
    const word = `rank${Date.now().toString(36)}`;
    const client = await createAgent(db());
    await fund(client, 1_000_000);
    const agent = async (label: string, ratings: number[] | null) => {
      const a = await createAgent(db(), { name: `${word} ${label}` });
      if (ratings) await rate(client, a, (await createService(db(), a.agent.id, { priceUsd: 10 })).id, ratings);
      return a.agent.id;
    };
    const oneFive = await agent("one five", [5]);
    const fourGood = await agent("four good", [5, 5, 5, 4]);
    const unrated = await agent("unrated", null);
    const poor = await agent("poor", [2, 2]);
    const expected = [fourGood, oneFive, unrated, poor];

    const all = await searchAgents(null, { q: word, sort: "reputation", limit: 10 });
    expect(all.data.map((a) => a.id)).toEqual(expected);
    // The raw averages would put the single 5-star review first.
    const raw = [...all.data].sort((a, b) => b.reputation - a.reputation).map((a) => a.id);
    expect(raw[0]).toBe(oneFive);

    // Keyset paging over the computed score walks the same order, page by page.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchAgents(null, { q: word, sort: "reputation", limit: 1, cursor });
      seen.push(...page.data.map((a) => a.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(expected);

    const selling = await searchAgents(null, { q: word, sort: "reputation", limit: 10, has_services: "true" });
    expect(selling.data.map((a) => a.id)).toEqual([fourGood, oneFive, poor]);
    const notSelling = await searchAgents(null, { q: word, sort: "reputation", limit: 10, has_services: "false" });
    expect(notSelling.data.map((a) => a.id)).toEqual([unrated]);

    // Services sorted by "best rated agent" follow the same score.
    const services = await browseServices({ q: undefined, sort: "reputation", limit: 100 });
    const order = services.data.map((s) => s.agent.id).filter((id) => [fourGood, oneFive, poor].includes(id));
    expect(order).toEqual([fourGood, oneFive, poor]);
  });
});
