import type { Page, Response } from "@playwright/test";
import { choose, chosen, menuField } from "./support/filters";
import { uniqueId } from "./support/fixtures";
import {
  cellOf,
  column,
  expect,
  jobRows,
  localDay,
  rowOf,
  runningRestore,
  shownIds,
  startTimes,
  statuses,
  test,
} from "./support/session";

// The Job Monitor page (issue 3): filters alone and together, the URL, the status summary, search while
// typing, history, keyset paging, order, the per-connector view, validation, refresh and problem rows.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const field = (page: Page, name: string) => page.getByLabel(name, { exact: true });

/** Waits until no filter request is running and the results have settled. */
async function settled(page: Page) {
  await page.waitForFunction(
    () => !document.querySelector("#filters.htmx-request, #q.htmx-request, .htmx-swapping, .htmx-settling"),
  );
}

/** Clicks "Apply filters" and waits for the results that answer it. */
async function applyFilters(page: Page): Promise<Response> {
  const answer = page.waitForResponse((r) => r.request().headers()["hx-target"] === "results");
  await page.getByRole("button", { name: "Apply filters" }).click();
  const response = await answer;
  await settled(page);
  return response;
}

test.beforeEach(async ({ page, signIn }) => {
  await signIn(page);
});

test.describe("filters", () => {
  test("Search alone finds jobs by description, job ID and connector name", async ({ page }) => {
    await field(page, "Search").fill("zebracorn");
    await applyFilters(page);
    await expect(page).toHaveURL(/[?&]q=zebracorn(&|$)/);
    const ids = await shownIds(page);
    expect(ids).toContain("bk-aborted");
    for (const text of await column(page, "Description")) expect(text).toMatch(/zebracorn/i);

    await field(page, "Search").fill("bk-sf-partial");
    await applyFilters(page);
    expect(await shownIds(page)).toEqual(["bk-sf-partial"]);

    await field(page, "Search").fill("Salesforce");
    await applyFilters(page);
    expect(new Set(await column(page, "Connector"))).toEqual(new Set(["Contoso Salesforce"]));
    expect(await shownIds(page)).toEqual(expect.arrayContaining(["bk-sf-partial", "bk-sf-limit"]));
  });

  test("Connector alone lists only that connector's jobs", async ({ page }) => {
    await choose(page, "Connector", "sf");
    await applyFilters(page);
    await expect(page).toHaveURL(/[?&]connector=sf(&|$)/);
    expect(new Set(await column(page, "Connector"))).toEqual(new Set(["Contoso Salesforce"]));
    expect(await shownIds(page)).toEqual(expect.arrayContaining(["bk-sf-partial", "bk-sf-limit"]));
  });

  test("Status alone lists only jobs in that status", async ({ page }) => {
    await choose(page, "Status", "unsuccessful");
    await applyFilters(page);
    await expect(page).toHaveURL(/[?&]status=unsuccessful(&|$)/);
    expect(new Set(await statuses(page))).toEqual(new Set(["Unsuccessful"]));
    expect(await shownIds(page)).toEqual(
      expect.arrayContaining(["bk-sf-limit", "bk-aborted", "dl-zip-failed", "rs-all-skipped"]),
    );
  });

  test("Type alone lists only that type, and item restores are not restores", async ({ page }) => {
    await choose(page, "Type", "restore");
    await applyFilters(page);
    await expect(page).toHaveURL(/[?&]type=restore(&|$)/);
    expect(new Set(await column(page, "Type"))).toEqual(new Set(["Restore"]));
    const ids = await shownIds(page);
    expect(ids).toEqual(expect.arrayContaining(["rs-done", "rs-partial", "rs-scheduled"]));
    expect(ids).not.toContain("ir-running");

    await choose(page, "Type", "pst_download");
    await applyFilters(page);
    expect(new Set(await column(page, "Type"))).toEqual(new Set(["PST download"]));
    expect(await shownIds(page)).toContain("dl-pst");
  });

  test("Time span alone lists only jobs that started within it", async ({ page }) => {
    const before = Date.now();
    await choose(page, "Time span", { label: "Last 24 hours" });
    await applyFilters(page);
    await expect(page).toHaveURL(/[?&]span=24h(&|$)/);
    const ids = await shownIds(page);
    expect(ids).toEqual(expect.arrayContaining(["bk-tricky", "bk-aborted", "ir-running"]));
    // Started 26 and 40 days ago respectively.
    expect(ids).not.toContain("bk-sf-limit");
    expect(ids).not.toContain("bk-old");
    for (const t of await startTimes(page)) expect(t.getTime()).toBeGreaterThanOrEqual(before - DAY - 60_000);
  });

  test("Start date and End date alone list only the jobs of those days", async ({ page }) => {
    const from = localDay(new Date(Date.now() - 4 * DAY));
    const to = localDay(new Date(Date.now() - 3 * DAY));
    await (await menuField(page, "Start date")).fill(from);
    await (await menuField(page, "End date")).fill(to);
    // Picking a date makes the time span a custom one.
    await expect.poll(() => chosen(page, "Time span")).toEqual(["custom"]);
    await applyFilters(page);
    await expect(page).toHaveURL(new RegExp(`[?&]from=${from}(&|$)`));
    await expect(page).toHaveURL(new RegExp(`[?&]to=${to}(&|$)`));
    const times = await startTimes(page);
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect(times).toHaveLength(await jobRows(page).count());
    for (const t of times) {
      expect(localDay(t) >= from && localDay(t) <= to, `${t.toISOString()} in ${from}…${to}`).toBe(true);
    }
  });

  test("Filters combine, the URL holds them, and a reload shows the same", async ({ page }) => {
    await field(page, "Search").fill("team sites");
    await choose(page, "Connector", "sp");
    await choose(page, "Status", ["successful", "unsuccessful"]);
    await choose(page, "Type", "backup");
    await choose(page, "Time span", "7d");
    await applyFilters(page);

    const url = new URL(page.url());
    expect(url.searchParams.get("q")).toBe("team sites");
    expect(url.searchParams.getAll("connector")).toEqual(["sp"]);
    expect(url.searchParams.getAll("status")).toEqual(["successful", "unsuccessful"]);
    expect(url.searchParams.getAll("type")).toEqual(["backup"]);
    expect(url.searchParams.get("span")).toBe("7d");

    const ids = await shownIds(page);
    expect(ids).toEqual(expect.arrayContaining(["bk-aborted", "bk-nothing-new", "bk-sp-d1"]));
    expect(ids).not.toContain("bk-sp-d10"); // ten days ago
    expect(new Set(await column(page, "Connector"))).toEqual(new Set(["Contoso SharePoint"]));
    expect(new Set(await column(page, "Type"))).toEqual(new Set(["Backup"]));
    for (const s of await statuses(page)) expect(["Successful", "Unsuccessful"]).toContain(s);
    const range = await page.locator(".range").textContent();

    await page.reload();
    expect(await shownIds(page)).toEqual(ids);
    await expect(page.locator(".range")).toHaveText(range!);
    await expect(field(page, "Search")).toHaveValue("team sites");
    expect(await chosen(page, "Connector")).toEqual(["sp"]);
    expect(await chosen(page, "Status")).toEqual(["successful", "unsuccessful"]);
    expect(await chosen(page, "Type")).toEqual(["backup"]);
    expect(await chosen(page, "Time span")).toEqual(["7d"]);
  });

  test("Clear filters shows every job again", async ({ page, path }) => {
    await page.goto(path("/jobs?status=cancelled&type=backup"));
    expect(new Set(await statuses(page))).toEqual(new Set(["Cancelled"]));
    await page.getByRole("link", { name: "Clear filters" }).click();
    await expect(page).toHaveURL((u) => u.pathname.endsWith("/jobs") && u.search === "");
    expect(await chosen(page, "Status")).toEqual([]);
    expect(new Set(await statuses(page)).size).toBeGreaterThan(2);
  });

  test("Each status count in the summary is a link that filters by that status", async ({ page }) => {
    const summary = page.getByRole("navigation", { name: "Job counts" });
    const incomplete = summary.getByRole("link", { name: /^Incomplete: \d+ jobs?\. Show only these\.$/ });
    const count = Number(await incomplete.locator(".count").textContent());
    expect(count).toBeGreaterThanOrEqual(2);
    await incomplete.click();
    await expect(page).toHaveURL(/[?&]status=incomplete(&|$)/);
    await settled(page);
    await expect(jobRows(page)).toHaveCount(count);
    expect(new Set(await statuses(page))).toEqual(new Set(["Incomplete"]));
    await expect(summary.getByRole("link", { name: /^Incomplete:/ })).toHaveAttribute("aria-current", "true");
    // The form says what the list shows, so that the next filter change keeps the status.
    expect(await chosen(page, "Status")).toEqual(["incomplete"]);
    await choose(page, "Type", "backup");
    await applyFilters(page);
    expect(new URL(page.url()).searchParams.getAll("status")).toEqual(["incomplete"]);
    expect(await shownIds(page)).toEqual(["bk-sf-partial"]);
  });

  test("Search applies while typing, without losing focus or the caret", async ({ page }) => {
    const search = field(page, "Search");
    const before = await shownIds(page);
    await search.click();
    await search.pressSequentially("zebra", { delay: 60 });
    await expect(page).toHaveURL(/[?&]q=zebra(&|$)/);
    await settled(page);
    await expect.poll(() => shownIds(page)).toContain("bk-aborted");
    expect(await shownIds(page)).not.toEqual(before);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("q");

    // Typing on after the results arrived: the text and the caret are where the user left them.
    await search.pressSequentially("corn", { delay: 60 });
    await expect(page).toHaveURL(/[?&]q=zebracorn(&|$)/);
    await settled(page);
    const caret = await page.evaluate(() => {
      const q = document.activeElement as HTMLInputElement;
      return { id: q.id, value: q.value, start: q.selectionStart, end: q.selectionEnd };
    });
    expect(caret).toEqual({ id: "q", value: "zebracorn", start: 9, end: 9 });
    for (const text of await column(page, "Description")) expect(text).toMatch(/zebracorn/i);
    await expect(page.locator("#announce")).toHaveText(/^\d+ jobs? found\.$/);
  });

  test("Back and Forward restore both the form and the results", async ({ page }) => {
    await choose(page, "Status", "unsuccessful");
    await applyFilters(page);
    const first = await shownIds(page);
    expect(first).toContain("dl-zip-failed");

    await choose(page, "Type", "backup");
    await applyFilters(page);
    const second = await shownIds(page);
    expect(second).not.toContain("dl-zip-failed");
    expect(second).toContain("bk-sf-limit");

    await page.goBack();
    await expect(page).not.toHaveURL(/type=backup/);
    await expect.poll(() => shownIds(page)).toEqual(first);
    await expect.poll(() => chosen(page, "Type")).toEqual([]);
    expect(await chosen(page, "Status")).toEqual(["unsuccessful"]);

    await page.goForward();
    await expect(page).toHaveURL(/type=backup/);
    await expect.poll(() => shownIds(page)).toEqual(second);
    await expect.poll(() => chosen(page, "Type")).toEqual(["backup"]);
    expect(await chosen(page, "Status")).toEqual(["unsuccessful"]);
  });
});

