/**
 * The program that runs as the sandbox's first process (written into the sandbox's platform folder, read-only to
 * the agent). It starts the agent's entrypoint on a loopback port of the sandbox's own network namespace and relays
 * connections from a Unix socket in a folder bound from the host to that port: the host reaches the agent through
 * the socket only, and the agent reaches nothing outside (there is no network interface but loopback).
 * When the agent exits, so does this program, with the agent's status, and the sandbox ends.
 */
export const INIT_SCRIPT = String.raw`
import net from "node:net";
import { spawn } from "node:child_process";

const [runtime, entrypoint, port, socketPath, heapMb] = process.argv.slice(2);
const env = { ...process.env };
const program = runtime === "python" ? "/usr/bin/python3" : process.execPath;
const args = runtime === "python" ? [entrypoint] : [...(heapMb ? ["--max-old-space-size=" + heapMb] : []), entrypoint];
const child = spawn(program, args, { stdio: "inherit", env });
child.on("exit", (code, signal) => {
  if (signal) console.error("[sandbox] agent ended by " + signal);
  process.exit(code ?? 1);
});
child.on("error", (e) => {
  console.error("[sandbox] could not start the agent: " + e.message);
  process.exit(127);
});

const relay = net.createServer((client) => {
  const upstream = net.connect(Number(port), "127.0.0.1");
  const close = () => { client.destroy(); upstream.destroy(); };
  client.on("error", close);
  upstream.on("error", close);
  client.pipe(upstream);
  upstream.pipe(client);
});
relay.listen(socketPath);
for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => child.kill(sig));
`;
