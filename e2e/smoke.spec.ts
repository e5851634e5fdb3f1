import { expect, test } from "./support/fixtures";

test("signs in and lists the account's jobs, newest first", async ({ page, signIn }) => {
  await signIn(page);
  await expect(page.getByRole("heading", { level: 1, name: "Job Monitor" })).toBeVisible();
  const rows = page.locator("table.jobs tbody tr.job-row");
  await expect(rows.first()).toBeVisible();
  await expect(page.getByText(/^1–\d+ of \d+ jobs$/)).toBeVisible();
});
