import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { DbOrTx } from "../db/database";

// Engine API tokens look like "jm_<public id>.<secret>". The public part finds the row; the secret is
// kept only as a SHA-256 hash (it is 256 random bits, so a slow hash adds nothing) and compared in
// constant time.

const sha256 = (text: string) => createHash("sha256").update(text).digest();

/** Creates a token for an account and returns it; it is never shown again. */
export async function createApiToken(
  db: DbOrTx,
  input: { accountId: number; name: string; now: string },
): Promise<string> {
  const publicId = randomBytes(9).toString("base64url");
  const secret = randomBytes(32).toString("base64url");
  await db
    .insertInto("api_tokens")
    .values({
      account_id: input.accountId,
      public_id: publicId,
      secret_hash: sha256(secret).toString("hex"),
      name: input.name,
      created_at: input.now,
    })
    .execute();
  return `jm_${publicId}.${secret}`;
}

/** The account a bearer token belongs to, or null when the token is unknown or wrong. */
export async function verifyApiToken(db: DbOrTx, token: string): Promise<{ accountId: number } | null> {
  const m = /^jm_([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  // Unknown shapes still pay for one hash and comparison, so timing says little about the token.
  const presented = sha256(m?.[2] ?? token);
  const row = m
    ? await db
        .selectFrom("api_tokens")
        .select(["account_id", "secret_hash"])
        .where("public_id", "=", m[1]!)
        .executeTakeFirst()
    : undefined;
  const expected = row ? Buffer.from(row.secret_hash, "hex") : sha256("no such token");
  const same = timingSafeEqual(presented, expected);
  return row && same ? { accountId: row.account_id } : null;
}
