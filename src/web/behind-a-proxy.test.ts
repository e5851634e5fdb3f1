import { afterEach, describe, expect, it } from "vitest";
import { IP_MAX_FAILURES } from "../auth/login-attempts";
import { SESSION_COOKIE } from "../auth/sessions";
import { type Config, ConfigError, loadConfig } from "../config";
import { anonymous, Browser, createPasswordUser, signIn, type TestService } from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";

// The service behind reverse proxies (issue 14 §1, §4). The client writes whatever it likes into
// X-Forwarded-For; only what the trusted proxies appended says who it is. So the client address is the
// right-most entry that is not a trusted proxy, for throttling, the known-address exemption and the
// audit log alike; and X-Forwarded-Proto counts only from a trusted proxy, for Secure cookies and HSTS.

let t: TestService;
afterEach(() => t?.close());

const PROXY = "10.0.0.5";
const ATTACKER = "203.0.113.66";
const VICTIM = "192.0.2.20";

async function service(overrides: Partial<Config> = {}) {
  t = await createTestApp({ scryptLog2N: 12, trustProxy: { kind: "hops", hops: 1 }, ...overrides });
  const { account } = await t.addAccount("SVC-1");
  return account;
}

/** What one trusted proxy passes on: the client's header with the client's real address appended. */
function viaProxy(realAddress: string, forged?: string) {
  return {
    ip: PROXY,
    headers: { "x-forwarded-for": forged ? `${forged}, ${realAddress}` : realAddress },
  };
}

async function audit(event: string) {
  return t.db.selectFrom("audit_events").selectAll().where("event", "=", event).orderBy("id").execute();
}

describe("TRUST_PROXY", () => {
  const parse = (value: string) => loadConfig({ TRUST_PROXY: value }).trustProxy;

  it("is off by default, and on means one proxy", () => {
    expect(loadConfig({}).trustProxy).toEqual({ kind: "none" });
    expect(parse("off")).toEqual({ kind: "none" });
    expect(parse("0")).toEqual({ kind: "none" });
    expect(parse("on")).toEqual({ kind: "hops", hops: 1 });
    expect(parse("true")).toEqual({ kind: "hops", hops: 1 });
    expect(parse("1")).toEqual({ kind: "hops", hops: 1 });
  });

  it("takes a number of proxies, or their addresses and networks", () => {
    expect(parse("2")).toEqual({ kind: "hops", hops: 2 });
    expect(parse("10.0.0.0/8, 192.0.2.7 fd00::/8")).toEqual({
      kind: "proxies",
      ranges: [
        { address: "10.0.0.0", prefix: 8, family: "ipv4" },
        { address: "192.0.2.7", prefix: 32, family: "ipv4" },
        { address: "fd00::", prefix: 8, family: "ipv6" },
      ],
    });
  });

  it("refuses anything else, naming the variable", () => {
    for (const bad of ["yes", "10.0.0.0/33", "10.0.0/8", "proxy.example.com", "21", "10.0.0.1/8/2"]) {
      expect(() => parse(bad), bad).toThrow(ConfigError);
      expect(() => parse(bad), bad).toThrow(/^Invalid TRUST_PROXY/);
    }
  });
});

