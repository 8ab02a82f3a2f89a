import { setupTestDatabase } from "@/test/db";
import { deploymentSuite, rowsStopped } from "@/test/fixtures/deployment-suite";
import { createVersion, setupTestController, testController } from "@/test/fixtures/deployments";

/*
 * The shared deployment suite (test/fixtures/deployment-suite.ts) on the local host: bubblewrap sandboxes of the
 * test agents. The Fargate and AgentCore hosts run the same cases against the AWS doubles (hosts/*\/*.db.test.ts).
 */

setupTestDatabase();
const controller = setupTestController();

deploymentSuite({
  host: "local",
  version: (agentId, artifact) => createVersion(agentId, artifact),
  // Retired locally: every sandbox of the version stopped.
  retired: (agentId, version) => rowsStopped(agentId, version.id),
  restart: async () => {
    await controller.current.stop();
    controller.current = await testController().start();
  },
});
