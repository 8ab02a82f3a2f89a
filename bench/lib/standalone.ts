import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";
import type { Figure } from "./types";

/** Whether the module at `moduleUrl` is the program node was started with (`tsx bench/<module>.ts`). */
export function isMain(moduleUrl: string): boolean {
  return !!process.argv[1] && moduleUrl === pathToFileURL(process.argv[1]).href;
}

/** Prints figures one a line, each with its verdict where it has a target. */
export function printFigures(figures: Figure[]): void {
  for (const f of figures) {
    const verdict = f.target ? ` (target ${f.target}: ${f.met ? "MET" : "NOT MET"})` : "";
    console.log(`${f.name}: ${f.value} ${f.unit}${verdict}${f.note ? ` - ${f.note}` : ""}`);
  }
}

/**
 * Runs a bench module standalone: re-executes this process with `--conditions=react-server` first (so that the
 * app's `server-only` modules load), then `main`; exits 0 when every figure with a target met it.
 */
export function runStandalone(main: () => Promise<Figure[]>): void {
  if (!process.execArgv.some((a) => a.includes("react-server"))) {
    // `server-only` throws outside a React Server build; its react-server export is the empty module.
    const child = spawn(
      process.execPath,
      [...process.execArgv, "--conditions=react-server", ...process.argv.slice(1)],
      {
        stdio: "inherit",
      },
    );
    child.on("exit", (code) => process.exit(code ?? 1));
    return;
  }
  main().then(
    (figures) => process.exit(figures.every((f) => !f.target || f.met) ? 0 : 1),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
