import { readFileSync } from "node:fs";
import {
  type APIRequestContext,
  type BrowserContext,
  test as base,
  expect,
  type Page,
} from "@playwright/test";
import { stateFile } from "./state-file";

// What every spec gets: the seeded accounts, a way to sign in, URLs under the project's base path, an
// engine that reports through the real API, and a clean browser console on every page it visits.

export type AccountState = {
  serviceId: string;
  name: string;
  email: string;
  token: string;
  connectors: string[];
};
/** "a" and "b": the e2e fixtures; "d": the demo data set (root server only), as a new user sees it. */
export type Who = "a" | "b" | "d";
export type E2eState = {
  basePath: string;
  password: string;
  accounts: { a: AccountState; b: AccountState; d?: AccountState };
};

type Engine = {
  createJob(body: Record<string, unknown>): Promise<Record<string, unknown>>;
  event(
    jobId: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Sends events with seq numbers 1, 2, 3… per job. */
  next(
    jobId: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
};

/**
 * The console check: every page a test opens, in its own context or in one made with `consoleCheck.watch`,
 * must log no error, throw nothing uncaught and break no rule of the Content-Security-Policy; the test
 * fails after it ran otherwise, naming each message and its page.
 */
export type ConsoleCheck = {
  /** Watches another browser context (one the test made itself); call it before opening pages in it. */
  watch(context: BrowserContext): Promise<void>;
  /** Lets one kind of error pass in this test: only for an error the test provokes on purpose. */
  allow(pattern: RegExp): void;
};

/**
 * The browser's own line for an answer of 400–499, which the product gives on purpose (a field message,
 * a refusal, a wrong password, a missing page) with content to show. A 5xx is not among them.
 */
const EXPECTED_HTTP_ERROR = /^Failed to load resource: the server responded with a status of 4\d\d\b/;

/** Runs in every page before its own scripts: a CSP violation is logged even where Chromium would not. */
function reportCspViolations() {
  document.addEventListener("securitypolicyviolation", (event) => {
    console.error(
      `CSP violation: ${event.violatedDirective} refused ${event.blockedURI || "an inline resource"}` +
        ` (${event.sourceFile || "page"}:${event.lineNumber})`,
    );
  });
}

type Fixtures = {
  consoleCheck: ConsoleCheck;
  state: E2eState;
  /** A path inside the product, with the base path in front. */
  path: (p: string) => string;
  signIn: (page: Page, who?: Who) => Promise<void>;
  engine: Engine;
  engineB: Engine;
  /** The engine of the demo account (root server only). */
  engineDemo: Engine;
};

function engineFor(request: APIRequestContext, baseURL: string, token: string): Engine {
  const seqs = new Map<string, number>();
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const api = (p: string) => `${baseURL}/api/v1${p}`;
  const engine: Engine = {
    async createJob(body) {
      const res = await request.post(api("/jobs"), { headers, data: body });
      expect(res.status(), await res.text()).toBeLessThan(300);
      return (await res.json()).job;
    },
    async event(jobId, body) {
      const res = await request.post(api(`/jobs/${encodeURIComponent(jobId)}/events`), {
        headers,
        data: body,
      });
      return { status: res.status(), body: await res.json() };
    },
    async next(jobId, body) {
      const seq = (seqs.get(jobId) ?? 0) + 1;
      seqs.set(jobId, seq);
      return engine.event(jobId, { seq, ...body });
    },
  };
  return engine;
}

let unique = 0;
/** An ID no other test uses, for jobs a test creates itself. */
export function uniqueId(prefix: string): string {
  unique += 1;
  return `${prefix}-${Date.now().toString(36)}-${unique}`;
}

export const test = base.extend<Fixtures>({
  consoleCheck: [
    async ({ context }, use) => {
      const problems: string[] = [];
      const allowed: RegExp[] = [];
      const watched = new WeakSet<BrowserContext>();
      const check: ConsoleCheck = {
        async watch(ctx) {
          if (watched.has(ctx)) return;
          watched.add(ctx);
          await ctx.addInitScript(reportCspViolations);
          ctx.on("console", (message) => {
            if (message.type() !== "error") return;
            const text = message.text();
            if (EXPECTED_HTTP_ERROR.test(text)) return;
            const { url, lineNumber } = message.location();
            problems.push(`${text}\n    at ${url || message.page()?.url() || "?"}:${lineNumber}`);
          });
          ctx.on("weberror", (error) => {
            const page = error.page()?.url() ?? "?";
            problems.push(`Uncaught ${error.error().stack ?? error.error().message}\n    on ${page}`);
          });
        },
        allow(pattern) {
          allowed.push(pattern);
        },
      };
      await check.watch(context);
      await use(check);
      const left = problems.filter((p) => !allowed.some((pattern) => pattern.test(p)));
      expect(left, "the browser console has no errors and no CSP violations").toEqual([]);
    },
    { auto: true },
  ],
  state: async ({ baseURL }, use) => {
    const port = Number(new URL(baseURL!).port);
    await use(JSON.parse(readFileSync(stateFile(port), "utf8")) as E2eState);
  },
  path: async ({ state }, use) => {
    await use((p: string) => `${state.basePath}${p}`);
  },
  signIn: async ({ state, path }, use) => {
    await use(async (page: Page, who: Who = "a") => {
      const account = state.accounts[who];
      if (!account) throw new Error(`no account "${who}" on this server`);
      await page.goto(path("/login"));
      await page.getByLabel("E-mail").fill(account.email);
      await page.getByLabel("Password").fill(state.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/\/jobs/);
    });
  },
  engine: async ({ request, baseURL, state }, use) => {
    await use(engineFor(request, new URL(baseURL!).origin + state.basePath, state.accounts.a.token));
  },
  engineB: async ({ request, baseURL, state }, use) => {
    await use(engineFor(request, new URL(baseURL!).origin + state.basePath, state.accounts.b.token));
  },
  engineDemo: async ({ request, baseURL, state }, use) => {
    await use(engineFor(request, new URL(baseURL!).origin + state.basePath, state.accounts.d?.token ?? ""));
  },
});

export { expect };
