import { env } from "@/lib/env";

/** Limits of an uploaded bundle (DEPLOY_MAX_*), read per use so that tests and operators can change them. */
export interface BundleLimits {
  maxBytes: number;
  maxUnpackedBytes: number;
  maxFiles: number;
}

export function bundleLimits(): BundleLimits {
  const e = env();
  return {
    maxBytes: e.DEPLOY_MAX_BUNDLE_BYTES,
    maxUnpackedBytes: e.DEPLOY_MAX_UNPACKED_BYTES,
    maxFiles: e.DEPLOY_MAX_BUNDLE_FILES,
  };
}

/** The largest deploy body: the bundle as base64 (4/3 of its bytes) and room for the rest of the request. */
export function bundleBodyLimit(): number {
  return Math.ceil(bundleLimits().maxBytes / 3) * 4 + 256 * 1024;
}
