import { PORTAL_KEY, PORTAL_ORIGIN } from "../playwright.config";
import { signPortalToken } from "../src/auth/portal-token";
import { choose } from "./support/filters";
import { expect, test } from "./support/fixtures";

// The monitor embedded in a customer portal on another site: sign-in by a signed token posted into the
// iframe, a partitioned SameSite=None session cookie, and filters that work inside the frame.

const PORTAL = `${PORTAL_ORIGIN}/`;

test("signs in through the portal and filters inside the frame", async ({ page }) => {
  await page.goto(PORTAL);
  const frame = page.frameLocator('iframe[name="job-monitor"]');
  await expect(frame.getByRole("heading", { level: 1, name: "Job Monitor" })).toBeVisible();
  // The embedded layout has no header of its own: the portal is the chrome.
  await expect(frame.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  await choose(frame, "Status", "unsuccessful");
  await frame.getByRole("button", { name: "Apply filters" }).click();
  await expect(frame.locator("table.jobs tbody tr.job-row").first()).toBeVisible();
  const statuses = await frame.locator("table.jobs tbody tr.job-row td:first-child").allInnerTexts();
  expect(statuses.length).toBeGreaterThan(0);
  for (const s of statuses) expect(s).toContain("Unsuccessful");
  const inner = page.frame({ name: "job-monitor" })!;
  expect(inner.url()).toContain("/backup/job-monitor/embed/jobs");
  expect(inner.url()).toContain("status=unsuccessful");
});

test.describe("refused portal tokens", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: Record<string, unknown> = {}) => ({
    sub: "admin@a.e2e.test",
    service_id: "E2E-A-1001",
    aud: "job-monitor",
    exp: now() + 30,
    jti: `t-${Math.random().toString(36).slice(2)}`,
    ...extra,
  });
  const post = (
    request: import("@playwright/test").APIRequestContext,
    path: (p: string) => string,
    token: string,
  ) => request.post(path("/portal/sign-in"), { form: { token }, maxRedirects: 0 });

  test("an expired token", async ({ request, path }) => {
    const res = await post(request, path, signPortalToken(claims({ exp: now() - 5 }), PORTAL_KEY));
    expect(res.status()).toBe(401);
    expect(await res.text()).toContain("expired");
  });

  test("a replayed token", async ({ request, path }) => {
    const token = signPortalToken(claims(), PORTAL_KEY);
    expect((await post(request, path, token)).status()).toBe(303);
    const again = await post(request, path, token);
    expect(again.status()).toBe(401);
    expect(await again.text()).toContain("already used");
  });

  test("a token for another audience", async ({ request, path }) => {
    const res = await post(request, path, signPortalToken(claims({ aud: "someone-else" }), PORTAL_KEY));
    expect(res.status()).toBe(401);
    expect(await res.text()).toContain("another audience");
  });

  test("alg: none", async ({ request, path }) => {
    const res = await post(request, path, signPortalToken(claims(), PORTAL_KEY, "none"));
    expect(res.status()).toBe(401);
    expect(await res.text()).toContain("not accepted");
  });

  test("a wrong signature", async ({ request, path }) => {
    const res = await post(
      request,
      path,
      signPortalToken(claims(), "another-key-that-is-long-enough-000000"),
    );
    expect(res.status()).toBe(401);
  });

  test("a page framed by a site that is not listed is refused by the browser (header check)", async ({
    request,
    path,
  }) => {
    const res = await request.get(path("/login"));
    const csp = res.headers()["content-security-policy"]!;
    expect(csp).toContain(`frame-ancestors 'self' ${PORTAL_ORIGIN}`);
    expect(csp).not.toContain("evil.example");
    expect(res.headers()["x-frame-options"]).toBeUndefined();
  });
});
