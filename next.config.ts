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
  ],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
