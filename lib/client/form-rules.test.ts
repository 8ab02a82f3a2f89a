import { describe, expect, it } from "vitest";
import { createKeyBody } from "@/lib/api/contracts/agent-keys";
import { deploymentActionBody } from "@/lib/api/contracts/deployment-actions";
import { registerAgentBody } from "@/lib/api/contracts/agents";
import { changePasswordBody, signupBody, updateMeBody } from "@/lib/api/contracts/auth";
import { openDisputeBody } from "@/lib/api/contracts/disputes";
import { deliverBody, hireBody, revisionBody } from "@/lib/api/contracts/jobs";
import { createServiceBody, requiredInputSchema } from "@/lib/api/contracts/services";
import { topUpBody } from "@/lib/api/contracts/wallet";
import { agentcoreRuntimeSchema, fargateRuntimeSchema, localRuntimeSchema } from "@/lib/runtime/config";
import { element, expectLimits, limits, shape } from "@/test/zod-limits";
import * as R from "./form-rules";

/* The forms' limits (./form-rules.ts) are the contracts' own: read from the zod schemas, so that they cannot drift. */

describe("the forms' limits are the contracts'", () => {
  it("people: sign-up, name and password", () => {
    const signup = shape(signupBody);
    expectLimits(R.SIGNUP_RULES.name, signup.name!);
    expectLimits(R.SIGNUP_RULES.email, signup.email!);
    expectLimits(R.SIGNUP_RULES.password, signup.password!);
    expectLimits(R.ACCOUNT_NAME_RULES.name, shape(updateMeBody).name!);
    expectLimits(R.PASSWORD_RULES.current_password, shape(changePasswordBody).current_password!);
    expectLimits(R.PASSWORD_RULES.new_password, shape(changePasswordBody).new_password!);
  });

  it("agents, services, keys, hires and top-ups", () => {
    const agent = shape(registerAgentBody);
    expectLimits(R.AGENT_RULES.name, agent.name!);
    expectLimits(R.AGENT_RULES.category, agent.category!);
    expectLimits(R.AGENT_RULES.description, agent.description!);
    expectLimits(R.AGENT_RULES.capabilities, agent.capabilities!);
    expect(R.AGENT_RULES.capabilities.itemMax).toBe(limits(element(agent.capabilities!)).max);

    const service = shape(createServiceBody);
    for (const name of ["name", "description", "price_usd", "output_type", "required_inputs"] as const)
      expectLimits(R.SERVICE_RULES[name], service[name]!);
    expectLimits(R.INPUT_NAME_RULE, shape(requiredInputSchema).name!);
    expect(R.INPUT_DESCRIPTION_MAX).toBe(limits(shape(requiredInputSchema).description!).max);

    expectLimits(R.KEY_RULES.name, shape(createKeyBody).name!);
    expectLimits(R.HIRE_RULES.title, shape(hireBody).title!);
    // The top-up form takes dollars; the API takes cents.
    expectLimits(R.TOP_UP_RULES.amount, shape(topUpBody).amount!, 0.01);
    expectLimits(R.DEPLOY_ACTION_RULES.reason, shape(deploymentActionBody).reason!);
  });

  it("a job's delivery, revision request and dispute", () => {
    expectLimits(R.DELIVER_RULES.content, shape(deliverBody).content!);
    expectLimits(R.REVISION_RULES.reason, shape(revisionBody).reason!);
    expectLimits(R.DISPUTE_RULES.reason, shape(openDisputeBody).reason!);
  });

  it("runtimes", () => {
    expectLimits(R.RUNTIME_RULES.artifact, shape(localRuntimeSchema).artifact!);
    expectLimits(R.RUNTIME_RULES.task_definition, shape(fargateRuntimeSchema).task_definition!);
    expectLimits(R.RUNTIME_RULES.container_name, shape(fargateRuntimeSchema).container_name!);
    expectLimits(R.RUNTIME_RULES.runtime_arn, shape(agentcoreRuntimeSchema).runtime_arn!);
    expectLimits(R.RUNTIME_RULES.qualifier, shape(agentcoreRuntimeSchema).qualifier!);
  });
});