test.describe("paging and order", () => {
  test("Paging forward and back 25 at a time shows every job once while new jobs arrive", async ({
    page,
    path,
    engine,
    api,
  }) => {
    const expected = (await api.list()).map((j) => j.id);
    expect(expected.length, "enough jobs for two pages").toBeGreaterThan(25);
    await page.goto(path("/jobs?size=25"));
    await expect(field(page, "Rows a page")).toHaveValue("25");

    const pages: string[][] = [];
    const created: string[] = [];
    for (;;) {
      const ids = await shownIds(page);
      expect(ids.length).toBeLessThanOrEqual(25);
      pages.push(ids);
      // A job arrives between page loads.
      const id = uniqueId("new-while-paging");
      await engine.createJob({ id, connectorId: "sp", type: "restore", description: "Arrived while paging" });
      created.push(id);
      const next = page.getByRole("link", { name: "Next →" });
      if ((await next.count()) === 0) break;
      await next.click();
      await expect(page.locator(".range")).toHaveText(new RegExp(`^${pages.length * 25 + 1}–`));
      await settled(page);
    }
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const seen = pages.flat();
    expect(new Set(seen).size, "no job twice").toBe(seen.length);
    expect(seen, "every job, in order, none left out").toEqual(expected);

    // Back again to the top: every job once, now with the ones that arrived meanwhile.
    const now = (await api.list()).map((j) => j.id);
    const back: string[][] = [pages[pages.length - 1]!];
    const previous = page.getByRole("link", { name: "← Previous" });
    while ((await previous.count()) > 0) {
      const before = await shownIds(page);
      await previous.click();
      await expect.poll(() => shownIds(page)).not.toEqual(before);
      await settled(page);
      back.unshift(await shownIds(page));
    }
    // Back at the top, the first page is full again (it may repeat jobs of the page below it, which
    // moved down as new jobs arrived), and together the pages hold every job, none left out.
    for (const ids of back.slice(0, -1)) expect(ids).toHaveLength(25);
    await expect(page.locator(".range")).toHaveText(/^1–25 of/);
    expect(back[0], "the top page is the newest 25").toEqual(now.slice(0, 25));
    const all = back.flat();
    expect(new Set(all), "every job, none left out").toEqual(new Set(now));
    expect(all).toEqual(expect.arrayContaining(created));
  });

  test("Oldest first lists the oldest job first, in rising start order", async ({ page, path }) => {
    await (await menuField(page, "Order")).selectOption({ label: "Oldest first" });
    await applyFilters(page);
    await expect(page).toHaveURL(/[?&]order=oldest(&|$)/);
    expect((await shownIds(page))[0]).toBe("bk-old");
    const times = (await startTimes(page)).map((t) => t.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));

    await page.goto(path("/jobs?order=oldest&size=25"));
    expect((await shownIds(page))[0]).toBe("bk-old");
    await expect(page.locator("table.jobs")).toHaveAccessibleName(/oldest first/);
  });
});

