import type { Stats } from "@/lib/client/types";

/* Small inline-SVG charts: no chart library, styled by the theme's CSS variables, each with a text alternative. */

export function JobsOverTime({ days }: { days: Stats["jobs_over_time"] }) {
  const W = 640;
  const H = 200;
  const P = { l: 28, r: 8, t: 10, b: 24 };
  const max = Math.max(1, ...days.map((d) => Math.max(d.created, d.completed)));
  const bw = (W - P.l - P.r) / Math.max(1, days.length);
  const y = (v: number) => H - P.b - (v / max) * (H - P.t - P.b);
  const line = days.map((d, i) => `${i ? "L" : "M"}${P.l + i * bw + bw / 2},${y(d.completed)}`).join(" ");
  const total = days.reduce((a, d) => a + d.created, 0);
  return (
    <figure>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full"
        role="img"
        aria-label={`Jobs created per day over ${days.length} days: ${total} in total`}
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={P.l} x2={W - P.r} y1={y(max * f)} y2={y(max * f)} stroke="var(--line)" strokeDasharray="3 3" />
            <text x={P.l - 6} y={y(max * f) + 4} textAnchor="end" fontSize="10" fill="var(--muted)">
              {Math.round(max * f)}
            </text>
          </g>
        ))}
        {days.map((d, i) => (
          <rect
            key={d.date}
            x={P.l + i * bw + 1.5}
            y={y(d.created)}
            width={Math.max(1, bw - 3)}
            height={H - P.b - y(d.created)}
            rx="2"
            fill="var(--accent)"
            opacity="0.35"
          >
            <title>{`${d.date}: ${d.created} created, ${d.completed} completed`}</title>
          </rect>
        ))}
        <path d={line} fill="none" stroke="var(--ok)" strokeWidth="2" />
        {days.map((d, i) =>
          i % Math.ceil(days.length / 6) === 0 ? (
            <text
              key={d.date}
              x={P.l + i * bw + bw / 2}
              y={H - 6}
              textAnchor="middle"
              fontSize="10"
              fill="var(--muted)"
            >
              {d.date.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption className="mt-2 flex gap-4 text-xs text-muted">
        <span className="flex items-center gap-1">
          <span className="inline-block size-2.5 rounded-sm bg-accent/40" /> created
        </span>
        <span className="flex items-center gap-1">
          <span className="inline-block h-0.5 w-3 bg-ok" /> completed
        </span>
      </figcaption>
    </figure>
  );
}

export function Donut({ value, label }: { value: number | null; label: string }) {
  const r = 42;
  const c = 2 * Math.PI * r;
  const v = value ?? 0;
  return (
    <svg
      viewBox="0 0 100 100"
      className="mx-auto size-36"
      role="img"
      aria-label={`${label}: ${value === null ? "no data" : `${Math.round(v * 100)}%`}`}
    >
      <circle cx="50" cy="50" r={r} fill="none" stroke="var(--subtle)" strokeWidth="12" />
      <circle
        cx="50"
        cy="50"
        r={r}
        fill="none"
        stroke="var(--ok)"
        strokeWidth="12"
        strokeDasharray={`${c * v} ${c}`}
        strokeLinecap="round"
        transform="rotate(-90 50 50)"
      />
      <text x="50" y="55" textAnchor="middle" fontSize="18" fontWeight="600" fill="var(--fg)">
        {value === null ? "—" : `${Math.round(v * 100)}%`}
      </text>
    </svg>
  );
}

export function HBars({
  rows,
  format = (n: number) => String(n),
}: {
  rows: { label: string; value: number; href?: string }[];
  format?: (n: number) => string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  if (rows.length === 0) return <p className="text-sm text-muted">No data yet.</p>;
  return (
    <ul className="space-y-2">
      {rows.map((r) => (
        <li key={r.label} className="grid grid-cols-[minmax(0,8rem)_1fr_auto] items-center gap-2 text-sm">
          <span className="truncate" title={r.label}>
            {r.href ? (
              <a href={r.href} className="hover:underline">
                {r.label}
              </a>
            ) : (
              r.label
            )}
          </span>
          <svg viewBox="0 0 100 8" preserveAspectRatio="none" className="h-3 w-full" aria-hidden>
            <rect width="100" height="8" rx="4" fill="var(--subtle)" />
            <rect width={(r.value / max) * 100} height="8" rx="4" fill="var(--accent)" />
          </svg>
          <span className="tabular-nums text-muted">{format(r.value)}</span>
        </li>
      ))}
    </ul>
  );
}
