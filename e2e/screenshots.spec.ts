import type { Page, TestInfo } from "@playwright/test";
import { uniqueId } from "./support/fixtures";
import { expect, reportToggle, runningRestore, test } from "./support/session";

// Full-page screenshots of every page of the Job Monitor, light and dark, at a desktop and a phone width (they land in
// test-results/ as artifacts, from the root server only). At phone width nothing may scroll sideways.

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: "disabled" });
}

/** How far the page is wider than the window (0 when nothing scrolls sideways). */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Tables that are wider than the box they sit in (their last columns are cut off or scroll). */
const clippedTables = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll(".table-wrap")]
      .filter((w) => w.scrollWidth > w.clientWidth + 1)
      .map((w) => w.querySelector("table")?.className ?? "?"),
  );

for (const [width, colorScheme] of [
  [1280, "light"],
  [390, "light"],
  [1280, "dark"],
  [390, "dark"],
] as const) {
  test(`At ${width} px (${colorScheme}) every page fits the window`, async ({
    newPage,
    path,
    engine,
    state,
  }, testInfo) => {
    test.skip(testInfo.project.name !== "root", "the screenshots are the same under a base path");
    const viewport = { width, height: width > 600 ? 900 : 844 };
    const fits = async (page: Page) => {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width + 1);
      expect(await overflow(page)).toBeLessThanOrEqual(1);
      if (width > 600) expect(await clippedTables(page)).toEqual([]);
    };

    // Sign-in, before anyone is signed in.
    const anonymous = await newPage({ viewport, who: null, colorScheme });
    await anonymous.goto(path("/login"));
    await expect(anonymous.getByRole("heading", { level: 1 })).toHaveText("Sign in to Job Monitor");
    await shoot(anonymous, testInfo, `${width}-${colorScheme}-sign-in`);
    await fits(anonymous);

    const page = await newPage({ viewport, colorScheme });
    const id = uniqueId("rs-screenshot");
    await runningRestore(engine, id, "sp", "Restore of the marketing site to its original location");

    // The list.
    await page.goto(path("/jobs"));
    await expect(page.locator("table.jobs tbody tr.job-row").first()).toBeVisible();
    await shoot(page, testInfo, `${width}-${colorScheme}-list`);
    await fits(page);

    // A report open under its row.
    await reportToggle(page, "bk-tricky").click();
    await expect(page.locator(".report-row")).toBeVisible();
    await shoot(page, testInfo, `${width}-${colorScheme}-report-open`);
    await fits(page);

    // The report as a page, with a reason.
    await page.goto(path("/jobs/bk-sf-partial"));
    await shoot(page, testInfo, `${width}-${colorScheme}-report-page`);
    await fits(page);

    // The cancel dialog, then the password step.
    await page.goto(path(`/jobs?q=${id}`));
    await page.getByRole("link", { name: `Cancel restore ${id}` }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("link", { name: "Yes" })).toBeFocused();
    await shoot(page, testInfo, `${width}-${colorScheme}-cancel-dialog`);
    await fits(page);
    await dialog.getByRole("link", { name: "Yes" }).click();
    await expect(dialog.getByLabel("Password")).toBeFocused();
    await shoot(page, testInfo, `${width}-${colorScheme}-cancel-password`);
    await fits(page);
    await dialog.getByRole("link", { name: "No, keep it running" }).click();
    await expect(dialog).toHaveCount(0);

    // A filter with a problem.
    await page.goto(path("/jobs?span=custom&from=2026-03-10&to=2026-03-01&status=bogus"));
    await shoot(page, testInfo, `${width}-${colorScheme}-filter-errors`);
    await fits(page);

    // Every other page, as an admin reaches it.
    for (const [name, url] of [
      ["connector", "/connectors/m365/jobs"],
      ["report-expired-skipped", "/jobs/bk-old"],
      ["skipped-again", "/connectors/m365/skipped"],
      ["audit", "/audit"],
      ["settings", "/settings"],
      ["embed", "/embed/jobs"],
      ["not-found", "/jobs/no-such-job"],
    ] as const) {
      await page.goto(path(url));
      await expect(page.locator("h1")).toBeVisible();
      await shoot(page, testInfo, `${width}-${colorScheme}-${name}`);
      await fits(page);
    }

    await engine.next(id, { type: "finished", at: new Date().toISOString(), outcome: "completed" });
    void state;
  });
}

// The demo data set as a new user sees it (issue 16 §2, issue 11 §4 and §7): long connector names and
// descriptions, running restores with their Cancel buttons. At every desktop width the actions of every
// row stay inside the window, the jobs come first, and an open report fits.
for (const [width, height, colorScheme] of [
  [1024, 768, "light"],
  [1280, 900, "light"],
  [1366, 768, "dark"],
  [390, 844, "dark"],
] as const) {
  test(`With the demo data at ${width} px (${colorScheme}) every row's controls are in the window`, async ({
    newPage,
    path,
    engineDemo,
  }, testInfo) => {
    test.skip(testInfo.project.name !== "root", "the demo account is on the root server");
    for (const n of [1, 2]) {
      await runningRestore(
        engineDemo,
        uniqueId(`rs-demo-${width}-${n}`),
        "sharepoint-intranet",
        "Restore of the legal department's contract archive to its original location, keeping newer versions",
      );
    }
    const page = await newPage({ viewport: { width, height }, colorScheme, who: "d" });
    await page.goto(path("/jobs"));
    await expect(page.locator("table.jobs tr.job-row").first()).toBeVisible();
    await shoot(page, testInfo, `demo-${width}-${colorScheme}-list`);
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    const outside = await page.evaluate(() =>
      [...document.querySelectorAll("table.jobs tr.job-row .actions a")]
        .filter((a) => {
          const box = a.getBoundingClientRect();
          return box.right > window.innerWidth || box.left < 0;
        })
        .map((a) => a.getAttribute("aria-label") ?? a.textContent),
    );
    expect(outside).toEqual([]);
    expect(
      await page.locator("table.jobs tr.job-row .actions .button-danger").count(),
    ).toBeGreaterThanOrEqual(2);

    // The jobs come first: rows wholly inside the first screen.
    const above = await page.evaluate(
      () =>
        [...document.querySelectorAll("table.jobs tr.job-row")].filter((r) => {
          const box = r.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }).length,
    );
    if (width === 1280) expect(above).toBeGreaterThanOrEqual(15);
    if (width === 390) expect(above).toBeGreaterThanOrEqual(4);

    // A report with skipped items, open under its row, fits as well.
    await page.locator("table.jobs tr.job-row:has(.badge-incomplete) .report-toggle").first().click();
    await expect(page.locator("tr.report-row").first()).toBeVisible();
    await page.locator("tr.report-row").first().scrollIntoViewIfNeeded();
    await shoot(page, testInfo, `demo-${width}-${colorScheme}-report`);
    expect(await overflow(page)).toBeLessThanOrEqual(1);

    // And a filter panel, open.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator("#menu-connector summary").click();
    await expect(page.locator("#connector-options label").first()).toBeVisible();
    await shoot(page, testInfo, `demo-${width}-${colorScheme}-connector-panel`);
    expect(await overflow(page)).toBeLessThanOrEqual(1);
  });
}