describe("the client address with one trusted proxy", () => {
  it("throttles a client that sends a new X-Forwarded-For with every try", async () => {
    const account = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    const b = anonymous(t);
    for (let i = 0; i < IP_MAX_FAILURES; i += 1) {
      const res = await b.submitLogin(
        `guess-${i}@example.com`,
        "wrong",
        viaProxy(ATTACKER, `198.51.100.${i}`),
      );
      expect(res.status).toBe(401);
    }
    const next = await b.submitLogin(email, password, viaProxy(ATTACKER, "198.51.100.250"));
    expect(next.status).toBe(429);
    expect(await next.text()).toContain("Too many sign-in attempts from your network.");
    // The audit log names the address the proxy saw, not the ones the client made up.
    const failed = await audit("sign_in_failed");
    expect(new Set(failed.map((e) => e.ip))).toEqual(new Set([ATTACKER]));
  });

  it("does not let a forged X-Forwarded-For lock another address out", async () => {
    const account = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    const attacker = anonymous(t);
    for (let i = 0; i < IP_MAX_FAILURES + 5; i += 1) {
      await attacker.submitLogin(`guess-${i}@example.com`, "wrong", viaProxy(ATTACKER, VICTIM));
    }
    const victim = await anonymous(t).submitLogin(email, password, viaProxy(VICTIM));
    expect(victim.status).toBe(303);
  });

  it("does not let a forged X-Forwarded-For borrow the victim's known address past a lock", async () => {
    const account = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    expect((await anonymous(t).submitLogin(email, password, viaProxy(VICTIM))).status).toBe(303);
    const attacker = anonymous(t);
    for (let i = 0; i < 5; i += 1) await attacker.submitLogin(email, `guess ${i}`, viaProxy(ATTACKER));
    // Locked for the attacker, whatever address it claims…
    for (const forged of [VICTIM, `${VICTIM}, ${VICTIM}`, ` ${VICTIM} `]) {
      const res = await attacker.submitLogin(email, "another guess", viaProxy(ATTACKER, forged));
      expect(res.status, forged).toBe(429);
      expect(await res.text()).toContain("Too many failed attempts for this e-mail.");
    }
    // Refused before the password was even tried: the lock held.
    expect(await audit("sign_in_failed")).toHaveLength(5);
    // …while the user at her usual address still gets in.
    expect((await anonymous(t).submitLogin(email, password, viaProxy(VICTIM))).status).toBe(303);
  });

  it("records the proxied address in the audit log", async () => {
    const account = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    const b = anonymous(t);
    expect((await b.submitLogin(email, password, viaProxy(VICTIM, "198.51.100.1"))).status).toBe(303);
    await b.refreshCsrfToken();
    expect((await b.post("/logout", {}, viaProxy(VICTIM, "198.51.100.2"))).status).toBe(303);
    const entries = [...(await audit("sign_in")), ...(await audit("sign_out"))];
    expect(entries.map((e) => e.ip)).toEqual([VICTIM, VICTIM]);
  });

  it("reads one address per entry, however it is written", async () => {
    const account = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    await anonymous(t).submitLogin(email, password, viaProxy("::ffff:192.0.2.30"));
    await anonymous(t).submitLogin(email, password, viaProxy("[2001:DB8:0:0::1]:4711"));
    await anonymous(t).submitLogin(email, password, viaProxy("192.0.2.31:8080"));
    expect((await audit("sign_in")).map((e) => e.ip)).toEqual(["192.0.2.30", "2001:db8::1", "192.0.2.31"]);
  });

  it("takes the proxy's own address when it passes on no client address", async () => {
    const account = await service();
    const { email, password } = await createPasswordUser(t, account.id);
    await anonymous(t).submitLogin(email, password, { ip: PROXY });
    await anonymous(t).submitLogin(email, password, {
      ip: PROXY,
      headers: { "x-forwarded-for": "not an address" },
    });
    expect((await audit("sign_in")).map((e) => e.ip)).toEqual([PROXY, PROXY]);
  });
});

describe("the client address with other proxy settings", () => {
  it("with two proxies, skips both entries they appended", async () => {
    const account = await service({ trustProxy: { kind: "hops", hops: 2 } });
    const { email, password } = await createPasswordUser(t, account.id);
    await anonymous(t).submitLogin(email, password, {
      ip: "10.0.0.6",
      headers: { "x-forwarded-for": `198.51.100.9, ${VICTIM}, 10.0.0.5` },
    });
    expect((await audit("sign_in")).map((e) => e.ip)).toEqual([VICTIM]);
  });

  it("with proxy networks, walks left past every trusted proxy, and ignores the header from others", async () => {
    const account = await service({ trustProxy: loadConfig({ TRUST_PROXY: "10.0.0.0/8" }).trustProxy });
    const { email, password } = await createPasswordUser(t, account.id);
    const send = (ip: string, xff: string) =>
      anonymous(t).submitLogin(email, password, { ip, headers: { "x-forwarded-for": xff } });
    await send("10.1.2.3", `198.51.100.9, ${VICTIM}, 10.9.9.9`);
    // A client connecting directly is not a proxy: what it says about others counts for nothing.
    await send(ATTACKER, VICTIM);
    expect((await audit("sign_in")).map((e) => e.ip)).toEqual([VICTIM, ATTACKER]);
  });

  it("without TRUST_PROXY, ignores X-Forwarded-For entirely", async () => {
    const account = await service({ trustProxy: { kind: "none" } });
    const { email, password } = await createPasswordUser(t, account.id);
    await anonymous(t).submitLogin(email, password, viaProxy(VICTIM, "198.51.100.1"));
    expect((await audit("sign_in")).map((e) => e.ip)).toEqual([PROXY]);
  });
});

