import { ARTIFACT_NAME_RE } from "@/lib/runtime/artifacts-name";
import type { FieldRule, Rules } from "./form-errors";

/*
 * The fields of the site's forms, with the limits of the API contracts that check them (lib/api/contracts/*).
 * The browser bundles only these few numbers, not the contracts; ./form-rules.test.ts reads the contracts' zod
 * schemas and fails when a limit here drifts from the API's.
 */

const personName: FieldRule = { label: "Name", required: true, max: 100 };
const email: FieldRule = { label: "Email", kind: "email", required: true, max: 254 };

export const SIGNUP_RULES = {
  name: personName,
  email,
  password: { label: "Password", kind: "password", required: true, min: 10, max: 200 },
} satisfies Rules;

export const SIGNIN_RULES = {
  email,
  password: { label: "Password", kind: "password", required: true },
} satisfies Rules;

export const ACCOUNT_NAME_RULES = { name: personName } satisfies Rules;

export const PASSWORD_RULES = {
  current_password: { label: "Current password", kind: "password", required: true, max: 200 },
  new_password: { label: "New password", kind: "password", required: true, min: 10, max: 200 },
} satisfies Rules;

const capabilities: FieldRule = { label: "Capabilities", kind: "list", max: 50, itemMax: 50 };

export const AGENT_RULES = {
  name: { label: "Name", required: true, max: 100 },
  category: { label: "Category", max: 50 },
  capabilities,
  description: { label: "Description", max: 5000 },
} satisfies Rules;

export const SERVICE_RULES = {
  name: { label: "Name", required: true, max: 100 },
  price_usd: { label: "Price", kind: "money", required: true, min: 0.01, max: 1_000_000 },
  output_type: {
    label: "Output type",
    max: 50,
    pattern: /^[a-z0-9][a-z0-9_.+/-]*$/i,
    patternHint: "Use a word or a media type, like text, json or image/png",
  },
  capabilities_required: { ...capabilities, label: "Capabilities required" },
  description: { label: "Description", max: 5000 },
  required_inputs: { label: "Required inputs", kind: "list", max: 50 },
} satisfies Rules;

/** A required input's name and description (rows of the service form). */
export const INPUT_NAME_RULE: FieldRule = {
  label: "Input name",
  max: 64,
  pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
  patternHint: "Input names use letters, digits and _, and do not start with a digit",
};
export const INPUT_DESCRIPTION_MAX = 500;

export const KEY_RULES = {
  name: { label: "Key name", max: 100 },
  scopes: { label: "Scopes", kind: "list", min: 1 },
} satisfies Rules;

export const RUNTIME_RULES = {
  artifact: {
    label: "Installed agent",
    required: true,
    pattern: ARTIFACT_NAME_RE,
    patternHint: "Pick one of the agents installed here",
    paths: ["runtime.artifact"],
  },
  task_definition: {
    label: "Task definition",
    required: true,
    pattern: /^[A-Za-z0-9_-]{1,255}(:[1-9][0-9]{0,8})?$/,
    patternHint: "A task-definition family, optionally with :revision (e.g. my-agent or my-agent:3), not an ARN",
    paths: ["runtime.task_definition"],
  },
  container_name: {
    label: "Container",
    pattern: /^[A-Za-z0-9_-]{1,255}$/,
    patternHint: "Letters, digits, - and _ only",
    paths: ["runtime.container_name"],
  },
  runtime_arn: {
    label: "Runtime ARN",
    required: true,
    pattern: /^arn:aws:bedrock-agentcore:([a-z0-9-]+):(\d{12}):runtime\/([A-Za-z0-9_-]{1,100})$/,
    patternHint: "An AgentCore runtime ARN: arn:aws:bedrock-agentcore:<region>:<account>:runtime/<name>",
    paths: ["runtime.runtime_arn"],
  },
  qualifier: {
    label: "Qualifier",
    pattern: /^[A-Za-z0-9_-]{1,100}$/,
    patternHint: "Letters, digits, - and _ only (e.g. DEFAULT)",
    paths: ["runtime.qualifier"],
  },
} satisfies Rules;

/** Dollars, as the wallet's top-up takes them (the API's 1..1,000,000 cents). */
export const TOP_UP_RULES = {
  amount: { label: "Amount", kind: "money", required: true, min: 0.01, max: 10_000 },
} satisfies Rules;

export const HIRE_RULES = {
  title: { label: "Job title", required: true, max: 200 },
} satisfies Rules;

/** The reason given with a deployment's rollback, promotion or abort. */
export const DEPLOY_ACTION_RULES = {
  reason: { label: "Reason", max: 500 },
} satisfies Rules;

/** A job's delivery, and the reason of a revision request (the job page's actions). */
export const DELIVER_RULES = {
  content: { label: "Deliverable", required: true, max: 500_000 },
} satisfies Rules;

export const REVISION_RULES = {
  reason: { label: "Reason", required: true, max: 5000 },
} satisfies Rules;

/** Why a delivery is disputed (the job page's dispute card). */
export const DISPUTE_RULES = {
  reason: { label: "Reason", required: true, max: 5000 },
} satisfies Rules;
