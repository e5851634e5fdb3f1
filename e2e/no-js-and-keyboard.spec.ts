import type { Page } from "@playwright/test";
import { choose, chosen, menuField } from "./support/filters";
import { column, expect, jobRows, reportToggle, shownIds, test } from "./support/session";

// The whole flow (filter → page → report) without JavaScript, and the same flow with the keyboard alone
// (issue 3, items 3, 9 and the tests it asks for).

const field = (page: Page, name: string) => page.getByLabel(name, { exact: true });

/** Presses Tab until the focused element matches the selector; fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 80) {
  for (let i = 0; i < max; i += 1) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Whether the focused element shows that it has focus (an outline or a focus ring). */
async function focusVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== "none";
  });
}

async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      !document.querySelector(
        "#filters.htmx-request, #q.htmx-request, .htmx-request, .htmx-swapping, .htmx-settling",
      ),
  );
}

test("Without JavaScript: filter, page and open a report with plain links and forms", async ({
  newPage,
  path,
  api,
}) => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.goto(path("/jobs"));
  await expect(page.locator("html")).not.toHaveClass(/htmx/);

  // Search, submitted with Enter.
  await field(page, "Search").fill("zebracorn");
  await field(page, "Search").press("Enter");
  await expect(page).toHaveURL(/[?&]q=zebracorn(&|$)/);
  expect(await shownIds(page)).toContain("bk-aborted");

  // Filters, submitted with the button.
  await page.getByRole("link", { name: "Clear filters" }).click();
  await choose(page, "Type", "backup");
  await (await menuField(page, "Rows a page")).selectOption("25");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]type=backup(&|$)/);
  await expect(page).toHaveURL(/[?&]size=25(&|$)/);
  const backups = (await api.list("type=backup")).map((j) => j.id);
  expect(backups.length).toBeGreaterThan(25);
  await expect(page.locator(".range")).toHaveText(`1–25 of ${backups.length} jobs`);
  const first = await shownIds(page);
  expect(first).toEqual(backups.slice(0, 25));

  // Next page: a real URL.
  await page.getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL(/[?&]cursor=/);
  await expect(page.locator(".range")).toHaveText(
    `26–${Math.min(50, backups.length)} of ${backups.length} jobs`,
  );
  const second = await shownIds(page);
  expect(second).toEqual(backups.slice(25, 50));
  expect(new Set(await column(page, "Type"))).toEqual(new Set(["Backup"]));
  expect(await chosen(page, "Type")).toEqual(["backup"]);

  // A status count is a plain link too.
  const secondUrl = page.url();
  await page
    .getByRole("navigation", { name: "Job counts" })
    .getByRole("link", { name: /^Unsuccessful:/ })
    .click();
  await expect(page).toHaveURL(/[?&]status=unsuccessful(&|$)/);
  expect(await shownIds(page)).toEqual(expect.arrayContaining(["bk-sf-limit", "bk-aborted"]));
  await page.goto(secondUrl);

  // The report of a job on that page.
  const id = second[0]!;
  await reportToggle(page, id).click();
  await expect(page).toHaveURL(new RegExp(`${path(`/jobs/${id}`)}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Backup ${id}`);
  await expect(page.locator("table.stats th[scope=row]").first()).toHaveText("Added");
  await page.goBack();
  await expect(page).toHaveURL(secondUrl);
  expect(await shownIds(page)).toEqual(second);

  // And back to the first page.
  await page.getByRole("link", { name: "← Previous" }).click();
  expect(await shownIds(page)).toEqual(first);
});

test("With the keyboard alone: /, Escape, Tab and Enter filter, page and open a report", async ({
  page,
  signIn,
  api,
}) => {
  await signIn(page);

  // "/" jumps to Search; Escape empties it again and the list follows.
  const all = await shownIds(page);
  await page.keyboard.press("/");
  await expect(field(page, "Search")).toBeFocused();
  await page.keyboard.type("zebracorn");
  await expect.poll(async () => (await shownIds(page)).length).toBeLessThan(all.length);
  await settled(page);
  expect(await shownIds(page)).toContain("bk-aborted");
  await page.keyboard.press("Escape");
  await expect(field(page, "Search")).toHaveValue("");
  await expect(field(page, "Search")).toBeFocused();
  await expect.poll(() => shownIds(page)).toEqual(all);
  await settled(page);

  // Tab to the Type menu and open it with Enter; tick Backup with Space; Escape closes the menu and
  // leaves focus on its button. The same for Rows a page in the View menu; then Apply filters, Enter.
  await tabTo(page, "#menu-type summary");
  await page.keyboard.press("Enter");
  await tabTo(page, '#menu-type input[value="backup"]');
  await page.keyboard.press("Space");
  expect(await chosen(page, "Type")).toEqual(["backup"]);
  await page.keyboard.press("Escape");
  await expect(page.locator("#menu-type summary")).toBeFocused();
  await expect(page.locator("#menu-type")).not.toHaveAttribute("open", "");
  await tabTo(page, "#menu-view summary");
  await page.keyboard.press("Enter");
  await tabTo(page, "#size");
  await page.keyboard.press("ArrowUp");
  await expect(field(page, "Rows a page")).toHaveValue("25");
  await page.keyboard.press("Escape");
  await tabTo(page, "#filters button[type=submit]");
  expect(await focusVisible(page)).toBe(true);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]type=backup(&|$)/);
  await expect(page).toHaveURL(/[?&]size=25(&|$)/);
  await settled(page);
  const backups = (await api.list("type=backup")).map((j) => j.id);
  await expect.poll(() => shownIds(page)).toEqual(backups.slice(0, 25));

  // Follow Next.
  await tabTo(page, "a[rel=next]");
  expect(await focusVisible(page)).toBe(true);
  await page.keyboard.press("Enter");
  await expect(page.locator(".range")).toHaveText(/^26–/);
  await settled(page);
  const second = await shownIds(page);
  expect(second).toEqual(backups.slice(25, 50));
  // The link is gone with the old results; focus continues from the results.
  await expect(page.locator("#results")).toBeFocused();

  // Open a report.
  await tabTo(page, "table.jobs .report-toggle");
  const toggle = reportToggle(page, second[0]!);
  await expect(toggle).toBeFocused();
  expect(await focusVisible(page)).toBe(true);
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  const report = page.locator(`#${await toggle.getAttribute("aria-controls")}`);
  await expect(report).toContainText(second[0]!);
  await expect(toggle).toBeFocused();
  // And close it again.
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(report).toHaveCount(0);
  await expect(jobRows(page)).toHaveCount(second.length);
});

test("A skip link leads past the filters to the results", async ({ page, signIn }) => {
  await signIn(page);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to results" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await expect(skip).toHaveAttribute("href", "#results");
  await page.keyboard.press("Enter");
  await expect(page.locator("#results")).toBeFocused();
  // The next Tab goes on inside the results, not back to the filters.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest("#results")))).toBe(true);
});
