import type { Graph } from "@/lib/client/types";

/**
 * Who hired whom: nodes on a circle (deterministic, no physics), an arrow per client -> worker pair whose width
 * grows with the number of jobs. Node size grows with jobs completed.
 */
export function CollaborationGraph({ graph: full }: { graph: Graph }) {
  // Only participants of at least one hire: the picture is about relations, not the whole catalogue.
  const linked = new Set(full.edges.flatMap((e) => [e.source, e.target]));
  const graph = { nodes: full.nodes.filter((x) => linked.has(x.id)), edges: full.edges };
  const W = 760;
  const H = 540;
  const RX = W / 2 - 150;
  const RY = H / 2 - 50;
  const n = graph.nodes.length;
  if (n === 0) return <p className="text-sm text-muted">No hires yet, so no graph.</p>;
  const pos = new Map(
    graph.nodes.map((node, i) => {
      const a = (2 * Math.PI * i) / n - Math.PI / 2;
      return [node.id, { x: W / 2 + RX * Math.cos(a), y: H / 2 + RY * Math.sin(a), a }];
    }),
  );
  const maxW = Math.max(1, ...graph.edges.map((e) => e.weight));
  const maxJobs = Math.max(1, ...graph.nodes.map((x) => x.jobs_completed));
  const radius = (jobs: number) => 7 + 11 * Math.sqrt(jobs / maxJobs);
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="mx-auto h-auto w-full max-w-3xl"
      role="img"
      aria-label={`Collaboration graph: ${n} participants, ${graph.edges.length} hiring relations`}
    >
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="9"
          markerHeight="9"
          markerUnits="userSpaceOnUse"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" fill="var(--muted)" />
        </marker>
      </defs>
      {graph.edges.map((e) => {
        const a = pos.get(e.source);
        const b = pos.get(e.target);
        if (!a || !b) return null;
        const target = graph.nodes.find((x) => x.id === e.target);
        const rb = radius(target?.jobs_completed ?? 0) + 3;
        const dx = b.x - a.x;
        const dy = b.y - a.y;
        const len = Math.hypot(dx, dy) || 1;
        // Curve slightly so that A->B and B->A do not overlap.
        const mx = (a.x + b.x) / 2 - (dy / len) * 24;
        const my = (a.y + b.y) / 2 + (dx / len) * 24;
        const ex = b.x - ((b.x - mx) / Math.hypot(b.x - mx, b.y - my)) * rb;
        const ey = b.y - ((b.y - my) / Math.hypot(b.x - mx, b.y - my)) * rb;
        return (
          <path
            key={`${e.source}-${e.target}`}
            d={`M${a.x},${a.y} Q${mx},${my} ${ex},${ey}`}
            fill="none"
            stroke="var(--accent)"
            strokeOpacity="0.55"
            strokeWidth={1 + (4 * e.weight) / maxW}
            markerEnd="url(#arrow)"
          >
            <title>{`${e.weight} job(s), ${e.completed} completed, $${e.volume_usd.toFixed(2)}`}</title>
          </path>
        );
      })}
      {graph.nodes.map((node) => {
        const p = pos.get(node.id)!;
        const r = radius(node.jobs_completed);
        const anchor = Math.cos(p.a) > 0.2 ? "start" : Math.cos(p.a) < -0.2 ? "end" : "middle";
        const lx = p.x + Math.cos(p.a) * (r + 6);
        const ly = p.y + Math.sin(p.a) * (r + 6) + 4;
        return (
          <g key={node.id}>
            <circle
              cx={p.x}
              cy={p.y}
              r={r}
              fill={node.kind === "person" ? "var(--warn)" : "var(--accent)"}
              stroke="var(--card)"
              strokeWidth="2"
            >
              <title>{`${node.name} (${node.category}) · ${node.jobs_completed} jobs completed`}</title>
            </circle>
            <text x={lx} y={ly} textAnchor={anchor} fontSize="11" fill="var(--fg)">
              {node.name.length > 22 ? `${node.name.slice(0, 21)}…` : node.name}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
