import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test, uniqueId } from "./support/fixtures";

// axe (WCAG 2.1 A and AA) over every page and state, in the light and the dark theme.

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function expectNoViolations(page: Page, state: string) {
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(summary, `axe violations on ${state}`).toEqual([]);
}

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} theme`, () => {
    // The pages are the same under a base path (only their addresses differ, which the other specs
    // check there): the scans, the heaviest tests of the suite, run once, at the root.
    test.beforeEach(({ baseURL: _ }, testInfo) => {
      test.skip(testInfo.project.name === "base-path", "scanned at the root");
    });

    test.use({ colorScheme: scheme });

    test("sign-in page, with and without an error", async ({ page, path, state }) => {
      await page.goto(path("/login"));
      await expectNoViolations(page, "sign-in");
      await page.getByLabel("E-mail").fill(state.accounts.a.email);
      await page.getByLabel("Password").fill("not the password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("alert")).toBeVisible();
      await expectNoViolations(page, "sign-in with an error");
    });

    test("the Job Monitor, its errors, a report, and the other pages", async ({ page, path, signIn }) => {
      await signIn(page);
      await page.goto(path("/jobs"));
      await expectNoViolations(page, "job list");
      await page.goto(path("/jobs?from=2026-13-45&status=bogus"));
      await expectNoViolations(page, "filters with errors");
      await page.goto(path("/jobs"));
      await page.locator(".report-toggle").first().click();
      await expect(page.locator("tr.report-row")).toBeVisible();
      await expectNoViolations(page, "report open under its row");
      await page.goto(path("/jobs/bk-tricky"));
      await expectNoViolations(page, "report page with skipped items");
      await page.goto(path("/jobs/bk-old"));
      await expectNoViolations(page, "report with an expired skipped-items list");
      await page.goto(path("/connectors/m365/skipped"));
      await expectNoViolations(page, "skipped again");
      await page.goto(path("/audit"));
      await expectNoViolations(page, "audit log");
      await page.goto(path("/settings"));
      await expectNoViolations(page, "settings");
      await page.goto(path("/embed/jobs"));
      await expectNoViolations(page, "embedded layout");
      await page.goto(path("/jobs/no-such-job"));
      await expectNoViolations(page, "not found");
    });

    test("the cancel dialog at each step", async ({ page, path, signIn, engine }) => {
      const id = uniqueId("a11y-rs");
      await engine.createJob({
        id,
        connectorId: "sp",
        type: "restore",
        description: "Restore for the accessibility check",
      });
      await engine.next(id, { type: "started", at: new Date().toISOString() });
      await signIn(page);
      await page.goto(path(`/jobs/${id}`));
      await page.getByRole("link", { name: "Cancel restore" }).click();
      await expect(page.getByRole("dialog")).toBeVisible();
      await expectNoViolations(page, "cancel: ask");
      await page.getByRole("dialog").getByRole("link", { name: "Yes" }).click();
      await expect(page.getByRole("dialog").getByLabel("Password")).toBeVisible();
      await expectNoViolations(page, "cancel: password");
      await page.getByRole("dialog").getByLabel("Password").fill("wrong");
      await page.getByRole("dialog").getByRole("button", { name: "Confirm" }).click();
      await expect(page.getByRole("dialog").getByRole("alert")).toBeVisible();
      await expectNoViolations(page, "cancel: wrong password");
    });
  });
}
