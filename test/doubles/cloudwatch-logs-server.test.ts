import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CREDENTIALS } from "@/test/fixtures/agentcore";
import { startCloudWatchLogsServer, type CloudWatchLogsServer } from "./cloudwatch-logs-server";

/* The CloudWatch Logs double through the real SDK client: the calls the platform makes, paging, errors, faults. */

let logs: CloudWatchLogsServer;
let client: CloudWatchLogsClient;
const GROUP = "/agent-market/agents";

beforeAll(async () => {
  logs = await startCloudWatchLogsServer({ credentials: TEST_CREDENTIALS, groups: [GROUP] });
  client = new CloudWatchLogsClient({
    region: "us-east-1",
    endpoint: logs.url,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await logs.close();
});

describe("CloudWatch Logs double", () => {
  it("GetLogEvents pages a stream forward; at the end the forward token comes back unchanged", async () => {
    await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: "a/agent/1" }));
    await client.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: "a/agent/1",
        logEvents: ["one", "two", "three", "four", "five"].map((message, i) => ({ timestamp: 1_000 + i, message })),
      }),
    );
    const read: string[] = [];
    let token: string | undefined;
    let pages = 0;
    for (;;) {
      const r = await client.send(
        new GetLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: "a/agent/1",
          startFromHead: true,
          limit: 2,
          nextToken: token,
        }),
      );
      pages++;
      read.push(...(r.events ?? []).map((e) => e.message!));
      if (r.nextForwardToken === token) break;
      token = r.nextForwardToken;
    }
    expect(read).toEqual(["one", "two", "three", "four", "five"]);
    expect(pages).toBe(4); // 2 + 2 + 1, then an empty page with the same token
    logs.store.append(GROUP, "a/agent/1", "six");
    const more = await client.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: "a/agent/1",
        startFromHead: true,
        nextToken: token,
      }),
    );
    expect(more.events?.map((e) => e.message)).toEqual(["six"]);
    const latest = await client.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: "a/agent/1", limit: 2 }),
    );
    expect(latest.events?.map((e) => e.message)).toEqual(["five", "six"]);
  });

  it("FilterLogEvents merges a prefix's streams in time order, paged by nextToken until it is absent", async () => {
    logs.store.maxPage = 2;
    try {
      logs.store.append(GROUP, "svc/agent/x", "x1", 10);
      logs.store.append(GROUP, "svc/agent/y", "y1", 11);
      logs.store.append(GROUP, "svc/agent/x", "x2", 12);
      logs.store.append(GROUP, "svc/agent/y", "y2 needle", 13);
      logs.store.append(GROUP, "other/agent/z", "z1", 11);
      const seen: string[] = [];
      let nextToken: string | undefined;
      do {
        const r = await client.send(
          new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNamePrefix: "svc/", nextToken }),
        );
        seen.push(...(r.events ?? []).map((e) => `${e.logStreamName}:${e.message}`));
        nextToken = r.nextToken;
      } while (nextToken);
      expect(seen).toEqual(["svc/agent/x:x1", "svc/agent/y:y1", "svc/agent/x:x2", "svc/agent/y:y2 needle"]);
      const found = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '"needle"' }));
      expect(found.events?.map((e) => e.message)).toEqual(["y2 needle"]);
    } finally {
      logs.store.maxPage = 10_000;
    }
  });

  it("answers the service's errors: a missing stream or group, a bad token, throttling, an outage", async () => {
    const missing = client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: "nope" }));
    await expect(missing).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "The specified log stream does not exist.",
    });
    const oneMissing = client.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: ["a/agent/1", "nope"] }),
    );
    await expect(oneMissing).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    const noGroup = client.send(new FilterLogEventsCommand({ logGroupName: "/none" }));
    await expect(noGroup).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    const badToken = client.send(new FilterLogEventsCommand({ logGroupName: GROUP, nextToken: "forged" }));
    await expect(badToken).rejects.toMatchObject({ name: "InvalidParameterException" });
    logs.setFault({ throttle: 1 });
    await expect(client.send(new FilterLogEventsCommand({ logGroupName: GROUP }))).rejects.toMatchObject({
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 400 },
    });
    logs.setFault({ unavailable: 1 });
    await expect(client.send(new FilterLogEventsCommand({ logGroupName: GROUP }))).rejects.toMatchObject({
      name: "ServiceUnavailableException",
      $metadata: { httpStatusCode: 503 },
    });
    expect((await client.send(new FilterLogEventsCommand({ logGroupName: GROUP }))).events?.length).toBeGreaterThan(0);
  });

  it("verifies SigV4: a wrong secret or an unknown key is refused with 403", async () => {
    const forged = new CloudWatchLogsClient({
      region: "us-east-1",
      endpoint: logs.url,
      credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: "not-the-secret" },
      maxAttempts: 1,
    });
    const stranger = new CloudWatchLogsClient({
      region: "us-east-1",
      endpoint: logs.url,
      credentials: { accessKeyId: "AKIASTRANGER00000000", secretAccessKey: "x" },
      maxAttempts: 1,
    });
    const before = logs.store.messages(GROUP, "a/agent/1").length;
    await expect(
      forged.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: "a/agent/1",
          logEvents: [{ timestamp: 1, message: "x" }],
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidSignatureException", $metadata: { httpStatusCode: 403 } });
    await expect(stranger.send(new FilterLogEventsCommand({ logGroupName: GROUP }))).rejects.toMatchObject({
      name: "UnrecognizedClientException",
    });
    expect(logs.store.messages(GROUP, "a/agent/1")).toHaveLength(before);
    forged.destroy();
    stranger.destroy();
  });
});
