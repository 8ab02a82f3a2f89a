/*
 * The colours of each badge tone (./badge.tsx), in a module of their own (no JSX) so the journeys can check every
 * tone's contrast in the browser (e2e/pages.spec.ts).
 */
export type Tone = "neutral" | "accent" | "ok" | "warn" | "bad" | "info" | "attention" | "alert";

/*
 * Light mode darkens the text a step below the theme colour: on a 15% tint of the same hue, --ok/--warn/--bad
 * themselves reach only about 4:1; these reach 4.5:1 or more (checked for every tone by e2e/pages.spec.ts). Dark
 * mode keeps the bright theme colours, which already pass on the dark card.
 */
const TONES: Record<Tone, string> = {
  neutral: "bg-subtle text-muted",
  accent: "bg-accent/15 text-indigo-700 dark:text-accent",
  ok: "bg-ok/15 text-green-800 dark:text-ok",
  warn: "bg-warn/15 text-amber-800 dark:text-warn",
  bad: "bg-bad/15 text-red-800 dark:text-bad",
  info: "bg-sky-500/15 text-sky-800 dark:text-sky-300",
  attention: "bg-fuchsia-500/15 text-fuchsia-800 dark:text-fuchsia-300",
  alert: "bg-orange-500/15 text-orange-800 dark:text-orange-300",
};

/** Every tone (for checks that must cover them all). */
export const TONE_NAMES = Object.keys(TONES) as Tone[];

/** The classes of a badge of `tone`. */
export function toneClass(tone: Tone): string {
  return `inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${TONES[tone]}`;
}
