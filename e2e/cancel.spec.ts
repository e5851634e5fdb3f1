import type { Locator, Page } from "@playwright/test";
import { uniqueId } from "./support/fixtures";
import { expect, reportToggle, rowOf, runningRestore, test } from "./support/session";

// Cancelling a restore (issue 5, PRODUCT.md §2 Cancellation): Cancel → Yes → password → Confirm, with and
// without JavaScript. Every test cancels restores it created itself, so no test depends on another.

const badge = (page: Page, id: string) => rowOf(page, id).locator(".badge");
const cancelButton = (page: Page, id: string) => page.getByRole("link", { name: `Cancel restore ${id}` });
/** Who cancelled, in the report: "Cancel requested by" while the engine stops, "Cancelled by" after. */
const cancelledBy = (scope: Page | Locator) =>
  scope.locator(".facts > div:has(> dt:text-matches('^Cancel(led| requested) by$')) > dd");

test.beforeEach(async ({ page, signIn }) => {
  await signIn(page);
});

test("A running restore is cancelled with Cancel, Yes, password and Confirm", async ({
  page,
  path,
  engine,
  api,
  state,
}) => {
  const id = uniqueId("rs-cancel");
  await runningRestore(engine, id, "sp", `Restore of the ${id} site`);
  await page.goto(path(`/jobs?q=${id}`));
  const start = page.url();
  await expect(badge(page, id)).toContainText("In progress");

  await cancelButton(page, id).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading")).toHaveText(`Cancel the restore of “Restore of the ${id} site”?`);
  await expect(dialog.getByRole("link", { name: "Yes" })).toBeFocused();
  await dialog.getByRole("link", { name: "Yes" }).click();

  await expect(dialog.getByRole("heading")).toHaveText("Confirm with your password");
  await expect(dialog.getByLabel("Password")).toBeFocused();
  await dialog.getByLabel("Password").fill(state.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();

  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: `Cancelling the restore ${id}` })).toBeVisible();
  // The refreshed row goes into the table, not loose into the page.
  await expect(page.locator("#dialog-slot .badge, #dialog-slot .report-toggle")).toHaveCount(0);
  await expect(page.getByRole("link", { name: `Report of job ${id}` })).toHaveCount(1);
  await expect(badge(page, id)).toContainText("Cancelling…");
  await expect(cancelButton(page, id)).toHaveCount(0);
  expect(page.url()).toBe(start);

  // The engine learns of it in the answer to its next report.
  const progress = await engine.next(id, {
    type: "progress",
    at: new Date().toISOString(),
    stats: { restored: { items: 3, bytes: 3000 } },
  });
  expect(progress.status).toBe(200);
  expect(progress.body.cancelRequested).toBe(true);
  await expect(badge(page, id)).toContainText("Cancelling…");

  const finished = await engine.next(id, {
    type: "finished",
    at: new Date().toISOString(),
    outcome: "cancelled",
  });
  expect(finished.status).toBe(200);
  expect((finished.body.job as { status: string }).status).toBe("cancelled");
  await expect(badge(page, id)).toContainText("Cancelled");
  await expect(badge(page, id)).not.toContainText("Cancelling");
  expect((await api.job(id)).status).toBe("cancelled");

  // The report says who cancelled it, and when.
  await reportToggle(page, id).click();
  const by = cancelledBy(page.locator(".report-row"));
  await expect(by).toContainText(`${state.accounts.a.email} on`);
  await expect(by.locator("time")).toHaveAttribute("datetime", /Z$/);
});

