import type { AwsCredentialIdentity } from "@smithy/types";
import { AgentCoreClient, type AgentCoreClientOptions } from "@/lib/invoke/transports/client";
import { startAgentCoreServer, type AgentCoreServer, type Fault } from "../agentcore-server";

/** Test credentials the local endpoint knows; the secret is distinctive so a test can look for leaks. */
export const TEST_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: "AKIATESTAGENTCORE001",
  secretAccessKey: "tEsT-sEcReT-kEy-9f8e7d6c5b4a-never-logged",
};
export const TEST_REGION = "us-east-1";

const arn = (id: string) => `arn:aws:bedrock-agentcore:${TEST_REGION}:111122223333:runtime/${id}`;
/** Streams its answer in several chunks (one per markdown block) and echoes the prompt's words. */
export const MARKDOWN_ARN = arn("Markdown_Test-aaaa1111");
/** Answers `turn N: ...` in one chunk: shows session continuity. */
export const TEXT_STATS_ARN = arn("TextStats_Test-bbbb2222");
/** Another ARN on the markdown program, for faults that must not disturb the others. */
export const FAULTY_ARN = arn("Faulty_Test-cccc3333");

export async function startTestAgentCore(faults: Fault[] = []): Promise<AgentCoreServer> {
  return startAgentCoreServer({
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    agents: {
      [MARKDOWN_ARN]: { artifact: "markdown" },
      [TEXT_STATS_ARN]: { artifact: "text-stats" },
      [FAULTY_ARN]: { artifact: "markdown" },
    },
    faults,
  });
}

/** A client on the local endpoint with zero backoff (the schedule itself is unit-tested). */
export function testClient(
  server: AgentCoreServer,
  options: AgentCoreClientOptions = {},
  credentials: AwsCredentialIdentity = TEST_CREDENTIALS,
): AgentCoreClient {
  return new AgentCoreClient(TEST_REGION, credentials, {
    endpoint: server.url,
    sleep: async () => {},
    connectTimeoutMs: 2_000,
    idleTimeoutMs: 2_000,
    timeoutMs: 10_000,
    ...options,
  });
}

/** A markdown document whose rendering has `blocks` chunks, each carrying `token`. */
export function markdownPrompt(token: string, blocks = 3): string {
  return Array.from({ length: blocks }, (_, i) => `paragraph ${i} of ${token}`).join("\n\n");
}