test.describe("per-connector view", () => {
  test("The per-connector view names the connector and lists only its jobs", async ({ page, path }) => {
    await page.goto(path("/connectors/m365/jobs"));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Contoso Mail");
    expect(new Set(await column(page, "Connector"))).toEqual(new Set(["Contoso Mail"]));
    expect(await shownIds(page)).toEqual(expect.arrayContaining(["bk-m365-d1", "dl-pst", "ir-running"]));
    expect(await chosen(page, "Connector")).toEqual(["m365"]);

    // From the table: a connector's name leads to its view.
    await page.goto(path("/jobs"));
    await rowOf(page, "bk-sf-limit").getByRole("link", { name: "Contoso Salesforce" }).click();
    await expect(page).toHaveURL(/\/connectors\/sf\/jobs$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Contoso Salesforce");
  });

  test("An unknown connector, or another account's, gives a 404 page", async ({ page, path }) => {
    for (const id of ["no-such-connector", "gws"]) {
      const response = await page.goto(path(`/connectors/${id}/jobs`));
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Connector not found");
    }
  });
});

test.describe("validation", () => {
  type Case = {
    name: string;
    query: string;
    /** The field's id and accessible name; null for the page cursor, which has no field. */
    field: { id: string; label: string } | null;
    message: RegExp;
    kept: (page: Page) => Promise<void>;
  };
  const long = "x".repeat(201);
  const cases: Case[] = [
    {
      name: "an end date before the start date",
      query: "span=custom&from=2026-03-10&to=2026-03-01",
      field: { id: "to", label: "End date" },
      message: /The end date is before the start date\./,
      kept: async (page) => {
        await expect(field(page, "Start date")).toHaveValue("2026-03-10");
        await expect(field(page, "End date")).toHaveValue("2026-03-01");
      },
    },
    {
      name: "a start date that is not a date",
      query: "from=2026-02-30",
      field: { id: "from", label: "Start date" },
      message: /“2026-02-30” is not a day of the calendar\. Enter a real start date\./,
      // A date field cannot show what is not a date; the page still carries the input back.
      kept: async (page) => expect(field(page, "Start date")).toHaveAttribute("value", "2026-02-30"),
    },
    {
      name: "an end date in another format",
      query: "to=yesterday",
      field: { id: "to", label: "End date" },
      message: /Enter the end date as YYYY-MM-DD \(“yesterday” is not\)\./,
      kept: async (page) => expect(field(page, "End date")).toHaveAttribute("value", "yesterday"),
    },
    {
      name: "an unknown status",
      query: "status=bogus",
      field: { id: "status", label: "Status" },
      message: /Unknown status “bogus”/,
      kept: async (page) => expect(await chosen(page, "Status")).toEqual(["bogus"]),
    },
    {
      name: "an unknown type",
      query: "type=tape_backup",
      field: { id: "type", label: "Type" },
      message: /Unknown job type “tape_backup”/,
      kept: async (page) => expect(await chosen(page, "Type")).toEqual(["tape_backup"]),
    },
    {
      name: "an unknown connector",
      query: "connector=nowhere",
      field: { id: "connector", label: "Connector" },
      message: /There is no connector “nowhere”/,
      kept: async (page) => expect(await chosen(page, "Connector")).toEqual(["nowhere"]),
    },
    {
      name: "a search text over 200 characters",
      query: `q=${long}`,
      field: { id: "q", label: "Search" },
      message: /at most 200 characters/,
      kept: async (page) => expect(field(page, "Search")).toHaveValue(long),
    },
    {
      name: "a page size other than 25, 50 or 100",
      query: "size=30",
      field: { id: "size", label: "Rows a page" },
      message: /Rows a page must be 25, 50 or 100\./,
      kept: async (page) => expect(field(page, "Rows a page")).toHaveValue("30"),
    },
    {
      name: "a page cursor that is not valid",
      query: "type=backup&cursor=not-a-cursor",
      field: null,
      message: /This page link is not valid/,
      kept: async (page) => expect(await chosen(page, "Type")).toEqual(["backup"]),
    },
  ];

  for (const c of cases) {
    test(`${c.name} gets a message next to its field and a 400, keeping the input`, async ({
      page,
      path,
    }) => {
      const response = await page.goto(path(`/jobs?${c.query}`));
      expect(response?.status()).toBe(400);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Job Monitor");
      await expect(page.getByRole("alert")).toContainText(/filters? needs? fixing/);
      await expect(page.getByRole("alert")).toContainText(c.message);
      if (c.field) {
        // The message stands under the filter bar, and the menu holding the field is marked.
        const control = page.locator(`#${c.field.id}`);
        await expect(page.locator(`#error-${c.field.id}`)).toHaveText(c.message);
        if (c.field.id !== "q") {
          await expect(page.locator(".filter-menu", { has: control })).toHaveAttribute(
            "data-invalid",
            "true",
          );
        }
        await expect(control).toHaveAttribute("aria-invalid", "true");
        await expect(control).toHaveAccessibleDescription(c.message);
      } else {
        await expect(page.locator("#error-cursor")).toHaveText(c.message);
      }
      await expect(jobRows(page)).toHaveCount(0);
      await c.kept(page);
    });
  }

  test("a filter fixed after an error lists jobs again and drops the message", async ({ page }) => {
    await (await menuField(page, "Start date")).fill("2026-03-10");
    await (await menuField(page, "End date")).fill("2026-03-01");
    const response = await applyFilters(page);
    expect(response.status()).toBe(400);
    const message = page.locator("#error-to");
    await expect(message).toHaveText("The end date is before the start date.");
    await expect(page.locator("#menu-time")).toHaveAttribute("data-invalid", "true");
    await expect(field(page, "End date")).toHaveAttribute("aria-invalid", "true");
    await expect(field(page, "Start date")).toHaveValue("2026-03-10");
    await expect(field(page, "End date")).toHaveValue("2026-03-01");

    await (await menuField(page, "End date")).fill(localDay(new Date()));
    await (await menuField(page, "Start date")).fill(localDay(new Date(Date.now() - 2 * DAY)));
    expect((await applyFilters(page)).status()).toBe(200);
    await expect(message).toBeEmpty();
    await expect(field(page, "End date")).not.toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#menu-time")).not.toHaveAttribute("data-invalid");
    await expect(jobRows(page).first()).toBeVisible();
  });
});

test.describe("refresh", () => {
  test("A running job's row shows the engine's progress and stops polling once finished", async ({
    page,
    path,
    engine,
  }) => {
    const id = uniqueId("rs-progress");
    await runningRestore(engine, id, "m365");
    await page.goto(path(`/jobs?q=${id}`));
    const row = rowOf(page, id);
    await expect(row.locator(".badge")).toContainText("In progress");
    await expect(row).toHaveAttribute("hx-trigger", /load delay:2s/);
    // The summary line says how much so far.
    const items = await cellOf(row, "Description");
    await expect(items).toContainText("0 items");

    const progress = await engine.next(id, {
      type: "progress",
      at: new Date().toISOString(),
      stats: { restored: { items: 42, bytes: 42_000 } },
    });
    expect(progress.status).toBe(200);
    await expect(items).toContainText("42 items");

    const finished = await engine.next(id, {
      type: "finished",
      at: new Date().toISOString(),
      outcome: "completed",
      stats: { restored: { items: 57, bytes: 57_000 } },
    });
    expect(finished.status).toBe(200);
    await expect(row.locator(".badge")).toContainText("Successful");
    await expect(items).toContainText("57 items");
    await expect(row).not.toHaveAttribute("hx-trigger");
    await expect(row).not.toHaveAttribute("hx-get");

    // And it asks no more: nothing for this row over more than one refresh interval.
    let asked = 0;
    page.on("request", (r) => {
      if (r.url().includes(`/jobs/${id}?part=row`)) asked += 1;
    });
    await page.waitForTimeout(2_500);
    expect(asked).toBe(0);
  });

  test("New jobs are announced as “N new jobs — show” instead of shifting the rows", async ({
    page,
    engine,
  }) => {
    const before = await shownIds(page);
    const id = uniqueId("rs-announced");
    await engine.createJob({
      id,
      connectorId: "sp",
      type: "restore",
      description: "A job that arrives later",
    });

    const notice = page.locator("#new-jobs");
    await expect(notice.getByRole("link")).toHaveText("1 new job — show", { timeout: 15_000 });
    expect(await shownIds(page)).toEqual(before);
    await expect(page.locator("#updated-at time")).toHaveAttribute("datetime", /Z$/);

    await notice.getByRole("link").click();
    await expect(rowOf(page, id)).toBeVisible();
    await expect(notice.getByRole("link")).toHaveCount(0);
  });

  test("Problem rows are highlighted and say so in text", async ({ page }) => {
    const problem = rowOf(page, "bk-sf-limit");
    const fine = rowOf(page, "bk-tricky");
    await expect(problem).toHaveClass(/\bproblem\b/);
    await expect(await cellOf(problem, "Status")).toHaveText(/Unsuccessful\s*\(needs attention\)/);
    await expect(await cellOf(rowOf(page, "bk-sf-partial"), "Status")).toContainText(
      "Incomplete (needs attention)",
    );
    await expect(await cellOf(rowOf(page, "bk-maintenance"), "Status")).toContainText(
      "Cancelled (needs attention)",
    );
    await expect(fine).not.toHaveClass(/\bproblem\b/);
    await expect(fine).not.toContainText("needs attention");
    // Not by colour alone, but by colour as well: a marked edge that other rows do not have.
    const edge = (row: typeof fine) =>
      row
        .locator("td")
        .first()
        .evaluate((td) => getComputedStyle(td).boxShadow);
    expect(await edge(problem)).not.toBe("none");
    expect(await edge(fine)).toBe("none");
    // And an icon beside the word (drawn by the stylesheet).
    const icon = await problem
      .locator(".badge")
      .evaluate((b) => getComputedStyle(b, "::before").getPropertyValue("mask-image"));
    expect(icon).toMatch(/^url\("data:image\/svg\+xml/);
  });
});
