import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config";
import { type Engine, item, putConnector, Stream } from "../engine-api/api-test-helpers";
import { anonymous, type SignedInUser, signIn, type TestService } from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";

// Security headers on every response (issue 5 §7): a CSP with no inline script and no eval, framing by
// ourselves (and FRAME_ANCESTORS) only, nosniff, a Referrer-Policy, no-store on everything that needs a
// session, and long immutable caching for the content-hashed assets only.

let t: TestService;
afterEach(() => t?.close());

async function service(overrides: Parameters<typeof createTestApp>[0] = {}) {
  t = await createTestApp({ scryptLog2N: 12, ...overrides });
  const engine = await t.addAccount("SVC-1");
  await putConnector(engine, "c1");
  const s = new Stream(engine, "b1");
  await engine.call("POST", "/jobs", { id: "b1", connectorId: "c1", type: "backup", description: "Nightly" });
  await s.started();
  await s.skipped([item("k1")]);
  await s.finished({ outcome: "completed" });
  const user = await signIn(t, engine.account.id);
  return { engine, user };
}

function directives(res: Response): Map<string, string[]> {
  const csp = res.headers.get("content-security-policy");
  expect(csp, "Content-Security-Policy").toBeTruthy();
  return new Map(
    csp!
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

/** Every kind of answer the service gives: pages, fragments, downloads, assets, API, errors. */
async function everyKindOfAnswer(engine: Engine, user: SignedInUser) {
  const html = await (await user.get("/jobs")).text();
  const css = /href="([^"]*\/assets\/[^"]*app\.css)"/.exec(html)![1]!;
  const anon = anonymous(t);
  const answers: [string, Response][] = [
    ["sign-in page", await anon.get("/login")],
    ["redirect to sign-in", await anon.get("/jobs")],
    ["htmx 401", await anon.get("/jobs", { htmx: true })],
    ["job monitor", await user.get("/jobs")],
    ["results fragment", await user.get("/jobs", { htmx: { target: "results" } })],
    ["job report", await user.get("/jobs/b1")],
    ["report fragment", await user.get("/jobs/b1?part=report", { htmx: true })],
    ["not found page", await user.get("/jobs/nope")],
    ["validation error", await user.get("/jobs?status=bogus")],
    ["jobs csv", await user.get("/jobs.csv")],
    ["skipped csv", await user.get("/jobs/b1/skipped.csv")],
    ["settings", await user.get("/settings")],
    ["audit", await user.get("/audit")],
    ["csrf refusal", await user.post("/settings", {}, { csrf: false })],
    ["asset", await user.get(css)],
    ["unknown asset", await user.get("/assets/nope/app.css")],
    ["api", await engine.call("GET", "/jobs")],
    ["api 401", await t.app.request("/api/v1/jobs")],
    ["health", await t.app.request("/healthz")],
  ];
  return answers;
}

describe("on every response", () => {
  it("a Content-Security-Policy without inline script or eval, framed by 'self' only", async () => {
    const { engine, user } = await service();
    for (const [what, res] of await everyKindOfAnswer(engine, user)) {
      const csp = directives(res);
      const scripts = csp.get("script-src") ?? csp.get("default-src")!;
      expect(scripts, what).toContain("'self'");
      expect(scripts, what).not.toContain("'unsafe-inline'");
      expect(scripts, what).not.toContain("*");
      expect(res.headers.get("content-security-policy"), what).not.toContain("'unsafe-eval'");
      expect(res.headers.get("content-security-policy"), what).not.toContain("'unsafe-inline'");
      expect(csp.get("default-src"), what).toEqual(["'self'"]);
      expect(csp.get("object-src"), what).toEqual(["'none'"]);
      expect(csp.get("base-uri"), what).toEqual(["'none'"]);
      expect(csp.get("frame-ancestors"), what).toEqual(["'self'"]);
    }
  });

  it("nosniff and a Referrer-Policy, and no X-Frame-Options (it cannot list FRAME_ANCESTORS)", async () => {
    const { engine, user } = await service();
    for (const [what, res] of await everyKindOfAnswer(engine, user)) {
      expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
      expect(
        ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"],
        what,
      ).toContain(res.headers.get("referrer-policy"));
      expect(res.headers.get("x-frame-options"), what).toBeNull();
    }
  });

  it("lets the origins in FRAME_ANCESTORS frame the product, besides 'self'", async () => {
    const { engine, user } = await service({
      frameAncestors: ["https://portal.example.com", "https://intranet.example.org:8443"],
    });
    for (const [what, res] of await everyKindOfAnswer(engine, user)) {
      expect(directives(res).get("frame-ancestors"), what).toEqual([
        "'self'",
        "https://portal.example.com",
        "https://intranet.example.org:8443",
      ]);
      expect(res.headers.get("x-frame-options"), what).toBeNull();
    }
  });

  it("reads FRAME_ANCESTORS as a list of origins and refuses anything else", () => {
    const env = { DATABASE_URL: ":memory:" };
    expect(
      loadConfig({ ...env, FRAME_ANCESTORS: "https://a.example.com, https://b.example.com" }).frameAncestors,
    ).toEqual(["https://a.example.com", "https://b.example.com"]);
    expect(loadConfig(env).frameAncestors).toEqual([]);
    for (const bad of [
      "*",
      "'unsafe-inline'",
      "https://a.example.com; script-src *",
      "javascript:alert(1)",
    ]) {
      expect(() => loadConfig({ ...env, FRAME_ANCESTORS: bad }), bad).toThrow(ConfigError);
    }
  });
});

describe("caching", () => {
  it("Cache-Control: no-store on pages, fragments and downloads that need a session", async () => {
    const { user } = await service();
    const paths: [string, Parameters<SignedInUser["get"]>[1]][] = [
      ["/jobs", {}],
      ["/jobs", { htmx: { target: "results" } }],
      ["/jobs/b1", {}],
      ["/jobs/b1?part=report", { htmx: true }],
      ["/jobs/b1?part=row", { htmx: true }],
      ["/connectors/c1/jobs", {}],
      ["/connectors/c1/skipped", {}],
      ["/settings", {}],
      ["/audit", {}],
      ["/jobs.csv", {}],
      ["/jobs/b1/skipped.csv", {}],
      ["/connectors/c1/skipped.csv", {}],
      ["/audit.csv", {}],
      ["/embed/jobs", {}],
      ["/embed/jobs/b1/skipped.csv", {}],
    ];
    for (const [path, options] of paths) {
      const res = await user.get(path, options);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe("no-store");
    }
  });

  it("serves downloads as attachments of CSV", async () => {
    const { user } = await service();
    for (const path of ["/jobs.csv", "/jobs/b1/skipped.csv", "/connectors/c1/skipped.csv", "/audit.csv"]) {
      const res = await user.get(path);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers.get("content-disposition"), path).toMatch(
        /^attachment; filename="[A-Za-z0-9._-]+\.csv"/,
      );
    }
  });

  it("caches content-hashed assets for a year, immutable, and nothing else", async () => {
    const { user } = await service({ basePath: "/backup/job-monitor" });
    const html = await (await user.get("/jobs")).text();
    const urls = [...html.matchAll(/(?:href|src)="(\/backup\/job-monitor\/assets\/[^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(urls.length).toBeGreaterThanOrEqual(3); // stylesheet, htmx, app script
    for (const url of urls) {
      const res = await t.app.request(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get("cache-control"), url).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("etag"), url).toBeTruthy();
      expect(res.headers.get("x-content-type-options"), url).toBe("nosniff");
    }
    // A URL whose hash does not match must not be cached for ever.
    const stale = await t.app.request("/backup/job-monitor/assets/AAAAAAAAAAAA/app.css");
    expect(stale.status).toBe(404);
    expect(stale.headers.get("cache-control")).toBe("no-store");
  });
});

describe("the pages need nothing the policy forbids", () => {
  it("have no inline scripts, event handler attributes, hx-on, inline styles or javascript: URLs", async () => {
    const { user } = await service();
    for (const path of ["/jobs", "/jobs/b1", "/login", "/settings", "/audit", "/connectors/c1/skipped"]) {
      const b = path === "/login" ? anonymous(t) : user;
      const res = await b.get(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
        expect(m[1], `${path}: script without src`).toMatch(/\ssrc="/);
        expect(m[2]!.trim(), `${path}: inline script`).toBe("");
      }
      expect(html, path).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html, path).not.toMatch(/\shx-on[:-]/i);
      expect(html, path).not.toMatch(/\sstyle\s*=/i);
      expect(html, path).not.toMatch(/javascript:/i);
      expect(html, path).not.toMatch(/<style\b/i);
    }
  });

  it("configure htmx without eval and without its inline indicator styles", async () => {
    const { user } = await service();
    const html = await (await user.get("/jobs")).text();
    const meta = /<meta name="htmx-config" content="([^"]+)"/.exec(html);
    expect(meta).not.toBeNull();
    const config = JSON.parse(meta![1]!.replaceAll("&#34;", '"').replaceAll("&quot;", '"'));
    expect(config).toMatchObject({ allowEval: false, includeIndicatorStyles: false, allowScriptTags: false });
  });
});
