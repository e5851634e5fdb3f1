import { describe, expect, it } from "vitest";
import { type SummaryFacts, summarize } from "./summary";
import type { JobStats } from "./vocabulary";

const zero = { items: 0, bytes: 0 };
const stats = (s: Partial<JobStats> = {}): JobStats => ({
  added: zero,
  removed: zero,
  restored: zero,
  overwritten: zero,
  skipped: zero,
  ...s,
});

const job = (facts: Partial<SummaryFacts>): SummaryFacts => ({
  type: "backup",
  status: "successful",
  description: "",
  reason: null,
  stats: stats(),
  cancelRequestedAt: null,
  snapshotPartial: null,
  artifactBytes: null,
  ...facts,
});

describe("the one-line summary of a backup", () => {
  it("says how much a successful backup added, removed and skipped", () => {
    expect(
      summarize(
        job({
          description: "Nightly backup",
          stats: stats({
            added: { items: 1_234, bytes: 56_700_000 },
            removed: { items: 12, bytes: 1_000 },
            skipped: { items: 3, bytes: 2_000 },
          }),
        }),
      ),
    ).toBe("Nightly backup · 1,234 items (56.7 MB) added, 12 removed, 3 skipped");
  });

  it("leaves out removed and skipped figures that are zero", () => {
    expect(summarize(job({ stats: stats({ added: { items: 1, bytes: 999 } }) }))).toBe(
      "1 item (999 B) added",
    );
  });

  it("says a successful backup with nothing changed found no changes", () => {
    expect(summarize(job({ description: "Mailboxes" }))).toBe("Mailboxes · no changes since the last backup");
  });

  it("shows a running backup's figures so far, even when they are still zero", () => {
    expect(summarize(job({ status: "in_progress" }))).toBe("0 items (0 B) added so far");
    expect(
      summarize(
        job({
          status: "in_progress",
          stats: stats({ added: { items: 20, bytes: 4_500 }, skipped: { items: 2, bytes: 0 } }),
        }),
      ),
    ).toBe("20 items (4.5 KB) added so far, 2 skipped");
  });

  it("does not claim that nothing changed when a backup failed before it backed anything up", () => {
    expect(summarize(job({ status: "unsuccessful", reason: "authentication_failed" }))).toBe(
      "0 items (0 B) added · Connector sign-in is no longer valid",
    );
  });

  it("says an incomplete backup kept a partial snapshot", () => {
    expect(
      summarize(
        job({
          status: "incomplete",
          reason: "job_aborted",
          snapshotPartial: true,
          stats: stats({ added: { items: 40, bytes: 40_000_000 } }),
        }),
      ),
    ).toBe("40 items (40 MB) added · partial snapshot kept · Job stopped before it finished");
  });

  it("says an incomplete backup made no snapshot when the engine reported none", () => {
    expect(
      summarize(
        job({
          status: "incomplete",
          reason: "incident",
          snapshotPartial: null,
          stats: stats({ added: { items: 40, bytes: 40_000_000 } }),
        }),
      ),
    ).toBe("40 items (40 MB) added · no snapshot made · Incident on our servers");
  });

  it("says an incomplete backup kept a snapshot when the engine reported a complete one", () => {
    expect(
      summarize(
        job({
          status: "incomplete",
          snapshotPartial: false,
          stats: stats({ added: { items: 2, bytes: 10 } }),
        }),
      ),
    ).toBe("2 items (10 B) added · snapshot kept");
  });

  it("mentions the snapshot only for an incomplete backup", () => {
    expect(summarize(job({ status: "successful", snapshotPartial: false }))).toBe(
      "no changes since the last backup",
    );
  });

  it("says a scheduled backup is waiting to start", () => {
    expect(summarize(job({ status: "scheduled", description: "Daily" }))).toBe("Daily · waiting to start");
  });
});

