import type { BrowserContext, BrowserContextOptions, Locator, Page } from "@playwright/test";
import { test as base, expect, type Who } from "./fixtures";

// What the specs share on top of the harness's fixtures:
// - signing in once per server and user and reusing that session: sign-in is throttled per IP (30 tries
//   in 10 minutes), and a suite that signs in for every test would trip it;
// - contexts of their own (JavaScript off, another viewport) that start signed in;
// - read access to the engine API, to compare pages with what the service holds.

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;
const sessions = new Map<string, StorageState>();

export const TIME_ZONE = "Europe/Copenhagen";

export type ApiJob = {
  id: string;
  connectorId: string;
  type: string;
  status: string;
  description: string;
  scheduledAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  cancelRequested: boolean;
  followUpJobId: string | null;
};

type Extra = {
  /** A signed-in page of a new context (JavaScript off, another viewport…), closed after the test. */
  newPage: (options?: BrowserContextOptions & { who?: Who | null }) => Promise<Page>;
  api: {
    /** Every job matching the query (all pages), newest first unless the query says otherwise. */
    list(query?: string): Promise<ApiJob[]>;
    job(id: string): Promise<ApiJob>;
  };
};

export const test = base.extend<Extra>({
  signIn: async ({ signIn, baseURL, path }, use) => {
    await use(async (page: Page, who: Who = "a") => {
      const key = `${baseURL}|${who}`;
      const saved = sessions.get(key);
      if (saved) {
        await page.context().addCookies(saved.cookies);
        await page.goto(path("/jobs"));
        await expect(page).toHaveURL(/\/jobs/);
        return;
      }
      // The browser's time zone, as app.js would report it: no reload on the first page of each test.
      await page
        .context()
        .addCookies([{ name: "jm_tz", value: TIME_ZONE, domain: new URL(baseURL!).hostname, path: "/" }]);
      await signIn(page, who);
      sessions.set(key, await page.context().storageState());
    });
  },

  newPage: async ({ browser, baseURL, timezoneId, locale, signIn, consoleCheck }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async ({ who = "a", ...options } = {}) => {
      const context = await browser.newContext({ baseURL, timezoneId, locale, ...options });
      contexts.push(context);
      await consoleCheck.watch(context);
      const page = await context.newPage();
      if (who) {
        const key = `${baseURL}|${who}`;
        if (!sessions.has(key)) {
          // Sign in once with JavaScript so that the session is cached, then reuse it here.
          const helper = await browser.newContext({ baseURL, timezoneId, locale });
          contexts.push(helper);
          await consoleCheck.watch(helper);
          await signIn(await helper.newPage(), who);
        }
        await context.addCookies(sessions.get(key)!.cookies);
      } else {
        await context.addCookies([
          { name: "jm_tz", value: TIME_ZONE, domain: new URL(baseURL!).hostname, path: "/" },
        ]);
      }
      return page;
    });
    for (const context of contexts) await context.close();
  },

  api: async ({ request, baseURL, state }, use) => {
    const root = `${new URL(baseURL!).origin}${state.basePath}/api/v1`;
    const headers = { authorization: `Bearer ${state.accounts.a.token}` };
    await use({
      async list(query = "") {
        const jobs: ApiJob[] = [];
        let cursor: string | null = null;
        do {
          const params = new URLSearchParams(query);
          params.set("size", "100");
          if (cursor) params.set("cursor", cursor);
          const res = await request.get(`${root}/jobs?${params}`, { headers });
          expect(res.status(), await res.text()).toBe(200);
          const body = (await res.json()) as { jobs: ApiJob[]; nextCursor: string | null };
          jobs.push(...body.jobs);
          cursor = body.nextCursor;
        } while (cursor);
        return jobs;
      },
      async job(id) {
        const res = await request.get(`${root}/jobs/${encodeURIComponent(id)}`, { headers });
        expect(res.status(), await res.text()).toBe(200);
        return ((await res.json()) as { job: ApiJob }).job;
      },
    });
  },
});

export { expect };

/** The job rows of the Job Monitor table. */
export const jobRows = (page: Page) => page.locator("table.jobs > tbody > tr.job-row");

/** One job's row, by its job ID. */
export const rowOf = (page: Page, id: string) =>
  page.locator(`table.jobs > tbody > tr.job-row[data-job-id="${id}"]`);

/** The job IDs of the rows on the page, top to bottom. */
export async function shownIds(page: Page): Promise<string[]> {
  return jobRows(page).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.jobId ?? ""));
}

/**
 * The position (1-based) of a column of the job table, found by its header's text, so that a test reads a
 * cell by the name an admin (or a screen reader) gives its column.
 */
async function columnIndex(page: Page, label: string): Promise<number> {
  const headers = await page
    .locator("table.jobs > thead > tr > th")
    .evaluateAll((cells) => cells.map((c) => (c.textContent ?? "").replace(/\s+/g, " ").trim()));
  const index = headers.indexOf(label);
  if (index < 0) throw new Error(`The job table has no column "${label}"; it has ${headers.join(", ")}`);
  return index + 1;
}

/** One cell of a job row, by its column's header text. */
export async function cellOf(row: Locator, label: string): Promise<Locator> {
  return row.locator(`:scope > td:nth-child(${await columnIndex(row.page(), label)})`);
}

/** The text of one column (by its header) in every row. */
export async function column(page: Page, label: string): Promise<string[]> {
  return jobRows(page)
    .locator(`:scope > td:nth-child(${await columnIndex(page, label)})`)
    .evaluateAll((cells) => cells.map((c) => (c.textContent ?? "").replace(/\s+/g, " ").trim()));
}

/** The status of every row, as its badge says it (without the screen-reader suffix). */
export async function statuses(page: Page): Promise<string[]> {
  return jobRows(page)
    .locator(`:scope > td:nth-child(${await columnIndex(page, "Status")}) .badge`)
    .evaluateAll((badges) =>
      badges.map((b) =>
        [...b.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent)
          .join("")
          .trim(),
      ),
    );
}

/** The start (or, before it starts, the scheduled) time of every row that has one. */
export async function startTimes(page: Page): Promise<Date[]> {
  const values = await jobRows(page)
    .locator(`:scope > td:nth-child(${await columnIndex(page, "Started")})`)
    .evaluateAll((cells) => cells.map((c) => c.querySelector("time")?.getAttribute("datetime") ?? ""));
  return values.filter(Boolean).map((v) => new Date(v));
}

/** The calendar day of a moment in the tests' time zone, as YYYY-MM-DD. */
export function localDay(date: Date): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(date);
}

/** The report control of a job's row. */
export const reportToggle = (page: Page, id: string): Locator =>
  page.getByRole("link", { name: `Report of job ${id}`, exact: true });

/** A restore that an engine has started, created for one test alone. */
export async function runningRestore(
  engine: {
    createJob: (b: Record<string, unknown>) => Promise<unknown>;
    next: (id: string, b: Record<string, unknown>) => Promise<{ status: number }>;
  },
  id: string,
  connectorId = "sp",
  description = `Restore of the ${id} site`,
): Promise<void> {
  await engine.createJob({ id, connectorId, type: "restore", description });
  const started = await engine.next(id, { type: "started", at: new Date().toISOString() });
  expect(started.status).toBe(200);
}
