import type { AgentCard, SecurityScheme } from "@a2a-js/sdk";

/**
 * A v1.0 card in the v0.3 shape, for clients that still read `/.well-known/agent.json`: one `url` (the v0.3
 * interface), `preferredTransport`, `protocolVersion`, JSON-Schema-style security schemes. The SDK has this
 * mapping but does not export it; this covers what our cards use (API key and HTTP schemes, no OAuth, no
 * signatures) and a test parses the result with the SDK's own v0.3 card parser.
 */
export function toLegacyCard(card: AgentCard): Record<string, unknown> {
  const legacy = card.supportedInterfaces.find((i) => i.protocolVersion.startsWith("0.3"));
  if (!legacy) throw new Error("the card has no v0.3 interface");
  return {
    protocolVersion: "0.3.0",
    name: card.name,
    description: card.description,
    url: legacy.url,
    preferredTransport: legacy.protocolBinding,
    version: card.version,
    ...(card.provider ? { provider: card.provider } : {}),
    ...(card.documentationUrl ? { documentationUrl: card.documentationUrl } : {}),
    capabilities: {
      streaming: card.capabilities?.streaming ?? false,
      pushNotifications: card.capabilities?.pushNotifications ?? false,
      extensions: (card.capabilities?.extensions ?? []).map((e) => ({
        uri: e.uri,
        description: e.description,
        required: e.required,
        ...(e.params ? { params: e.params } : {}),
      })),
    },
    securitySchemes: Object.fromEntries(Object.entries(card.securitySchemes).map(([k, s]) => [k, legacyScheme(s)])),
    security: card.securityRequirements.map((r) =>
      Object.fromEntries(Object.entries(r.schemes).map(([k, v]) => [k, v.list])),
    ),
    defaultInputModes: card.defaultInputModes,
    defaultOutputModes: card.defaultOutputModes,
    skills: card.skills.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      tags: s.tags,
      ...(s.examples.length ? { examples: s.examples } : {}),
      ...(s.inputModes.length ? { inputModes: s.inputModes } : {}),
      ...(s.outputModes.length ? { outputModes: s.outputModes } : {}),
    })),
  };
}

function legacyScheme(s: SecurityScheme): Record<string, unknown> {
  switch (s.scheme?.$case) {
    case "apiKeySecurityScheme": {
      const { location, name, description } = s.scheme.value;
      return { type: "apiKey", in: location, name, description };
    }
    case "httpAuthSecurityScheme": {
      const { scheme, bearerFormat, description } = s.scheme.value;
      return { type: "http", scheme, bearerFormat, description };
    }
    default:
      throw new Error(`no v0.3 form for the security scheme ${s.scheme?.$case ?? "(none)"}`);
  }
}
