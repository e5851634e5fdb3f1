import { readFile } from "node:fs/promises";
import type { Download, Locator, Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { TRICKY_NAMES } from "./support/seed";
import { expect, reportToggle, rowOf, test } from "./support/session";

// The job report (issue 4): in place and as its own page, what it says for each kind of job, skipped
// items, expiry, the skipped-again view, the two CSV downloads, and the report without JavaScript.

/** One statistic's row of the report: its name, count and size. */
async function statistics(scope: Page | Locator) {
  return scope.locator("table.stats tbody tr").evaluateAll((rows) =>
    rows.map((r) => ({
      name: r.querySelector("th")?.textContent?.trim(),
      items: r.querySelector("td")?.textContent?.trim(),
      bytes: r.querySelector("td:last-child .sub")?.textContent?.trim(),
    })),
  );
}

/** The value of a fact (Job ID, Connector, Snapshot…) in the report. */
const fact = (scope: Page | Locator, name: string) =>
  scope.locator(`.facts > div:has(> dt:text-is("${name}")) > dd`);

const skippedRows = (page: Page) => page.locator("table.skipped-items tbody tr");

/** What a spreadsheet-safe CSV cell holds for a value: formulas and their smugglers start with '. */
const safeCell = (value: string) => (/^[=+\-@\t\r\n\0]/.test(value) ? `'${value}` : value);

async function readCsv(download: Download): Promise<{ text: string; records: Record<string, string>[] }> {
  const text = await readFile((await download.path())!, "utf8");
  const records = parse(text, { bom: true, columns: true, skip_empty_lines: false }) as Record<
    string,
    string
  >[];
  return { text, records };
}

test.beforeEach(async ({ page, signIn }) => {
  await signIn(page);
});

test.describe("the report in the list", () => {
  test("A report opens in place under its row and closes again", async ({ page }) => {
    const url = page.url();
    const toggle = reportToggle(page, "bk-tricky");
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    const reportId = (await toggle.getAttribute("aria-controls"))!;
    const report = page.locator(`#${reportId}`);
    await expect(report).toBeVisible();
    // Right under its own row.
    await expect(rowOf(page, "bk-tricky").locator("xpath=following-sibling::tr[1]")).toHaveAttribute(
      "id",
      reportId,
    );
    await expect(fact(report, "Job ID")).toHaveText("bk-tricky");
    await expect(report.getByRole("link", { name: /Open as page/ })).toBeVisible();
    expect(page.url()).toBe(url);

    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(page.locator(`#${reportId}`)).toHaveCount(0);

    // And again: it opens once, not twice.
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await expect(page.locator(`#${reportId}`)).toHaveCount(1);
  });

  test("The same report is its own page at /jobs/:id", async ({ page, path, state }) => {
    await reportToggle(page, "bk-tricky").click();
    await page
      .locator(".report-row")
      .getByRole("link", { name: /Open as page/ })
      .click();
    await expect(page).toHaveURL(new RegExp(`${path("/jobs/bk-tricky")}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Backup bk-tricky");
    await expect(fact(page, "Job ID")).toHaveText("bk-tricky");
    await expect(fact(page, "Service ID")).toHaveText(state.accounts.a.serviceId);
    // The connector's name is text, never markup.
    await expect(fact(page, "Connector")).toContainText('Finance, "Q4" <b>team</b>');
    await expect(fact(page, "Connector").locator("b")).toHaveCount(0);
    await expect(fact(page, "Type")).toHaveText("Backup");
    await expect(page.locator(".report-head .badge")).toContainText("Successful");
    await expect(page.locator(".support-text")).toContainText("Job ID: bk-tricky");
    await expect(page.locator(".support-text")).toContainText(`Service ID: ${state.accounts.a.serviceId}`);
  });

  test("Another account's job, and a job that does not exist, are not found", async ({ page, path }) => {
    // Account b has jobs rs-b-1 and bk-shared-1; account a sees its own bk-shared-1 only.
    expect((await page.goto(path("/jobs/rs-b-1")))?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Job not found");
    await page.goto(path("/jobs/bk-shared-1"));
    await expect(page.locator(".report-description")).toHaveText("Contoso nightly backup of mailboxes");
  });
});

test.describe("what the report says", () => {
  test("A backup's report shows Added, Removed and Skipped, sizes without folders", async ({
    page,
    path,
  }) => {
    await page.goto(path("/jobs/bk-tricky"));
    expect(await statistics(page)).toEqual([
      { name: "Added", items: "640", bytes: "640,000 bytes" },
      { name: "Removed", items: "3", bytes: "3,000 bytes" },
      // 72 items; the one folder among them has no size.
      { name: "Skipped", items: "72", bytes: "612,834 bytes" },
    ]);
    await expect(fact(page, "Snapshot")).toHaveText(/^snap-/);
    await expect(page.locator(".status-meaning")).not.toBeEmpty();
  });

  test("A restore's report shows Restored, Overwritten and Skipped", async ({ page, path }) => {
    await page.goto(path("/jobs/rs-done"));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Restore rs-done");
    expect(await statistics(page)).toEqual([
      { name: "Restored", items: "120", bytes: "1,200,000 bytes" },
      { name: "Overwritten", items: "8", bytes: "80,000 bytes" },
      { name: "Skipped", items: "0", bytes: "0 bytes" },
    ]);
    await expect(fact(page, "Scheduled")).toBeVisible();
    await expect(page.locator(".report-head .badge")).toContainText("Successful");
  });

  test("A failed Salesforce backup says why and what to do", async ({ page, path }) => {
    await page.goto(path("/jobs/bk-sf-limit"));
    await expect(page.locator(".report-head .badge")).toContainText("Unsuccessful");
    const reason = page.locator(".report-section.reason");
    await expect(reason.getByRole("heading")).toContainText("API request limit reached");
    await expect(reason.getByRole("heading")).toContainText("api_limit_reached");
    await expect(reason.locator(".todo")).toContainText("Raise the API quota");
    await expect(reason.locator(".todo")).toContainText("Raise the percentage of API requests");
    await expect(page.locator(".support-text")).toContainText("Reason code: api_limit_reached");
  });

  test("An aborted backup links to the new job the service scheduled", async ({ page, path, api }) => {
    const followUp = (await api.job("bk-aborted")).followUpJobId;
    expect(followUp).toBeTruthy();
    await page.goto(path("/jobs/bk-aborted"));
    const reason = page.locator(".report-section.reason");
    await expect(reason.getByRole("heading")).toContainText("Job stopped before it finished");
    await expect(reason).toContainText("the service has already scheduled a new backup");
    await reason.getByRole("link", { name: followUp! }).click();
    await expect(page).toHaveURL(new RegExp(`/jobs/${followUp}$`));
    await expect(fact(page, "Retry of")).toHaveText("bk-aborted");
    await expect(page.locator(".report-head .badge")).toContainText("Scheduled");
  });

  test("An incomplete backup says that its partial snapshot can be restored", async ({ page, path }) => {
    await page.goto(path("/jobs/bk-sf-partial"));
    await expect(page.locator(".report-head .badge")).toContainText("Incomplete");
    await expect(fact(page, "Snapshot")).toHaveText(
      "snap-partial-1 (partial): what was backed up before the job stopped can be restored.",
    );
    await expect(page.locator(".report-section.reason h3")).not.toBeEmpty();
    expect((await statistics(page))[0]).toEqual({ name: "Added", items: "420", bytes: "420,000 bytes" });
  });

  test("A PST download offers its file while the link is valid", async ({ page, path }) => {
    await page.goto(path("/jobs/dl-pst"));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("PST download dl-pst");
    const link = page.getByRole("link", { name: "Download the PST file (2.5 GB)" });
    await expect(link).toHaveAttribute("href", "https://downloads.example/anna.pst");
    await expect(page.getByText("Available until")).toBeVisible();
  });

  test("A service-cancelled backup says who cancelled it", async ({ page, path }) => {
    await page.goto(path("/jobs/bk-maintenance"));
    await expect(fact(page, "Cancelled by")).toHaveText("The service (maintenance)");
  });
});

test.describe("skipped items", () => {
  test("Skipped items are listed 50 at a time and by reason", async ({ page, path }) => {
    await page.goto(path("/jobs/bk-tricky"));
    const section = page.locator("section.skipped");
    await expect(section).toContainText("72 items");
    await expect(skippedRows(page)).toHaveCount(50);

    await section.getByRole("link", { name: "Next 50 →" }).click();
    await expect(skippedRows(page)).toHaveCount(22);
    await expect(section.getByRole("link", { name: "Next 50 →" })).toHaveCount(0);
    // The awkward names are shown as they are: text, never markup.
    const names = await section.locator(".item-name").allTextContents();
    for (const name of TRICKY_NAMES) expect(names).toContain(name);
    await expect(page.locator("table.skipped-items script")).toHaveCount(0);
    // A folder has no size.
    const folder = skippedRows(page).filter({ hasText: "Line one" });
    await expect(folder.locator("td").nth(1)).toHaveText("Folder");
    await expect(folder.locator("td").nth(2)).toHaveText("—");

    await section.getByRole("link", { name: "First page" }).click();
    await expect(skippedRows(page)).toHaveCount(50);

    const refused = section.getByRole("link", { name: /^Request refused/ });
    await expect(refused).toContainText("20");
    await refused.click();
    await expect(skippedRows(page)).toHaveCount(20);
    await expect(section.getByRole("link", { name: /^Request refused/ })).toHaveAttribute(
      "aria-current",
      "true",
    );
    for (const reason of await skippedRows(page).locator("td:nth-child(4)").allTextContents()) {
      expect(reason).toBe("Request refused");
    }
    await section.getByRole("link", { name: /^Throttled by the service/ }).click();
    await expect(skippedRows(page)).toHaveCount(44);
    await section.getByRole("link", { name: "All reasons" }).click();
    await expect(skippedRows(page)).toHaveCount(50);
  });

  test("An old job's skipped-items report says since when it expired", async ({ page, path }) => {
    await page.goto(path("/jobs/bk-old"));
    const section = page.locator("section.skipped");
    await expect(section).toContainText(/Skipped-items report expired on \d{1,2} \w{3} \d{4}\./);
    await expect(section.getByRole("link", { name: "Download CSV" })).toHaveCount(0);
    await expect(skippedRows(page)).toHaveCount(0);
    // The counts stay.
    expect((await statistics(page))[2]).toMatchObject({ name: "Skipped", items: "1" });

    const response = await page.goto(path("/jobs/bk-old/skipped.csv"));
    expect(response?.status()).toBe(410);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Skipped-items report expired");
  });

  test("Items skipped by several backups in a row are listed with their streak", async ({ page, path }) => {
    await page.goto(path("/jobs/bk-m365-d1"));
    const overlap = page.locator(".overlap");
    await expect(overlap).toContainText("2 of these were also skipped by the previous backup");
    await expect(overlap.getByRole("link", { name: "bk-m365-d2" })).toBeVisible();
    await overlap.getByRole("link", { name: "See items skipped again and again" }).click();

    await expect(page).toHaveURL(/\/connectors\/m365\/skipped$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Items skipped again and again");
    const rows = page.locator("table.skipped-again tbody tr");
    for (const name of ["Shared mailbox calendar", "Archive folder"]) {
      const row = rows.filter({ has: page.locator(".item-name", { hasText: name }) });
      await expect(row).toHaveCount(1);
      await expect(row.locator("td.num strong")).toHaveText("3");
      // The newest backup of the connector (bk-shared-1) got them, so the streak has ended.
      await expect(row.locator("td.num")).not.toContainText("still skipped");
    }
    await expect(rows.filter({ hasText: "Old item" })).toHaveCount(0);
  });
});

test.describe("downloads", () => {
  test("The job list CSV holds every matching job, not one page", async ({ page, path, api, state }) => {
    await page.goto(path("/jobs?size=25"));
    const downloading = page.waitForEvent("download");
    await page.locator(".toolbar").getByRole("link", { name: "Download CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^jobs_${state.accounts.a.serviceId}_\\d{4}-\\d{2}-\\d{2}\\.csv$`),
    );
    const { text, records } = await readCsv(download);
    expect(text.startsWith("\uFEFF")).toBe(true);
    const jobs = await api.list();
    expect(records.map((r) => r["Job ID"])).toEqual(jobs.map((j) => j.id));
    for (const [i, job] of jobs.entries()) {
      const r = records[i]!;
      expect(r["Connector ID"]).toBe(job.connectorId);
      expect(r.Type).toBe(job.type);
      expect(r.Status).toBe(job.status);
      expect(r["Scheduled (UTC)"]).toBe(job.scheduledAt ?? "");
      expect(r["Started (UTC)"]).toBe(job.startedAt ?? "");
      expect(r["Ended (UTC)"]).toBe(job.endedAt ?? "");
      expect(r.Description).toBe(safeCell(job.description));
    }
    const tricky = records.find((r) => r["Job ID"] === "bk-tricky")!;
    expect(tricky).toMatchObject({
      Connector: 'Finance, "Q4" <b>team</b>',
      "Connector kind": "onedrive",
      "Added items": "640",
      "Added bytes": "640000",
      "Skipped items": "72",
      "Skipped bytes": "612834",
      "Duration (seconds)": "1500",
    });
    const limited = records.find((r) => r["Job ID"] === "bk-sf-limit")!;
    expect(limited).toMatchObject({
      "Reason code": "api_limit_reached",
      Reason: "API request limit reached",
    });
  });

  test("The filtered job list CSV holds the filtered jobs", async ({ page, path, api }) => {
    await page.goto(path("/jobs?connector=sf"));
    const downloading = page.waitForEvent("download");
    await page.locator(".toolbar").getByRole("link", { name: "Download CSV" }).click();
    const { records } = await readCsv(await downloading);
    expect(records.map((r) => r["Job ID"])).toEqual((await api.list("connector=sf")).map((j) => j.id));
    expect(new Set(records.map((r) => r.Connector))).toEqual(new Set(["Contoso Salesforce"]));
  });

  test("A job's skipped-items CSV holds every item, tricky names intact and formulas defused", async ({
    page,
    path,
  }) => {
    await page.goto(path("/jobs/bk-tricky"));
    const downloading = page.waitForEvent("download");
    await page.locator("section.skipped").getByRole("link", { name: "Download CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^skipped-items_.*bk-tricky.*\.csv$/);
    const { text, records } = await readCsv(download);
    expect(text.startsWith("\uFEFF")).toBe(true);
    expect(records).toHaveLength(72);
    expect(Object.keys(records[0]!)).toEqual([
      "Job ID",
      "Connector",
      "Item key",
      "Name",
      "Path",
      "Kind",
      "Size (bytes)",
      "Reason",
    ]);
    for (const [i, name] of TRICKY_NAMES.entries()) {
      const key = `tricky-${String(i).padStart(2, "0")}`;
      const record = records.find((r) => r["Item key"] === key);
      expect(record, key).toBeDefined();
      expect(record).toEqual({
        "Job ID": "bk-tricky",
        Connector: 'Finance, "Q4" <b>team</b>',
        "Item key": key,
        Name: safeCell(name),
        Path: i % 2 ? `/finance/${name}` : "",
        Kind: i === 2 ? "folder" : "file",
        "Size (bytes)": i === 2 ? "" : String(1000 + i),
        Reason: i % 3 === 0 ? "throttled" : "api_error",
      });
    }
    // Every formula payload is defused.
    for (const r of records) expect(r.Name).not.toMatch(/^[=+\-@\t\r\n\0]/);
    expect(records.filter((r) => r["Item key"]?.startsWith("many-"))).toHaveLength(60);
  });
});

test.describe("without JavaScript", () => {
  test("The report works with JavaScript disabled", async ({ newPage, path }) => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(path("/jobs"));
    await reportToggle(page, "bk-tricky").click();
    await expect(page).toHaveURL(new RegExp(`${path("/jobs/bk-tricky")}$`));
    expect((await statistics(page)).map((s) => s.name)).toEqual(["Added", "Removed", "Skipped"]);
    await expect(skippedRows(page)).toHaveCount(50);

    const section = page.locator("section.skipped");
    await section.getByRole("link", { name: "Next 50 →" }).click();
    await expect(page).toHaveURL(/[?&]after=/);
    await expect(skippedRows(page)).toHaveCount(22);

    await section.getByRole("link", { name: /^Request refused/ }).click();
    await expect(page).toHaveURL(/[?&]reason=bad_request/);
    await expect(skippedRows(page)).toHaveCount(20);

    const downloading = page.waitForEvent("download");
    await section.getByRole("link", { name: "Download CSV" }).click();
    const { records } = await readCsv(await downloading);
    expect(records).toHaveLength(72);

    await page.goto(path("/jobs/bk-aborted"));
    await expect(page.locator(".report-section.reason")).toContainText("Job stopped before it finished");
  });
});
