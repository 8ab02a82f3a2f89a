// The agent contract (docs/agent-contract.md) as a small server scaffold shared by the demo agents.
// Dependency-free apart from `ws` (for the optional /ws endpoint). One program runs on every host:
// a local child process, an ECS Fargate task, or an AgentCore runtime.
import http from "node:http";

/**
 * Starts an agent.
 * @param {object} spec
 * @param {string} spec.name           default AGENT_NAME
 * @param {(req: {prompt: string|undefined, input: object, sessionId: string|undefined, turn: number, memory: object})
 *          => {response: string, data?: object, chunks?: string[]}} spec.handle
 *        Throws an Error with `.status = 400` for bad input. A result with `chunks` is streamed chunk by chunk.
 * @param {boolean} [spec.alwaysStreams] answer /invocations as text/event-stream even without Accept
 */
export async function runAgent(spec) {
  const env = process.env;
  const name = env.AGENT_NAME || spec.name;
  const log = (line) => console.log(`[${name}] ${line}`);
  const logErr = (line) => console.error(`[${name}] ${line}`);

  // After an app restart the parent that held our stdout/stderr pipes is gone; a write would raise EPIPE and
  // kill us. The execution must survive (the new app re-attaches to this pid), so such errors are ignored.
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});

  if (env.AGENT_FAIL_ON_START === "1") {
    logErr("fatal: AGENT_FAIL_ON_START=1, refusing to start");
    process.exitCode = 3;
    setImmediate(() => process.exit(3));
    return;
  }

  const sessions = new Map(); // sessionId -> { turns, memory }
  let busy = 0;
  let invocations = 0;
  const exitAfter = Number(env.EXIT_AFTER_INVOCATIONS || 0);
  const chunkDelayMs = Number(env.STREAM_CHUNK_DELAY_MS ?? 5);

  const crashIfAsked = (payload) => {
    if (JSON.stringify(payload ?? null).includes("__crash__")) {
      logErr("crash requested by input (__crash__), exiting with code 3");
      process.exit(3);
    }
  };

  /** Runs the agent's handler with session bookkeeping. */
  const invoke = (body) => {
    crashIfAsked(body);
    const sessionId = typeof body.sessionId === "string" && body.sessionId ? body.sessionId : undefined;
    let session = { turns: 0, memory: {} };
    if (sessionId) {
      session = sessions.get(sessionId) ?? session;
      sessions.set(sessionId, session);
      if (sessions.size > 1000) sessions.delete(sessions.keys().next().value);
    }
    session.turns += 1;
    const input = body.input && typeof body.input === "object" && !Array.isArray(body.input) ? body.input : {};
    const prompt = typeof body.prompt === "string" ? body.prompt : undefined;
    const result = spec.handle({ prompt, input, sessionId, turn: session.turns, memory: session.memory });
    // `output`: the result of the contract (docs/agent-contract.md, Results): the structured data, else the text.
    return { ...result, output: result.data ?? result.response, sessionId, turn: session.turns };
  };

  const finishedOne = () => {
    invocations += 1;
    if (exitAfter > 0 && invocations >= exitAfter) {
      log(`served ${invocations} invocation(s), EXIT_AFTER_INVOCATIONS reached: exiting 0`);
      setTimeout(() => shutdown(0), 20);
    }
  };

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  /** Writes an answer as SSE frames through `write(frameText)`. */
  const streamAnswer = async (result, write) => {
    const chunks = result.chunks ?? [result.response];
    for (const chunk of chunks) {
      write(`data: ${JSON.stringify({ chunk })}\n\n`);
      if (chunkDelayMs > 0) await sleep(chunkDelayMs);
    }
    write(
      `data: ${JSON.stringify({ done: true, turn: result.turn, sessionId: result.sessionId, data: result.data, output: result.output })}\n\n`,
    );
    write("data: [DONE]\n\n");
  };

  const errorOf = (err) => ({
    error: err.status === 400 ? "ValidationError" : "AgentError",
    message: err.message || "the agent failed",
  });

  const readBody = (req) =>
    new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      req.on("data", (c) => {
        size += c.length;
        if (size > 5_000_000) {
          reject(Object.assign(new Error("payload too large"), { status: 413 }));
          req.destroy();
        } else chunks.push(c);
      });
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      req.on("error", reject);
    });

  const sendJson = (res, status, value) => {
    const text = JSON.stringify(value);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://agent");
    if (req.method === "GET" && url.pathname === "/ping") {
      return sendJson(res, 200, {
        status: busy > 0 ? "HealthyBusy" : "Healthy",
        time_of_last_update: Math.floor(Date.now() / 1000),
      });
    }
    if (req.method === "POST" && url.pathname === "/invocations") {
      busy += 1;
      try {
        const text = await readBody(req);
        let body;
        try {
          body = text ? JSON.parse(text) : {};
        } catch {
          throw Object.assign(new Error("body is not valid JSON"), { status: 400 });
        }
        if (!body || typeof body !== "object" || Array.isArray(body)) {
          throw Object.assign(new Error("body must be a JSON object"), { status: 400 });
        }
        const wantsStream = spec.alwaysStreams || String(req.headers.accept ?? "").includes("text/event-stream");
        const result = invoke(body);
        log(`invocation turn ${result.turn}${result.sessionId ? ` session ${result.sessionId}` : ""}`);
        if (wantsStream) {
          res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
          await streamAnswer(result, (frame) => res.write(frame));
          res.end();
        } else {
          const { chunks: _chunks, ...answer } = result;
          sendJson(res, 200, answer);
        }
        finishedOne();
      } catch (err) {
        logErr(`invocation failed: ${err.message}`);
        if (!res.headersSent) sendJson(res, err.status ?? 500, errorOf(err));
        else res.end();
      } finally {
        busy -= 1;
      }
      return;
    }
    sendJson(res, 404, { error: "NotFound", message: `no route ${req.method} ${url.pathname}` });
  });

  // Optional WebSocket at /ws: one JSON message in, SSE-formatted text frames out, ending with [DONE].
  // `ws` is loaded after the server listens, so that it does not delay the first /ping.
  let wssReady;
  const loadWs = () =>
    (wssReady ??= import("ws").then(
      ({ WebSocketServer }) => new WebSocketServer({ noServer: true }),
      () => null,
    ));
  server.on("upgrade", async (req, socket, head) => {
    const wss = new URL(req.url ?? "/", "http://agent").pathname === "/ws" ? await loadWs() : null;
    if (!wss) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on("message", async (raw) => {
        busy += 1;
        try {
          let body;
          try {
            body = JSON.parse(String(raw));
          } catch {
            throw Object.assign(new Error("message is not valid JSON"), { status: 400 });
          }
          if (!body || typeof body !== "object")
            throw Object.assign(new Error("message must be an object"), { status: 400 });
          const result = invoke(body);
          log(`ws invocation turn ${result.turn}${result.sessionId ? ` session ${result.sessionId}` : ""}`);
          await streamAnswer(result, (frame) => ws.send(frame));
          finishedOne();
        } catch (err) {
          ws.send(`data: ${JSON.stringify(errorOf(err))}\n\n`);
          ws.send("data: [DONE]\n\n");
        } finally {
          busy -= 1;
        }
      });
    });
  });

  let shuttingDown = false;
  function shutdown(code) {
    if (shuttingDown) return;
    shuttingDown = true;
    server.close();
    server.closeAllConnections?.();
    // Exit promptly even if a client keeps a socket open.
    setTimeout(() => process.exit(code), 50).unref();
    setImmediate(() => process.exit(code));
  }
  process.on("SIGTERM", () => {
    log("received SIGTERM, shutting down");
    shutdown(0);
  });
  process.on("SIGINT", () => shutdown(0));

  // INPUT_DATA: processed once at start-up, its result printed to stdout (a batch run, docs/agent-contract.md).
  // An empty object (a run without input, e.g. to serve invocations) is nothing to process.
  let batchOutput = null;
  if (env.INPUT_DATA && env.INPUT_DATA.trim() && env.INPUT_DATA.trim() !== "{}") {
    try {
      const input = JSON.parse(env.INPUT_DATA);
      crashIfAsked(input);
      const obj = input && typeof input === "object" && !Array.isArray(input) ? input : { value: input };
      const prompt = typeof obj.prompt === "string" ? obj.prompt : undefined;
      const result = spec.handle({ prompt, input: obj, sessionId: undefined, turn: 1, memory: {} });
      log(`input result: ${JSON.stringify({ response: result.response, data: result.data })}`);
      batchOutput = { output: result.data ?? result.response };
    } catch (err) {
      logErr(`input could not be processed: ${err.message}`);
      if (env.EXIT_AFTER_INPUT === "1") return void setImmediate(() => process.exit(2));
    }
    if (env.EXIT_AFTER_INPUT === "1") {
      log("EXIT_AFTER_INPUT=1: done, exiting 0");
      // The batch run's result: the last stdout line, one JSON object (docs/agent-contract.md, Results).
      if (batchOutput) process.stdout.write(`${JSON.stringify(batchOutput)}\n`);
      return void setImmediate(() => process.exit(0));
    }
    if (batchOutput) process.stdout.write(`${JSON.stringify(batchOutput)}\n`);
  }

  const port = Number(env.PORT || 8080);
  const host = env.HOST || "0.0.0.0";
  server.listen(port, host, () => {
    log(
      `agent ${env.AGENT_ID ?? "-"} execution ${env.EXECUTION_ID ?? "-"} listening on http://${host}:${server.address().port}`,
    );
    setImmediate(() => void loadWs());
  });
  server.on("error", (err) => {
    logErr(`server error: ${err.message}`);
    process.exit(4);
  });
}

/** An Error that the scaffold answers with 400 ValidationError. */
export function badInput(message) {
  return Object.assign(new Error(message), { status: 400 });
}

/** The text an agent works on: input.text, else the prompt. */
export function textOf({ prompt, input }, field = "text") {
  const value = typeof input[field] === "string" ? input[field] : prompt;
  if (typeof value !== "string" || !value.trim()) throw badInput(`send "${field}" in input, or a prompt`);
  return value;
}
