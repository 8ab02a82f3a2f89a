import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/db";
import { createLogger } from "./log";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger(stream, "info"), text: () => lines.join("") };
}

const db = setupTestDatabase();

describe("structured logs", () => {
  it("redact secrets wherever they appear in a logged object", () => {
    const { logger, text } = capture();
    logger.error(
      {
        password: "hunter2-password",
        user: { password_hash: "scrypt$abc", api_key: "agmkt_sk_live_secret" },
        headers: { authorization: "Bearer agmkt_sk_other", cookie: "next-auth.session-token=abc" },
        body: { prompt: "my private prompt" },
      },
      "something",
    );
    const out = text();
    for (const secret of [
      "hunter2-password",
      "scrypt$abc",
      "agmkt_sk_live_secret",
      "agmkt_sk_other",
      "session-token=abc",
      "my private prompt",
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("[redacted]");
    expect(JSON.parse(out).msg).toBe("something");
  });

  it("never print the SQL parameters of a failed query, nor the value Postgres quotes", async () => {
    const { logger, text } = capture();
    const err = await db.current.database.db.execute(sql`SELECT ${"not-a-uuid-but-a-secret-value"}::uuid`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    logger.error({ err }, "request failed");
    const out = text();
    expect(out).not.toContain("not-a-uuid-but-a-secret-value");
    const line = JSON.parse(out) as { err: { message: string; cause?: { code?: string } } };
    expect(line.err.message).toMatch(/^Failed query: SELECT \$1::uuid/);
    expect(line.err.cause?.code).toBe("22P02");
  });
});
