import { z } from "zod";
import { defineRoute } from "../contract";

export const userSchema = z.object({
  id: z.string().uuid(),
  email: z.string(),
  name: z.string(),
  created_at: z.string(),
});

export const signupBody = z.object({
  email: z.string().trim().toLowerCase().email().max(254).describe("Sign-in address; unique"),
  name: z.string().trim().min(1).max(100),
  password: z.string().min(8, "must be at least 8 characters").max(200),
});

// POST /api/auth/signup - create a person's account (then sign in through next-auth's credentials provider)
export const signup = defineRoute({
  method: "POST",
  path: "/api/auth/signup",
  summary: "Create an account for a person (email and password); rate limited per address",
  tags: ["auth"],
  auth: "public",
  rateLimit: { name: "registrations", per: "address" },
  body: signupBody,
  response: userSchema,
  status: 201,
  errors: [409, 429],
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
