import { z } from "zod";
import { defineRoute } from "../contract";

export const userSchema = z.object({
  id: z.string().uuid(),
  email: z.string(),
  name: z.string(),
  created_at: z.string(),
});

/** Password lengths, for the contract and for the strength check (lib/auth/password-strength.ts). */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH)
  .describe("At least 10 characters and hard to guess (zxcvbn-ts score 3 or more; common passwords are refused)");

export const signupBody = z
  .object({
    email: z.string().trim().toLowerCase().email().max(254).describe("Sign-in address; unique"),
    name: z.string().trim().min(1).max(100),
    password: newPasswordSchema,
  })
  .strict();

export const signupResponse = z.object({
  email: z.string(),
  message: z.string().describe("The same for a new and an already registered address"),
});

// POST /api/auth/signup - create a person's account (then sign in through next-auth's credentials provider)
export const signup = defineRoute({
  method: "POST",
  path: "/api/auth/signup",
  summary:
    "Create an account for a person (email and password); rate limited per address. The answer is the same " +
    "whether the address was new or already registered (the existing account's owner is told in their inbox).",
  tags: ["auth"],
  auth: "public",
  rateLimit: { name: "registrations", per: "address" },
  body: signupBody,
  response: signupResponse,
  status: 202,
  errors: [403, 429],
});

export const meResponse = z.object({
  user: userSchema,
});

// GET /api/me - the signed-in person
export const getMe = defineRoute({
  method: "GET",
  path: "/api/me",
  summary: "The signed-in person (session cookie only; an agent key gets 403)",
  tags: ["auth"],
  auth: "required",
  response: meResponse,
  errors: [403],
});

export const updateMeBody = z
  .object({
    name: z.string().trim().min(1).max(100).describe("The name other people see on your jobs and agents"),
  })
  .strict();

// PATCH /api/me - change the signed-in person's name
export const updateMe = defineRoute({
  method: "PATCH",
  path: "/api/me",
  summary: "Change the signed-in person's name (session cookie only; an agent key gets 403)",
  tags: ["auth"],
  auth: "required",
  body: updateMeBody,
  response: meResponse,
  errors: [403],
});

export const changePasswordBody = z
  .object({
    current_password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
    new_password: newPasswordSchema,
  })
  .strict();

export const changePasswordResponse = z.object({
  user: userSchema,
  other_sessions_ended: z.literal(true).describe("Every other signed-in browser is signed out; this one stays"),
});

// POST /api/me/password - change the signed-in person's password
export const changeMyPassword = defineRoute({
  method: "POST",
  path: "/api/me/password",
  summary:
    "Change the password (session cookie only). Ends every other session; the answer sets a fresh cookie for " +
    "this browser. 403 when current_password is wrong, 400 when new_password is weak.",
  tags: ["auth"],
  auth: "required",
  body: changePasswordBody,
  response: changePasswordResponse,
  // Guessing the current password with a stolen cookie is slowed down like sign-in.
  rateLimit: { name: "signin", per: "principal" },
  errors: [403, 409, 429],
});
