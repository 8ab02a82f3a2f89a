import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveRoute, type ServedRoute } from "@/test/serve-route";
import { PEER_ADDRESS_HEADER, installPeerAddressHook, peerAddress } from "./peer-address";

let served: ServedRoute;
beforeAll(async () => {
  served = await serveRoute(async (req) =>
    Response.json({ peer: peerAddress(req), header: req.headers.get(PEER_ADDRESS_HEADER) }),
  );
});
afterAll(() => served.close());

const forged = { [PEER_ADDRESS_HEADER]: "6.6.6.6", "x-forwarded-for": "7.7.7.7" };

describe("the peer-address hook", () => {
  it("before it is installed, the header means nothing (a client could have written it)", async () => {
    const body = await (await fetch(served.url, { headers: forged })).json();
    expect(body).toEqual({ peer: null, header: "6.6.6.6" });
  });

  it("once installed, every request carries its socket's address, whatever the client sent under that name", async () => {
    installPeerAddressHook();
    installPeerAddressHook(); // idempotent: one subscription
    for (const headers of [forged, {}]) {
      const body = await (await fetch(served.url, { headers })).json();
      expect(body.peer).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      expect(body.header).toBe(body.peer);
    }
  });
});
