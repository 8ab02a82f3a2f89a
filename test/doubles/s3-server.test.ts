import { createHash } from "node:crypto";
import { HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Server, type S3Server } from "./s3-server";

const credentials = { accessKeyId: "AKIATESTS3DOUBLE0001", secretAccessKey: "s3-double-secret" };
let s3: S3Server;
const client = (creds = credentials) =>
  new S3Client({ region: "us-east-1", endpoint: s3.url, forcePathStyle: true, credentials: creds, maxAttempts: 1 });

beforeAll(async () => {
  s3 = await startS3Server({ credentials, buckets: ["artifacts"] });
});
afterAll(() => s3.close());

describe("S3 double through the real S3Client", () => {
  it("stores an object with PutObject and describes it with HeadObject", async () => {
    const body = Buffer.from("zip bytes");
    const key = `agent/1.0.0/${createHash("sha256").update(body).digest("hex")}.zip`;
    const put = await client().send(
      new PutObjectCommand({ Bucket: "artifacts", Key: key, Body: body, Metadata: { digest: "x" } }),
    );
    expect(put.ETag).toBe(`"${createHash("md5").update(body).digest("hex")}"`);
    const head = await client().send(new HeadObjectCommand({ Bucket: "artifacts", Key: key }));
    expect(head.ContentLength).toBe(body.length);
    expect(head.Metadata).toEqual({ digest: "x" });
    expect(s3.get("artifacts", key)?.body.equals(body)).toBe(true);
  });

  it("answers NotFound, NoSuchBucket, a bad signature and SlowDown as S3 does", async () => {
    await expect(client().send(new HeadObjectCommand({ Bucket: "artifacts", Key: "nope" }))).rejects.toMatchObject({
      name: "NotFound",
      $metadata: { httpStatusCode: 404 },
    });
    const err = await client()
      .send(new PutObjectCommand({ Bucket: "other", Key: "k", Body: "x" }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3ServiceException);
    expect((err as S3ServiceException).name).toBe("NoSuchBucket");
    await expect(
      client({ ...credentials, secretAccessKey: "wrong" }).send(
        new PutObjectCommand({ Bucket: "artifacts", Key: "k", Body: "x" }),
      ),
    ).rejects.toMatchObject({ name: "SignatureDoesNotMatch" });
    s3.setFault({ slowDown: 1 });
    await expect(
      client().send(new PutObjectCommand({ Bucket: "artifacts", Key: "k", Body: "x" })),
    ).rejects.toMatchObject({
      name: "SlowDown",
    });
    expect(s3.get("artifacts", "k")).toBeUndefined();
  });
});
