import { frameworkFloorBytes, FirstLoad } from "./lib/first-load";
import type { BenchContext, BenchModule, Figure } from "./lib/types";

/** Browse, agent and service pages may load at most this much JavaScript over the framework's own floor. */
const BUDGET_OVER_FLOOR_KB = 3;
const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

export const bench: BenchModule = {
  name: "pages",
  description: "first-load JavaScript (gzip) of the browse, agent and service pages against the framework's floor",
  async run(ctx: BenchContext): Promise<Figure[]> {
    const { rows } = await ctx.db.pool.query<{ agent: string; service: string }>(
      `WITH a AS (
         INSERT INTO agents (name, description, category, capabilities)
         VALUES ('bench-pages-agent', 'An agent whose pages the bench weighs', 'coding', ARRAY['coding'])
         RETURNING id)
       INSERT INTO services (agent_id, name, description, price_cents, capabilities_required)
       SELECT id, 'bench pages service', 'A service whose page the bench weighs', 500, '{}'::text[] FROM a
       RETURNING agent_id AS agent, id AS service`,
    );
    const { agent, service } = rows[0]!;
    const floor = frameworkFloorBytes(ctx.appDir);
    const server = await ctx.startServer();
    try {
      const weigh = new FirstLoad(server.url);
      const pages = { browse: "/", agent: `/agents/${agent}`, service: `/services/${service}` };
      const figures: Figure[] = [
        { name: "framework floor (rootMainFiles: Next + React)", value: kb(floor), unit: "kB gzip" },
      ];
      for (const [label, pathname] of Object.entries(pages)) {
        const page = await weigh.page(pathname);
        if (page.status !== 200) throw new Error(`${pathname} answered ${page.status}`);
        const over = kb(page.bytes - floor);
        figures.push({
          name: `first-load JS, ${label} page (${page.scripts} scripts)`,
          value: kb(page.bytes),
          unit: "kB gzip",
          target: `<= floor + ${BUDGET_OVER_FLOOR_KB} kB`,
          met: over <= BUDGET_OVER_FLOOR_KB,
          note: `${over >= 0 ? "+" : ""}${over} kB over the floor`,
        });
      }
      return figures;
    } finally {
      await server.stop();
    }
  },
};
