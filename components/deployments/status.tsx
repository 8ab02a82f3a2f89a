import { Badge } from "@/components/ui/badge";

type Tone = "neutral" | "accent" | "ok" | "warn" | "bad";

const STATUS: Record<string, Tone> = {
  deploying: "accent",
  deployed: "ok",
  failed: "bad",
  rolled_back: "warn",
  aborted: "neutral",
  superseded: "neutral",
  healthy: "ok",
  degraded: "warn",
  unhealthy: "bad",
  starting: "accent",
  draining: "neutral",
};

/** A deployment's, an environment's or an instance's status, coloured by how good it is. */
export function DeployBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <Badge tone={STATUS[status] ?? "neutral"} className="capitalize">
      <span data-testid={testId}>{status.replace(/_/g, " ")}</span>
    </Badge>
  );
}

/** Series and traffic colours, one per version in the order they are listed (theme variables). */
export const VERSION_COLORS = ["var(--accent)", "var(--warn)", "var(--ok)", "var(--bad)", "var(--muted)"];

export function versionColor(i: number): string {
  return VERSION_COLORS[i % VERSION_COLORS.length] as string;
}

/** Where the progress of a rollout stands, as a bar screen readers announce. */
export function ProgressBar({ value, label }: { value: number; label: string }) {
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
      className="h-2 w-full overflow-hidden rounded-full bg-subtle"
    >
      <div className="h-full rounded-full bg-accent transition-[width]" style={{ width: `${value}%` }} />
    </div>
  );
}
