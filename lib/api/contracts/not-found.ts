import { z } from "zod";
import { defineRoute, type HttpMethod } from "../contract";

// Any /api path that no route serves: the one error format (a JSON 404) instead of the HTML page for people.
// Tagged internal: the route guard sees these, the public document leaves them out.
const unknownRoute = (method: HttpMethod) =>
  defineRoute({
    method,
    path: "/api/{path}",
    summary: "Any path the API does not serve: 404 in the error format",
    tags: ["internal"],
    auth: "public",
    params: z.object({ path: z.array(z.string()) }),
  });

export const unknownGet = unknownRoute("GET");
export const unknownPost = unknownRoute("POST");
export const unknownPut = unknownRoute("PUT");
export const unknownPatch = unknownRoute("PATCH");
export const unknownDelete = unknownRoute("DELETE");
