import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MINUTE } from "../clock";
import type { Engine } from "../engine-api/api-test-helpers";
import { recordEvent, registerJob } from "../jobs/job-lifecycle";
import { type SignedInUser, signIn, type TestService } from "../testing/browser-session";
import { createTestApp } from "../testing/test-app";
import { upsertConnector } from "./connectors.repository";

// Connectors on demand (issue 11 §2 and §5): the Job Monitor page carries only the chosen connectors;
// the panel fetches the rest, filtered by name, and without JavaScript a page of its own does the same
// and returns to the same filtered list. The page stays within its weight at 500 connectors.

let t: TestService;
let engine: Engine;
let other: Engine;
let user: SignedInUser;

async function connectors(account: Engine, n: number, prefix: string) {
  const now = t.clock.now().toISOString();
  for (let i = 0; i < n; i += 1) {
    const id = `${prefix}${String(i).padStart(4, "0")}`;
    await upsertConnector(
      t.db,
      account.account.id,
      { id, name: `${prefix} connector ${i}`, kind: "microsoft_365" },
      now,
    );
  }
}

beforeEach(async () => {
  t = await createTestApp({ scryptLog2N: 12 });
  engine = await t.addAccount("SVC-1");
  other = await t.addAccount("SVC-2");
  user = await signIn(t, engine.account.id);
  await connectors(engine, 120, "Contoso");
  await connectors(engine, 3, "Fabrikam");
  await connectors(other, 5, "Secret");
});
afterEach(() => t.close());

const choices = (html: string) =>
  [...html.matchAll(/type="checkbox" name="connector" value="([^"]+)"/g)].map((m) => m[1]!);

describe("the panel's list (htmx)", () => {
  it("offers connectors whose name contains what was typed, in any case, leaving out the chosen ones", async () => {
    const res = await user.get("/connector-picker?find=FABRIKAM&connector=Fabrikam0001", { htmx: {} });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("<!doctype html>");
    expect(choices(html)).toEqual(["Fabrikam0000", "Fabrikam0002"]);
  });

  it("shows at most 50 and says how many more there are", async () => {
    const html = await (await user.get("/connector-picker", { htmx: {} })).text();
    expect(choices(html)).toHaveLength(50);
    expect(html).toContain("50 of 123 shown. Type to narrow the list.");
  });

  it("says so when nothing matches, and treats % and _ as letters", async () => {
    const html = await (await user.get("/connector-picker?find=%25_", { htmx: {} })).text();
    expect(choices(html)).toEqual([]);
    expect(html).toContain("No connector’s name contains “%_”.");
  });

  it("never lists another account's connectors", async () => {
    const html = await (await user.get("/connector-picker?find=Secret", { htmx: {} })).text();
    expect(choices(html)).toEqual([]);
  });

  it("refuses more than 100 chosen connectors with 400 naming the field, as the list does", async () => {
    const many = Array.from({ length: 101 }, (_, i) => `connector=x${i}`).join("&");
    const res = await user.get(`/connector-picker?${many}`, { htmx: {} });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Connector: at most 100 can be chosen (this is 101).");
  });

  it("refuses a search longer than 100 characters with 400 naming the field", async () => {
    const res = await user.get(`/connector-picker?find=${"x".repeat(101)}`, { htmx: {} });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Find: at most 100 characters");
  });
});

describe("the picker page (without JavaScript)", () => {
  it("lists the chosen connectors ticked and the matches, in a form back to the same filtered list", async () => {
    const res = await user.get(
      "/connector-picker?find=fabrikam&connector=Fabrikam0001&status=unsuccessful&span=7d&return=%2Fjobs",
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<!doctype html>");
    expect(html).toContain("<h1>Choose connectors</h1>");
    expect(html).toContain('<input type="checkbox" name="connector" value="Fabrikam0001" checked/>');
    expect(choices(html)).toEqual(["Fabrikam0001", "Fabrikam0000", "Fabrikam0002"]);
    // The list form submits to the list with the other filters kept.
    expect(html).toMatch(/<form class="picker" method="get" action="\/jobs">/);
    expect(html).toContain('<input type="hidden" name="status" value="unsuccessful"/>');
    expect(html).toContain('<input type="hidden" name="span" value="7d"/>');
  });

  it("returns only to a job list, whatever `return` says", async () => {
    const html = await (await user.get("/connector-picker?return=https%3A%2F%2Fevil.example%2F")).text();
    expect(html).toMatch(/<form class="picker" method="get" action="\/jobs">/);
    expect(html).not.toContain("evil.example");
  });

  it("shows a search that is too long as an error at its field, with 400", async () => {
    const res = await user.get(`/connector-picker?find=${"x".repeat(101)}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/aria-invalid="true"/);
    expect(html).toContain("Find: at most 100 characters");
  });
});

describe("the Job Monitor page", () => {
  it("carries only the chosen connectors, and weighs at most 45 KB (20 KB gzipped) with 50 rows at 500 connectors", async () => {
    await connectors(engine, 377, "Northwind");
    const accountId = engine.account.id;
    // Jobs as an account has them: over the last 30 days, most finished, some with problems.
    const now = t.clock.now().getTime();
    const outcomes = ["completed", "completed", "completed", "completed", "partial", "failed"] as const;
    for (let i = 0; i < 90; i += 1) {
      const id = `job-${String(i).padStart(3, "0")}`;
      const at = (ms: number) => new Date(now - (90 - i) * 8 * 3_600_000 + ms).toISOString();
      await registerJob(t.db, t.clock, accountId, {
        id,
        connectorId: `Contoso${String(i % 100).padStart(4, "0")}`,
        type: i % 7 === 0 ? "restore" : "backup",
        // As long as the benchmark's (src/synthetic/generate.ts): "Backup of Finance mailboxes (123 users)".
        description: `Backup of Finance mailboxes (${100 + i} users)`,
        scheduledAt: null,
      });
      await recordEvent(t.db, t.clock, accountId, id, { seq: 1, type: "started", at: at(0) }, `s${i}`);
      if (i < 85) {
        const outcome = outcomes[i % outcomes.length]!;
        const amount = { items: 1200 + i, bytes: 1_300_000_000 + i };
        const stats = i % 7 === 0 ? { restored: amount } : { added: amount };
        await recordEvent(
          t.db,
          t.clock,
          accountId,
          id,
          {
            seq: 2,
            type: "finished",
            at: at(25 * MINUTE),
            outcome,
            stats,
            reason: outcome === "completed" ? undefined : "quota_exceeded",
          } as never,
          `f${i}`,
        );
      }
    }
    const res = await user.get("/jobs?connector=Contoso0001");
    const html = await res.text();
    expect(choices(html)).toEqual(["Contoso0001"]);
    const all = await (await user.get("/jobs")).text();
    expect((all.match(/<tr id="job-/g) ?? []).length).toBe(50);
    expect(choices(all)).toEqual([]);
    const bytes = Buffer.byteLength(all);
    expect(bytes, `${bytes} bytes`).toBeLessThanOrEqual(45 * 1024);
    const gzipped = gzipSync(all).length;
    expect(gzipped, `${gzipped} bytes gzipped`).toBeLessThanOrEqual(20 * 1024);
  });
});
