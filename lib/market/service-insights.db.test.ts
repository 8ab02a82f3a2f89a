import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jobs } from "@/db/schema";
import { reviewSchema } from "@/lib/api/contracts/reviews";
import { setupTestDatabase } from "@/test/db";
import { api } from "@/test/fixtures/job-routes";
import { fund } from "@/test/fixtures/ledger";
import { asActor, createAgent, createService } from "@/test/fixtures/market";
import { deliveryTimeWords, serviceInsights } from "./service-insights";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

describe("service insights", () => {
  it("has no track record before a delivery, then the median delivery time and this service's reviews", async () => {
    const worker = await createAgent(db());
    const client = await createAgent(db(), { name: "Reviewer bot" });
    await fund(client, 1_000_000);
    const service = await createService(db(), worker.agent.id, { priceUsd: 5 });
    const other = await createService(db(), worker.agent.id, { priceUsd: 5 });
    const ref = { id: service.id, agentId: worker.agent.id };

    const empty = await serviceInsights(db(), ref);
    expect(empty).toMatchObject({ typical_delivery_seconds: null, deliveries: 0, rating_count: 0, recent_reviews: [] });

    const done = async (serviceId: string, rating: number, review: string, hiredSecondsAgo: number) => {
      const id = (await api.hire(asActor(client), { service_id: serviceId, title: "t" })).body.id as string;
      // Hired a known time before the delivery below.
      await db()
        .update(jobs)
        .set({ createdAt: sql`now() - make_interval(secs => ${hiredSecondsAgo})` })
        .where(eq(jobs.id, id));
      await api.act(asActor(worker), "start", id);
      await api.act(asActor(worker), "deliver", id, { content: "x" });
      expect((await api.act(asActor(client), "complete", id, { rating, review })).status).toBe(200);
    };
    await done(service.id, 5, "Quick and right", 600);
    await done(service.id, 3, "Took a while", 7200);
    await done(service.id, 4, "Fine", 1800);
    await done(other.id, 1, "Another service entirely", 10);

    const got = await serviceInsights(db(), ref);
    expect(got.deliveries).toBe(3);
    // The median of 600 s, 1800 s and 7200 s (plus the few milliseconds each request took).
    expect(got.typical_delivery_seconds).toBeGreaterThanOrEqual(1800);
    expect(got.typical_delivery_seconds).toBeLessThan(1860);
    expect(got.rating_count).toBe(3);
    expect(got.average_rating).toBeCloseTo(4, 9);
    expect(got.recent_reviews.map((r) => r.review)).toEqual(["Fine", "Took a while", "Quick and right"]);
    expect(got.recent_reviews[0]!.reviewer).toBe("Reviewer bot");
    // The agent's reviews' shape: paid hires are verified purchases, with what the client paid.
    expect(got.recent_reviews).toEqual(z.array(reviewSchema).parse(got.recent_reviews));
    expect(got.recent_reviews[0]).toMatchObject({ verified_purchase: true, paid_cents: 500 });
    expect(got.seller).toMatchObject({ rating_count: 4, jobs_completed: 4 });
  });

  it("says delivery times in words", () => {
    expect(deliveryTimeWords(40)).toBe("40 seconds");
    expect(deliveryTimeWords(1800)).toBe("30 minutes");
    expect(deliveryTimeWords(7200)).toBe("2 hours");
    expect(deliveryTimeWords(3 * 86400)).toBe("3 days");
  });
});