test("A scheduled restore is cancelled at once, from its report", async ({
  page,
  path,
  engine,
  api,
  state,
}) => {
  const id = uniqueId("rs-scheduled-cancel");
  await engine.createJob({
    id,
    connectorId: "sp",
    type: "restore",
    description: `Restore of ${id} tonight`,
    scheduledAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
  });
  await page.goto(path(`/jobs/${id}`));
  const start = page.url();
  await expect(page.locator(".report-head .badge")).toContainText("Scheduled");

  await page.getByRole("link", { name: "Cancel restore" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("It has not started, so it is cancelled at once.");
  await dialog.getByRole("link", { name: "Yes" }).click();
  await dialog.getByLabel("Password").fill(state.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();

  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(
    page.getByRole("status").filter({ hasText: `The restore ${id} was cancelled.` }),
  ).toBeVisible();
  await expect(page.locator(".report-head .badge")).toContainText("Cancelled");
  await expect(page.locator(".report-head .badge")).not.toContainText("Cancelling");
  await expect(page.getByRole("link", { name: "Cancel restore" })).toHaveCount(0);
  await expect(cancelledBy(page)).toContainText(state.accounts.a.email);
  expect(page.url()).toBe(start);
  const job = await api.job(id);
  expect(job.status).toBe("cancelled");

  // In the list as well.
  await page.goto(path(`/jobs?q=${id}`));
  await expect(badge(page, id)).toContainText("Cancelled");
});

test("A wrong password says so and cancels nothing", async ({ page, path, engine, api, state }) => {
  const id = uniqueId("rs-wrong-password");
  await runningRestore(engine, id);
  await page.goto(path(`/jobs?q=${id}`));

  await cancelButton(page, id).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("link", { name: "Yes" }).click();
  await dialog.getByLabel("Password").fill(`${state.password}-wrong`);
  await dialog.getByRole("button", { name: "Confirm" }).click();

  await expect(dialog.getByRole("alert")).toHaveText("The password is not right. Nothing was cancelled.");
  await expect(dialog.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  const job = await api.job(id);
  expect(job.status).toBe("in_progress");
  expect(job.cancelRequested).toBe(false);

  await dialog.getByRole("link", { name: "No, keep it running" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(badge(page, id)).toContainText("In progress");
  await expect(cancelButton(page, id)).toBeVisible();
  const answer = await engine.next(id, { type: "progress", at: new Date().toISOString(), stats: {} });
  expect(answer.body.cancelRequested).toBe(false);

  // The right password afterwards still works.
  await cancelButton(page, id).click();
  await dialog.getByRole("link", { name: "Yes" }).click();
  await dialog.getByLabel("Password").fill(state.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(badge(page, id)).toContainText("Cancelling…");
  await engine.next(id, { type: "finished", at: new Date().toISOString(), outcome: "cancelled" });
});

test("Without JavaScript the same steps are plain pages, ending back where they started", async ({
  newPage,
  path,
  engine,
  api,
  state,
}) => {
  const page = await newPage({ javaScriptEnabled: false });
  const id = uniqueId("rs-nojs-cancel");
  await runningRestore(engine, id, "sp", `Restore of the ${id} site`);
  await page.goto(path(`/jobs?q=${id}&type=restore`));
  const start = page.url();

  await cancelButton(page, id).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${id}/cancel`));
  await expect(page.getByRole("heading", { level: 2 })).toHaveText(
    `Cancel the restore of “Restore of the ${id} site”?`,
  );
  await page.getByRole("link", { name: "Yes" }).click();
  await expect(page).toHaveURL(/step=password/);

  // A wrong password first: it says so, and nothing is cancelled.
  await page.getByLabel("Password", { exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("alert")).toHaveText("The password is not right. Nothing was cancelled.");
  expect((await api.job(id)).cancelRequested).toBe(false);

  await page.getByLabel("Password", { exact: true }).fill(state.password);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page).toHaveURL(start);
  await expect(badge(page, id)).toContainText("Cancelling…");
  expect((await api.job(id)).cancelRequested).toBe(true);

  const finished = await engine.next(id, {
    type: "finished",
    at: new Date().toISOString(),
    outcome: "cancelled",
  });
  expect((finished.body.job as { status: string }).status).toBe("cancelled");
  await page.reload();
  await expect(badge(page, id)).toContainText("Cancelled");
  await expect(badge(page, id)).not.toContainText("Cancelling");

  // From a report, Confirm leads back to the report; "No" leads back too and changes nothing.
  const other = uniqueId("rs-nojs-report");
  await runningRestore(engine, other);
  await page.goto(path(`/jobs/${other}`));
  const report = page.url();
  await page.getByRole("link", { name: "Cancel restore" }).click();
  await page.getByRole("link", { name: "No, keep it running" }).click();
  await expect(page).toHaveURL(report);
  await page.getByRole("link", { name: "Cancel restore" }).click();
  await page.getByRole("link", { name: "Yes" }).click();
  await page.getByLabel("Password", { exact: true }).fill(state.password);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page).toHaveURL(report);
  await expect(page.locator(".report-head .badge")).toContainText("Cancelling…");
  await expect(cancelledBy(page)).toContainText(state.accounts.a.email);
  await engine.next(other, { type: "finished", at: new Date().toISOString(), outcome: "cancelled" });
});

test("A backup has no Cancel button, and a forged cancel of one is refused", async ({
  page,
  path,
  engine,
  api,
  baseURL,
  state,
}) => {
  const id = uniqueId("bk-running");
  await engine.createJob({ id, connectorId: "sp", type: "backup", description: "Backup of team sites" });
  await engine.next(id, { type: "started", at: new Date().toISOString() });
  await page.goto(path(`/jobs?q=${id}`));
  await expect(badge(page, id)).toContainText("In progress");
  await expect(rowOf(page, id).getByRole("link", { name: /^Cancel/ })).toHaveCount(0);
  await expect(rowOf(page, "bk-tricky")).toHaveCount(0);

  await page.goto(path("/jobs"));
  for (const other of ["bk-tricky", "dl-pst", "rs-done"]) {
    await expect(rowOf(page, other).getByRole("link", { name: /^Cancel/ })).toHaveCount(0);
  }
  await page.goto(path(`/jobs/${id}`));
  await expect(page.getByRole("link", { name: /^Cancel/ })).toHaveCount(0);

  const asked = await page.goto(path(`/jobs/${id}/cancel`));
  expect(asked?.status()).toBe(409);
  await expect(page.getByRole("heading", { level: 2 })).toHaveText("This job cannot be cancelled");

  // A hand-made request with the right token and password: still refused, and nothing changes.
  await page.goto(path("/jobs"));
  const token = await page.locator("input[name=_csrf]").first().inputValue();
  const forged = await page.request.post(path(`/jobs/${id}/cancel`), {
    headers: { origin: new URL(baseURL!).origin },
    form: { _csrf: token, password: state.password },
  });
  expect(forged.status()).toBe(409);
  const job = await api.job(id);
  expect(job.cancelRequested).toBe(false);
  expect(job.status).toBe("in_progress");
  await engine.next(id, { type: "finished", at: new Date().toISOString(), outcome: "completed" });
});

test("Focus returns to the Cancel button when the dialog closes with Escape", async ({
  page,
  path,
  engine,
  api,
}) => {
  const id = uniqueId("rs-escape");
  await runningRestore(engine, id);
  await page.goto(path(`/jobs?q=${id}`));

  const button = cancelButton(page, id);
  await button.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("link", { name: "Yes" })).toBeFocused();
  // The running job's row refreshes itself meanwhile, replacing the button that opened the dialog.
  await page.waitForResponse((r) => r.url().includes(`/jobs/${id}?part=row`));
  await expect(dialog.getByRole("link", { name: "Yes" })).toBeFocused();

  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(button).toBeFocused();
  expect((await api.job(id)).cancelRequested).toBe(false);

  // The same after the password step.
  await page.keyboard.press("Enter");
  await dialog.getByRole("link", { name: "Yes" }).press("Enter");
  await expect(dialog.getByLabel("Password")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(button).toBeFocused();
  expect((await api.job(id)).cancelRequested).toBe(false);
  await engine.next(id, { type: "finished", at: new Date().toISOString(), outcome: "completed" });
});

/** The contrast ratio of an element's text on its background (WCAG), as the browser paints it now. */
async function contrast(target: Locator): Promise<number> {
  return target.evaluate((el) => {
    // Any CSS colour (rgb(), or oklab() in the middle of a transition) as sRGB bytes, through a canvas.
    const paint = document.createElement("canvas").getContext("2d")!;
    const rgb = (css: string) => {
      paint.clearRect(0, 0, 1, 1);
      paint.fillStyle = css;
      paint.fillRect(0, 0, 1, 1);
      return Array.from(paint.getImageData(0, 0, 1, 1).data);
    };
    const luminance = ([r, g, b]: number[]) => {
      const [R, G, B] = [r!, g!, b!].map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!;
    };
    let bg: number[] = [];
    for (let node: Element | null = el; node; node = node.parentElement) {
      const parts = rgb(getComputedStyle(node).backgroundColor);
      if (parts[3]! > 0) {
        bg = parts;
        break;
      }
    }
    const fg = rgb(getComputedStyle(el).color);
    const [a, b] = [luminance(fg), luminance(bg.length ? bg : [255, 255, 255])];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`Danger buttons keep their label readable when pointed at or focused (${colorScheme})`, async ({
    newPage,
    path,
    engine,
  }) => {
    const id = uniqueId("rs-contrast");
    await runningRestore(engine, id, "sp", `Restore of the ${id} site`);
    const page = await newPage({ colorScheme });
    await page.goto(path(`/jobs?q=${id}`));
    const cancel = cancelButton(page, id);
    const readable = async (target: Locator, what: string) => {
      for (const state of ["rest", "hover", "focus"] as const) {
        if (state === "hover") await target.hover();
        if (state === "focus") await target.focus();
        // The colours change with a transition: wait for them to settle.
        await page.waitForTimeout(250);
        // Polled: a running restore's row refreshes itself every few seconds, and a button caught while
        // its row is being replaced has no computed colours.
        await expect
          .poll(() => contrast(target), { message: `${what} (${state})` })
          .toBeGreaterThanOrEqual(4.5);
      }
    };
    await readable(cancel, "Cancel");
    await cancel.click();
    const dialog = page.getByRole("dialog");
    await readable(dialog.getByRole("link", { name: "Yes" }), "Yes");
    await dialog.getByRole("link", { name: "Yes" }).click();
    await readable(dialog.getByRole("button", { name: "Confirm" }), "Confirm");
  });
}
