import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native/wasm database drivers and the AWS SDK run in Node as they are; bundling them gains nothing.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pg",
    "@neondatabase/serverless",
    "ws",
    "@aws-sdk/client-ecs",
    "@aws-sdk/client-bedrock-agentcore",
    // Its index requires every store it supports (some by computed import); loaded by Node, nothing is bundled.
    "rate-limiter-flexible",
  ],
  poweredByHeader: false,
  // `next dev` blocks its dev resources for hosts it does not know; 127.0.0.1 is how the tests and tools reach it.
  allowedDevOrigins: ["127.0.0.1"],
  reactStrictMode: true,
  // The catalogue's lists are views of browse (`/`), where the filters live; the plain paths people type lead there.
  async redirects() {
    return [
      { source: "/agents", destination: "/?view=agents", permanent: false },
      { source: "/services", destination: "/?view=services", permanent: false },
    ];
  },
};

export default nextConfig;
