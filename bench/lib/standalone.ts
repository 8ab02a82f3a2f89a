import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchContext, BenchModule, Figure } from "./types";

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

/** A child's figures, on one line of stdout for the parent (see figuresFromChild). */
export function printFiguresForParent(figures: Figure[]): void {
  console.log(`FIGURES ${JSON.stringify(figures)}`);
}

/**
 * Runs a bench module in a child process (`--conditions=react-server`, the app's modules load) with `args` and
 * `env` on top of this process's environment (an `undefined` value removes a variable), and returns the figures
 * it printed with printFiguresForParent.
 */
export function figuresFromChild(
  moduleUrl: string,
  args: string[],
  env: Record<string, string | undefined>,
  log?: (line: string) => void,
): Promise<Figure[]> {
  const childEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=react-server", fileURLToPath(moduleUrl), ...args],
      { env: childEnv, stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      // The child's progress, as it comes (the figures are its last line).
      if (log) for (const line of c.toString().split("\n")) if (line && !line.startsWith("FIGURES ")) log(line);
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("FIGURES "));
      if (code === 0 && line) resolve(JSON.parse(line.slice(8)) as Figure[]);
      else reject(new Error(`${fileURLToPath(moduleUrl)} ${args.join(" ")} exited with ${code}`));
    });
  });
}

/**
 * A bench module measured in a child process of its own file (on the run's database, with `env` on top), and that
 * file's entry point: started directly (`tsx bench/<module>.ts`) it runs `run` and exits by the verdicts; started
 * as that child (`--child`) it prints the figures for the parent.
 */
export function childProcessBench(
  moduleUrl: string,
  def: {
    name: string;
    description: string;
    env?: Record<string, string>;
    run(log: (line: string) => void): Promise<Figure[]>;
  },
): BenchModule {
  // After the module has finished loading (its later declarations are in place).
  if (isMain(moduleUrl)) {
    setImmediate(() =>
      runStandalone(
      process.argv.includes("--child")
        ? async () => {
            printFiguresForParent(await def.run((l) => console.log(l)));
            return [];
          }
        : () => def.run((l) => console.log(`[${def.name}] ${l}`)),
      ),
    );
  }
  return {
    name: def.name,
    description: def.description,
    run: (ctx: BenchContext) =>
      figuresFromChild(moduleUrl, ["--child"], { DATABASE_URL: ctx.db.url, LOG_LEVEL: "error", ...def.env }, ctx.log),
  };
}