describe("HTTPS behind a proxy", () => {
  const cookieLine = (res: Response, name: string) =>
    res.headers.getSetCookie().find((l) => l.startsWith(`${name}=`));

  /** Signs in over plain HTTP from the proxy, which says how the browser connected. */
  async function signInThroughProxy(proto: string | null, overrides: Partial<Config> = {}) {
    const account = await service(overrides);
    const { email, password } = await createPasswordUser(t, account.id);
    const b = new Browser(t);
    const headers: Record<string, string> = { "x-forwarded-for": VICTIM };
    if (proto) headers["x-forwarded-proto"] = proto;
    const login = await b.get("/login", { ip: PROXY, headers });
    // The form's Origin is what the service takes the browser's origin to be, so it passes the check.
    const origin =
      proto?.trim().endsWith("https") && overrides.trustProxy?.kind !== "none"
        ? "https://localhost"
        : "http://localhost";
    const res = await b.submitLogin(email, password, { ip: PROXY, headers, origin });
    expect(res.status).toBe(303);
    return { login, res };
  }

  it("marks the session and sign-in cookies Secure when a trusted proxy says the browser used HTTPS", async () => {
    const { login, res } = await signInThroughProxy("https");
    expect(cookieLine(res, SESSION_COOKIE)).toMatch(/;\s*Secure/i);
    expect(cookieLine(login, "jm_login_csrf")).toMatch(/;\s*Secure/i);
  });

  it("reads the scheme the outermost trusted proxy appended, not one the client sent", async () => {
    expect(cookieLine((await signInThroughProxy("http, https")).res, SESSION_COOKIE)).toMatch(/;\s*Secure/i);
    await t.close();
    expect(cookieLine((await signInThroughProxy("https, http")).res, SESSION_COOKIE)).not.toMatch(
      /;\s*Secure/i,
    );
  });

  it("does not mark them Secure for plain HTTP, or when no proxy is trusted", async () => {
    expect(cookieLine((await signInThroughProxy("http")).res, SESSION_COOKIE)).not.toMatch(/;\s*Secure/i);
    await t.close();
    const { res } = await signInThroughProxy("https", { trustProxy: { kind: "none" } });
    expect(cookieLine(res, SESSION_COOKIE)).not.toMatch(/;\s*Secure/i);
  });

  it("accepts a form whose Origin is the https:// one the browser sees", async () => {
    const account = await service();
    const u = await signIn(t, account.id);
    const headers = { "x-forwarded-for": VICTIM, "x-forwarded-proto": "https" };
    // An older browser sends Origin but no Sec-Fetch-Site: only the Origin can pass the check.
    const res = await u.post(
      "/settings",
      { time_zone: "Europe/Copenhagen" },
      { ip: PROXY, headers, origin: "https://localhost" },
    );
    expect(res.status).toBe(303);
    // Without the proxy's word, an https:// Origin on a plain HTTP request is another site.
    const refused = await u.post(
      "/settings",
      { time_zone: "Europe/Copenhagen" },
      { ip: PROXY, headers: { "x-forwarded-for": VICTIM }, origin: "https://localhost" },
    );
    expect(refused.status).toBe(403);
  });
});

describe("HSTS_MAX_AGE", () => {
  it("is off by default, and is a number of seconds", () => {
    expect(loadConfig({}).hstsMaxAge).toBe(0);
    expect(loadConfig({ HSTS_MAX_AGE: "off" }).hstsMaxAge).toBe(0);
    expect(loadConfig({ HSTS_MAX_AGE: "31536000" }).hstsMaxAge).toBe(31_536_000);
    expect(() => loadConfig({ HSTS_MAX_AGE: "a year" })).toThrow(/^Invalid HSTS_MAX_AGE/);
  });

  it("sends Strict-Transport-Security on HTTPS answers only, directly or through a trusted proxy", async () => {
    await service({ hstsMaxAge: 31_536_000 });
    const hsts = async (url: string, options: Parameters<Browser["get"]>[1] = {}) =>
      (await new Browser(t).get(url, options)).headers.get("strict-transport-security");
    expect(await hsts("https://monitor.example.com/login")).toBe("max-age=31536000");
    expect(
      await hsts("http://localhost/login", { ip: PROXY, headers: { "x-forwarded-proto": "https" } }),
    ).toBe("max-age=31536000");
    expect(await hsts("http://localhost/login")).toBeNull();
    expect(
      await hsts("http://localhost/login", { ip: PROXY, headers: { "x-forwarded-proto": "http" } }),
    ).toBeNull();
  });

  it("sends nothing when off, even over HTTPS", async () => {
    await service();
    const res = await new Browser(t).get("https://monitor.example.com/login");
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });
});
