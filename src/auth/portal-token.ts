import { createHmac, timingSafeEqual } from "node:crypto";

// A customer portal signs users in to the embedded Job Monitor with a short-lived JWT it signs itself
// (HMAC-SHA256 with PORTAL_SIGNING_KEY). Only HS256 is accepted: "none" and every other algorithm are
// refused before the signature is even looked at.

export const MAX_TOKEN_LIFETIME_S = 60;

export type PortalClaims = { email: string; serviceId: string; jti: string; exp: number };

export class PortalTokenError extends Error {}

const b64url = (buf: Buffer) => buf.toString("base64url");

function decodePart(part: string, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {}
  throw new PortalTokenError(`the token's ${what} is not valid`);
}

/** Checks a portal token and returns who it signs in; throws PortalTokenError saying why not. */
export function verifyPortalToken(
  token: string,
  options: { key: string; audience: string; now: Date },
): PortalClaims {
  const parts = token.split(".");
  if (parts.length !== 3 || token.length > 4096) throw new PortalTokenError("the token is not a JWT");
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodePart(headerPart, "header");
  if (header.alg !== "HS256")
    throw new PortalTokenError(`the algorithm ${String(header.alg)} is not accepted`);
  if (header.typ !== undefined && header.typ !== "JWT")
    throw new PortalTokenError("the token type is not JWT");

  const expected = createHmac("sha256", options.key).update(`${headerPart}.${payloadPart}`).digest();
  const given = Buffer.from(signaturePart, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new PortalTokenError("the signature does not match");
  }

  const claims = decodePart(payloadPart, "payload");
  const nowS = Math.floor(options.now.getTime() / 1000);
  const aud = claims.aud;
  if (!(aud === options.audience || (Array.isArray(aud) && aud.includes(options.audience)))) {
    throw new PortalTokenError("the token is meant for another audience");
  }
  if (typeof claims.exp !== "number" || !Number.isFinite(claims.exp))
    throw new PortalTokenError("the token has no expiry");
  if (claims.exp <= nowS) throw new PortalTokenError("the token has expired");
  if (claims.exp - nowS > MAX_TOKEN_LIFETIME_S) {
    throw new PortalTokenError(`the token lives longer than ${MAX_TOKEN_LIFETIME_S} seconds`);
  }
  if (typeof claims.nbf === "number" && claims.nbf > nowS + 5)
    throw new PortalTokenError("the token is not valid yet");
  if (typeof claims.sub !== "string" || !claims.sub.includes("@") || claims.sub.length > 254) {
    throw new PortalTokenError("the token names no user e-mail (sub)");
  }
  if (typeof claims.service_id !== "string" || !claims.service_id) {
    throw new PortalTokenError("the token names no service ID (service_id)");
  }
  if (typeof claims.jti !== "string" || claims.jti.length < 8 || claims.jti.length > 200) {
    throw new PortalTokenError("the token has no single-use ID (jti)");
  }
  return { email: claims.sub, serviceId: claims.service_id, jti: claims.jti, exp: claims.exp };
}

/** Signs a portal token (for the example portal and tests; a real portal signs its own). */
export function signPortalToken(claims: Record<string, unknown>, key: string, alg = "HS256"): string {
  const header = b64url(Buffer.from(JSON.stringify({ alg, typ: "JWT" })));
  const payload = b64url(Buffer.from(JSON.stringify(claims)));
  const signature =
    alg === "none" ? "" : b64url(createHmac("sha256", key).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${signature}`;
}
