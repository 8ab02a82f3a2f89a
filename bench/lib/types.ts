import type { AppServer } from "./app";
import type { BenchDatabase } from "./database";

/** One measured figure, with its target when there is one. */
export interface Figure {
  name: string;
  value: number | null;
  unit: string;
  /** e.g. ">= 0.7"; absent for context figures. */
  target?: string;
  met?: boolean;
  note?: string;
}

export interface BenchContext {
  appDir: string;
  /** A fresh migrated database shared by the modules of this run (each seeds what it needs). */
  db: BenchDatabase;
  /** Starts `next start` on this run's database; the module stops it. */
  startServer(env?: Record<string, string>): Promise<AppServer>;
  log(line: string): void;
  /** Seconds left before the run's watchdog; modules shorten their phases to fit. */
  secondsLeft(): number;
}

/** A bench module (bench/market.ts, bench/events.ts, bench/runtime.ts, bench/invoke.ts) exports `bench`. */
export interface BenchModule {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}
