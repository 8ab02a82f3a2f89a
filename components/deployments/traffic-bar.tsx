import { versionColor } from "./status";

/** How an environment's calls are split between versions: one bar, a segment per version, and a legend. */
export function TrafficBar({ traffic }: { traffic: { version: string; weight: number }[] }) {
  const shares = traffic.filter((t) => t.weight > 0);
  if (shares.length === 0) return <p className="text-sm text-muted">No traffic is routed yet.</p>;
  const label = `Traffic split: ${shares.map((t) => `${t.version} ${t.weight}%`).join(", ")}`;
  return (
    <div data-testid="traffic">
      <div role="img" aria-label={label} className="flex h-3 w-full overflow-hidden rounded-full bg-subtle">
        {shares.map((t, i) => (
          <div
            key={t.version}
            title={`${t.version}: ${t.weight}%`}
            style={{ width: `${t.weight}%`, background: versionColor(i) }}
          />
        ))}
      </div>
      <ul className="mt-1.5 flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted" aria-hidden>
        {shares.map((t, i) => (
          <li key={t.version} className="flex items-center gap-1">
            <span className="inline-block size-2.5 rounded-sm" style={{ background: versionColor(i) }} />
            <span className="font-mono text-fg">{t.version}</span> {t.weight}%
          </li>
        ))}
      </ul>
    </div>
  );
}