describe("the one-line summary of a restore", () => {
  it("says how much a successful restore restored and overwrote", () => {
    expect(
      summarize(
        job({
          type: "restore",
          description: "Restore of mailbox anna@example.com",
          stats: stats({
            restored: { items: 310, bytes: 12_345_678 },
            overwritten: { items: 4, bytes: 100 },
          }),
        }),
      ),
    ).toBe("Restore of mailbox anna@example.com · 310 items (12.3 MB) restored, 4 overwritten");
  });

  it("says how many items an incomplete restore skipped, and why", () => {
    expect(
      summarize(
        job({
          type: "item_restore",
          status: "incomplete",
          reason: "items_skipped",
          stats: stats({ restored: { items: 8, bytes: 8_000 }, skipped: { items: 2, bytes: 500 } }),
        }),
      ),
    ).toBe("8 items (8 KB) restored, 2 skipped · Some items were skipped");
  });

  it("says an unsuccessful restore restored nothing because every item was skipped", () => {
    expect(
      summarize(
        job({
          type: "restore",
          status: "unsuccessful",
          reason: "all_items_skipped",
          stats: stats({ skipped: { items: 1_500, bytes: 3_000_000 } }),
        }),
      ),
    ).toBe("0 items (0 B) restored, 1,500 skipped · Every item was skipped");
  });

  it("shows a running restore's figures so far", () => {
    expect(
      summarize(
        job({
          type: "restore",
          status: "in_progress",
          stats: stats({ restored: { items: 1, bytes: 1_000 } }),
        }),
      ),
    ).toBe("1 item (1 KB) restored so far");
  });

  it("says a running restore is being cancelled once a user asked", () => {
    expect(
      summarize(
        job({
          type: "restore",
          status: "in_progress",
          cancelRequestedAt: "2026-11-27T10:00:00.000Z",
          stats: stats({ restored: { items: 5, bytes: 5_000 } }),
        }),
      ),
    ).toBe("5 items (5 KB) restored so far · cancelling");
  });

  it("says a restore was cancelled by a user", () => {
    expect(
      summarize(
        job({
          type: "restore",
          status: "cancelled",
          description: "Wrong snapshot",
          cancelRequestedAt: "2026-11-27T10:00:00.000Z",
          stats: stats({ restored: { items: 5, bytes: 5_000 } }),
        }),
      ),
    ).toBe("Wrong snapshot · 5 items (5 KB) restored · cancelled by a user");
  });

  it("says a restore was cancelled by the engine when nobody asked and no reason was given", () => {
    expect(summarize(job({ type: "restore", status: "cancelled" }))).toBe(
      "0 items (0 B) restored · cancelled by the engine",
    );
  });

  it("names the maintenance when the service cancelled a job", () => {
    expect(summarize(job({ type: "restore", status: "cancelled", reason: "service_interrupted" }))).toBe(
      "0 items (0 B) restored · Stopped for service maintenance",
    );
    expect(summarize(job({ type: "backup", status: "cancelled", reason: "service_interrupted" }))).toBe(
      "0 items (0 B) added · Stopped for service maintenance",
    );
  });

  it("says a scheduled restore is waiting to start", () => {
    expect(summarize(job({ type: "restore", status: "scheduled", description: "Site restore" }))).toBe(
      "Site restore · waiting to start",
    );
  });
});

describe("the one-line summary of a download", () => {
  it("says a PST file is ready and how big it is", () => {
    expect(
      summarize(job({ type: "pst_download", description: "Mailbox export", artifactBytes: 2_500_000_000 })),
    ).toBe("Mailbox export · PST file ready (2.5 GB)");
  });

  it("says a ZIP file is ready even when its size is unknown", () => {
    expect(summarize(job({ type: "zip_download" }))).toBe("ZIP file ready");
  });

  it("says a running download is preparing the file", () => {
    expect(summarize(job({ type: "zip_download", status: "in_progress", description: "Files" }))).toBe(
      "Files · preparing the file",
    );
  });

  it("gives the reason of an unsuccessful download", () => {
    expect(summarize(job({ type: "pst_download", status: "unsuccessful", reason: "internal_error" }))).toBe(
      "Unexpected problem in the service",
    );
  });

  it("says a download was cancelled by the engine", () => {
    expect(summarize(job({ type: "zip_download", status: "cancelled" }))).toBe("cancelled by the engine");
  });
});

describe("the description and the reason in a summary", () => {
  it("trims the engine's description and leaves out an empty one", () => {
    expect(summarize(job({ description: "   Nightly  ", status: "scheduled" }))).toBe(
      "Nightly · waiting to start",
    );
    expect(summarize(job({ description: "   ", status: "scheduled" }))).toBe("waiting to start");
  });

  it("appends the catalog title of the job's reason", () => {
    expect(
      summarize(
        job({ status: "unsuccessful", reason: "not_global_admin", description: "Microsoft 365 backup" }),
      ),
    ).toBe("Microsoft 365 backup · 0 items (0 B) added · Service account is not a Global Administrator");
  });

  it("appends nothing for a reason the catalog does not know", () => {
    expect(summarize(job({ status: "unsuccessful", reason: "disk_full" }))).toBe("0 items (0 B) added");
  });
});
