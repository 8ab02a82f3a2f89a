import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { GET } from "./route";

const db = setupTestDatabase();

describe("GET /api/health", () => {
  it("reports the database driver and ok", async () => {
    const res = await call(GET, "/api/health");
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ok");
    expect(res.body.database.driver).toBe(db.current.database.driver);
    expect(res.body.database.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it("reports degraded with 503 when the database is closed", async () => {
    const { openTestDatabase } = await import("@/test/db");
    const { setDatabase } = await import("@/db/client");
    const other = await openTestDatabase();
    await other.database.close();
    setDatabase(other.database);
    try {
      const res = await call(GET, "/api/health");
      expect(res.status).toBe(503);
      expect(res.body.database.status).toBe("down");
    } finally {
      setDatabase(db.current.database);
    }
  });
});
