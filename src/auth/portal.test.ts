import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPasswordUser } from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";
import { signPortalToken, verifyPortalToken } from "./portal-token";

const KEY = "portal-test-signing-key-0123456789-abcdef";
const NOW = "2026-11-27T12:00:00.000Z";
const nowS = Math.floor(new Date(NOW).getTime() / 1000);

let t: Awaited<ReturnType<typeof createTestApp>>;
let n = 0;

function claims(extra: Record<string, unknown> = {}) {
  n += 1;
  return {
    sub: "admin@example.com",
    service_id: "SVC-P",
    aud: "job-monitor",
    exp: nowS + 30,
    jti: `jti-${n}-abcdef`,
    ...extra,
  };
}

function post(token: string, origin = "https://portal.example.com") {
  return t.app.request("/portal/sign-in", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin, "sec-fetch-site": "cross-site" },
    body: new URLSearchParams({ token }),
  });
}

beforeEach(async () => {
  t = await createTestApp({ portalSigningKey: KEY });
  t.clock.set(NOW);
  const { account } = await t.addAccount("SVC-P");
  await createPasswordUser(t, account.id);
});
afterEach(() => t.close());

describe("portal sign-in", () => {
  it("gives a valid token a session and sends the user to the embedded monitor", async () => {
    const res = await post(signPortalToken(claims(), KEY));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/embed/jobs");
    expect(res.headers.get("set-cookie")).toMatch(/jm_session=[A-Za-z0-9_-]{43}/);
    const audit = await t.db.selectFrom("audit_events").select("event").execute();
    expect(audit.map((a) => a.event)).toContain("portal_sign_in");
  });

  it("refuses a token used twice", async () => {
    const token = signPortalToken(claims(), KEY);
    expect((await post(token)).status).toBe(303);
    const again = await post(token);
    expect(again.status).toBe(401);
    expect(await again.text()).toContain("already used");
  });

  it.each([
    ["expired", { exp: nowS - 1 }, "has expired"],
    ["living longer than 60 seconds", { exp: nowS + 61 }, "longer than 60 seconds"],
    ["for another audience", { aud: "other" }, "another audience"],
    ["without a jti", { jti: undefined }, "single-use ID"],
    ["for an unknown user", { sub: "nobody@example.com" }, "not known"],
    ["for another account's service ID", { service_id: "SVC-OTHER" }, "not known"],
  ])("refuses a token %s", async (_label, extra, message) => {
    const res = await post(signPortalToken(claims(extra), KEY));
    expect(res.status).toBe(401);
    expect(await res.text()).toContain(message);
    expect(res.headers.get("set-cookie") ?? "").not.toContain("jm_session=");
  });

  it("refuses alg none, other algorithms, and a wrong signature", async () => {
    for (const token of [
      signPortalToken(claims(), KEY, "none"),
      signPortalToken(claims(), KEY, "HS512"),
      signPortalToken(claims(), "a-different-key-that-is-long-enough-0000"),
      "not.a.jwt",
    ]) {
      const res = await post(token);
      expect(res.status).toBe(401);
    }
  });

  it("is off without a signing key", async () => {
    await t.close();
    t = await createTestApp();
    expect((await post(signPortalToken(claims(), KEY))).status).toBe(404);
  });
});

describe("verifying a portal token", () => {
  it("reads who it signs in", () => {
    const c = claims();
    expect(
      verifyPortalToken(signPortalToken(c, KEY), { key: KEY, audience: "job-monitor", now: new Date(NOW) }),
    ).toEqual({
      email: c.sub,
      serviceId: c.service_id,
      jti: c.jti,
      exp: c.exp,
    });
  });
});
