/* A small inline-SVG line chart over time (no chart library, as components/stats/charts.tsx), with a text alternative. */

export interface ChartSeries {
  name: string;
  color: string;
  points: { t: number; v: number }[];
  dashed?: boolean;
}

const W = 560;
const H = 180;
const P = { l: 48, r: 10, t: 10, b: 22 };

function clock(t: number, spanMs: number): string {
  const d = new Date(t);
  return spanMs > 2 * 86_400_000 ? d.toISOString().slice(5, 10) : d.toISOString().slice(11, 16);
}

export function LineChart({
  title,
  series,
  start,
  end,
  format,
  empty = "No calls in this window.",
}: {
  title: string;
  series: ChartSeries[];
  start: number;
  end: number;
  format: (v: number) => string;
  empty?: string;
}) {
  const all = series.flatMap((s) => s.points);
  const max = Math.max(...all.map((p) => p.v), 0) || 1;
  const span = Math.max(1, end - start);
  const x = (t: number) => P.l + ((t - start) / span) * (W - P.l - P.r);
  const y = (v: number) => H - P.b - (v / max) * (H - P.t - P.b);
  const summary = series
    .map((s) => {
      const last = s.points.at(-1);
      const peak = Math.max(...s.points.map((p) => p.v));
      return last ? `${s.name}: latest ${format(last.v)}, highest ${format(peak)}` : `${s.name}: no data`;
    })
    .join("; ");
  return (
    <figure>
      <figcaption className="mb-1 text-sm font-medium">{title}</figcaption>
      {all.length === 0 ? (
        <p className="py-8 text-center text-sm text-muted">{empty}</p>
      ) : (
        <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`${title}. ${summary}`}>
          {[0, 0.5, 1].map((f) => (
            <g key={f}>
              <line x1={P.l} x2={W - P.r} y1={y(max * f)} y2={y(max * f)} stroke="var(--line)" strokeDasharray="3 3" />
              <text x={P.l - 6} y={y(max * f) + 4} textAnchor="end" fontSize="11" fill="var(--muted)">
                {format(max * f)}
              </text>
            </g>
          ))}
          {[0, 0.25, 0.5, 0.75, 1].map((f) => (
            <text
              key={f}
              x={x(start + span * f)}
              y={H - 6}
              textAnchor={f === 0 ? "start" : f === 1 ? "end" : "middle"}
              fontSize="11"
              fill="var(--muted)"
            >
              {clock(start + span * f, span)}
            </text>
          ))}
          {series.map((s) =>
            s.points.length === 1 ? (
              <circle key={s.name} cx={x(s.points[0]!.t)} cy={y(s.points[0]!.v)} r="3" fill={s.color} />
            ) : (
              <path
                key={s.name}
                d={s.points.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(" ")}
                fill="none"
                stroke={s.color}
                strokeWidth="2"
                strokeDasharray={s.dashed ? "5 3" : undefined}
              />
            ),
          )}
        </svg>
      )}
      <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted" aria-hidden>
        {series.map((s) => (
          <li key={s.name} className="flex items-center gap-1">
            <span className="inline-block h-0.5 w-3" style={{ background: s.color }} /> {s.name}
          </li>
        ))}
      </ul>
    </figure>
  );
}
