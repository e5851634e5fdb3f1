import { describe, expect, it } from "vitest";
import {
  canBeCancelled,
  cancelledBy,
  countsSkippedBytes,
  deriveReason,
  deriveStatus,
  type Finish,
  finishOf,
  isActive,
  isProblem,
  skippedTotals,
  statusMeaning,
} from "./rules";
import {
  ITEM_KINDS,
  JOB_STATUSES,
  JOB_TYPES,
  type JobStats,
  type JobStatus,
  type JobType,
  OUTCOMES,
} from "./vocabulary";

const finish = (type: JobType, outcome: Finish["outcome"], written = 0, skipped = 0): Finish => ({
  type,
  outcome,
  written,
  skipped,
});

describe("the status a finished job gets (PRODUCT.md §2)", () => {
  describe("backups: the engine's outcome decides", () => {
    it.each([
      [1, 0],
      [1_250, 0],
      [1_250, 17],
      [1, 9_000],
    ])(
      "marks a backup completed with at least one item backed up Successful, skipped items allowed (backed up %i, skipped %i)",
      (written, skipped) => {
        expect(deriveStatus(finish("backup", "completed", written, skipped))).toBe("successful");
      },
    );

    it("marks a backup completed with nothing changed (0 items, 0 skipped) Successful", () => {
      expect(deriveStatus(finish("backup", "completed", 0, 0))).toBe("successful");
    });

    it.each([1, 17, 9_000])(
      "marks a backup completed with every changed item skipped (nothing added or removed, %i skipped) Unsuccessful",
      (skipped) => {
        expect(deriveStatus(finish("backup", "completed", 0, skipped))).toBe("unsuccessful");
      },
    );

    it("marks a backup that failed before anything was backed up Unsuccessful", () => {
      expect(deriveStatus(finish("backup", "failed"))).toBe("unsuccessful");
    });

    it.each([
      [0, 0],
      [40, 0],
      [40, 3],
    ])(
      "marks a backup stopped by an error after it began Incomplete (%i items, %i skipped)",
      (written, skipped) => {
        expect(deriveStatus(finish("backup", "stopped", written, skipped))).toBe("incomplete");
      },
    );
  });

  describe.each(["restore", "item_restore"] as const)(
    "%s jobs: what was written to the target decides",
    (type) => {
      it("marks a restore with every item restored Successful", () => {
        expect(deriveStatus(finish(type, "completed", 12, 0))).toBe("successful");
      });

      it("marks a restore that completed with nothing written and nothing skipped Successful", () => {
        expect(deriveStatus(finish(type, "completed", 0, 0))).toBe("successful");
      });

      it("marks a completed restore with some items skipped and at least one restored Incomplete", () => {
        expect(deriveStatus(finish(type, "completed", 1, 1))).toBe("incomplete");
        expect(deriveStatus(finish(type, "completed", 500, 2))).toBe("incomplete");
      });

      it("marks a restore with every item skipped Unsuccessful", () => {
        expect(deriveStatus(finish(type, "completed", 0, 1))).toBe("unsuccessful");
        expect(deriveStatus(finish(type, "completed", 0, 9_000))).toBe("unsuccessful");
      });

      it("marks a failed restore Unsuccessful, whatever it wrote or skipped", () => {
        expect(deriveStatus(finish(type, "failed", 0, 0))).toBe("unsuccessful");
        expect(deriveStatus(finish(type, "failed", 0, 4))).toBe("unsuccessful");
        expect(deriveStatus(finish(type, "failed", 7, 4))).toBe("unsuccessful");
      });

      it("marks a restore stopped after it restored something Incomplete", () => {
        expect(deriveStatus(finish(type, "stopped", 1, 0))).toBe("incomplete");
        expect(deriveStatus(finish(type, "stopped", 30, 5))).toBe("incomplete");
      });

      it("marks a restore stopped before it restored anything Unsuccessful", () => {
        expect(deriveStatus(finish(type, "stopped", 0, 0))).toBe("unsuccessful");
        expect(deriveStatus(finish(type, "stopped", 0, 6))).toBe("unsuccessful");
      });
    },
  );

  describe.each(["pst_download", "zip_download"] as const)("%s jobs", (type) => {
    it("marks a completed download Successful", () => {
      expect(deriveStatus(finish(type, "completed"))).toBe("successful");
    });

    it("marks a failed or stopped download Unsuccessful", () => {
      expect(deriveStatus(finish(type, "failed"))).toBe("unsuccessful");
      expect(deriveStatus(finish(type, "stopped"))).toBe("unsuccessful");
    });
  });

  it.each(JOB_TYPES)("marks a cancelled %s Cancelled, whatever it did before", (type) => {
    expect(deriveStatus(finish(type, "cancelled"))).toBe("cancelled");
    expect(deriveStatus(finish(type, "cancelled", 10, 0))).toBe("cancelled");
    expect(deriveStatus(finish(type, "cancelled", 0, 10))).toBe("cancelled");
  });

  it("never derives Scheduled or In progress from a finished job", () => {
    for (const type of JOB_TYPES)
      for (const outcome of OUTCOMES)
        for (const [written, skipped] of [
          [0, 0],
          [0, 3],
          [3, 0],
          [3, 3],
        ] as const) {
          expect(["successful", "incomplete", "unsuccessful", "cancelled"]).toContain(
            deriveStatus(finish(type, outcome, written, skipped)),
          );
        }
  });
});

describe("what a job got done when it finished", () => {
  const stats = (over: Partial<Record<keyof JobStats, number>>): JobStats => {
    const stat = (items = 0) => ({ items, bytes: items * 10 });
    return {
      added: stat(over.added),
      removed: stat(over.removed),
      restored: stat(over.restored),
      overwritten: stat(over.overwritten),
      skipped: stat(over.skipped),
    };
  };

  it("counts a backup's added and removed items as what it backed up", () => {
    expect(finishOf("backup", "completed", stats({ added: 3, removed: 2, skipped: 1 }))).toEqual(
      finish("backup", "completed", 5, 1),
    );
  });

  it("counts a backup that only removed items as a change, so it is Successful even with items skipped", () => {
    const f = finishOf("backup", "completed", stats({ removed: 4, skipped: 2 }));
    expect(deriveStatus(f)).toBe("successful");
  });

  it.each(["restore", "item_restore"] as const)(
    "counts what a %s wrote to the target: Restored plus Overwritten",
    (type) => {
      expect(finishOf(type, "completed", stats({ restored: 3, overwritten: 4, skipped: 2 }))).toEqual(
        finish(type, "completed", 7, 2),
      );
    },
  );

  it("reads the skipped count, folders included, from the statistics", () => {
    expect(finishOf("backup", "completed", stats({ skipped: 6 })).skipped).toBe(6);
  });
});

describe("the reason a finished job shows", () => {
  const withStatus = (f: Finish, engineReason: Parameters<typeof deriveReason>[2] = null) =>
    deriveReason(f, deriveStatus(f), engineReason);

  it("shows the engine's reason over anything the service would derive", () => {
    expect(withStatus(finish("restore", "stopped", 3, 2), "job_aborted")).toBe("job_aborted");
    expect(withStatus(finish("restore", "failed", 0, 5), "authentication_failed")).toBe(
      "authentication_failed",
    );
    expect(withStatus(finish("backup", "failed"), "not_global_admin")).toBe("not_global_admin");
    expect(withStatus(finish("backup", "cancelled"), "service_interrupted")).toBe("service_interrupted");
  });

  it.each(["restore", "item_restore"] as const)("names skipped items for an Incomplete %s", (type) => {
    expect(withStatus(finish(type, "completed", 10, 2))).toBe("items_skipped");
  });

  it("names skipped items for a restore stopped after writing some items and skipping others", () => {
    expect(withStatus(finish("restore", "stopped", 10, 2))).toBe("items_skipped");
  });

  it.each(["restore", "item_restore"] as const)(
    "says every item was skipped when a %s completed writing nothing",
    (type) => {
      expect(withStatus(finish(type, "completed", 0, 8))).toBe("all_items_skipped");
    },
  );

  it("does not claim every item was skipped when a restore failed or stopped before it got through its items", () => {
    expect(withStatus(finish("restore", "failed", 0, 2))).toBeNull();
    expect(withStatus(finish("restore", "stopped", 0, 2))).toBeNull();
    expect(withStatus(finish("item_restore", "failed", 4, 2))).toBeNull();
  });

  it("gives no reason to a job that skipped nothing and got none from its engine", () => {
    expect(withStatus(finish("restore", "completed", 9, 0))).toBeNull();
    expect(withStatus(finish("restore", "stopped", 9, 0))).toBeNull();
    expect(withStatus(finish("restore", "failed", 0, 0))).toBeNull();
    expect(withStatus(finish("backup", "stopped", 9, 0))).toBeNull();
  });

  it("gives a backup completed with every changed item skipped the service's reason all_items_skipped", () => {
    expect(withStatus(finish("backup", "completed", 0, 1))).toBe("all_items_skipped");
    expect(withStatus(finish("backup", "completed", 0, 40))).toBe("all_items_skipped");
  });

  it("gives no skipped-items reason to a Successful backup, nor to one that failed or stopped", () => {
    expect(withStatus(finish("backup", "completed", 9, 4))).toBeNull();
    expect(withStatus(finish("backup", "completed", 0, 0))).toBeNull();
    expect(withStatus(finish("backup", "stopped", 9, 4))).toBeNull();
    expect(withStatus(finish("backup", "stopped", 0, 4))).toBeNull();
    expect(withStatus(finish("backup", "failed", 0, 4))).toBeNull();
  });

  it("never names items skipped (some of them) for a backup: its skipped items are retried by the next backup", () => {
    for (const outcome of OUTCOMES)
      for (const [written, skipped] of [
        [0, 3],
        [3, 3],
      ] as const)
        expect(withStatus(finish("backup", outcome, written, skipped))).not.toBe("items_skipped");
  });

  it.each(["pst_download", "zip_download"] as const)(
    "gives a %s stopped or failed without a reason the generic reason, which comes with advice",
    (type) => {
      expect(withStatus(finish(type, "stopped"))).toBe("internal_error");
      expect(withStatus(finish(type, "failed"))).toBe("internal_error");
    },
  );

  it.each(["pst_download", "zip_download"] as const)(
    "keeps the engine's reason for a %s, and gives a completed or cancelled one none",
    (type) => {
      expect(withStatus(finish(type, "stopped"), "incident")).toBe("incident");
      expect(withStatus(finish(type, "completed"))).toBeNull();
      expect(withStatus(finish(type, "cancelled"))).toBeNull();
    },
  );

  it("gives a cancelled restore with skipped items no skipped-items reason", () => {
    expect(withStatus(finish("restore", "cancelled", 3, 3))).toBeNull();
    expect(withStatus(finish("restore", "cancelled", 0, 3))).toBeNull();
  });
});

describe("the skipped statistic", () => {
  const items = [
    { kind: "file" as const, size: 1_000 },
    { kind: "folder" as const, size: 4_096 },
    { kind: "mail" as const, size: 250 },
    { kind: "folder" as const, size: null },
    { kind: "record" as const, size: null },
  ];

  it("counts skipped items and folders; for backups the skipped size counts items only, never folders", () => {
    expect(skippedTotals("backup", items)).toEqual({ items: 5, bytes: 1_250 });
  });

  it.each(["restore", "item_restore"] as const)(
    "counts skipped items and folders; for a %s the skipped size includes folders too",
    (type) => {
      expect(skippedTotals(type, items)).toEqual({ items: 5, bytes: 5_346 });
    },
  );

  it.each(JOB_TYPES)("reports 0 items and 0 bytes for a %s that skipped nothing", (type) => {
    expect(skippedTotals(type, [])).toEqual({ items: 0, bytes: 0 });
  });

  it("counts a folder a backup skipped as one item of no size", () => {
    expect(skippedTotals("backup", [{ kind: "folder", size: 123_456 }])).toEqual({ items: 1, bytes: 0 });
  });

  it("counts a folder a restore skipped as one item with its size", () => {
    expect(skippedTotals("restore", [{ kind: "folder", size: 123_456 }])).toEqual({
      items: 1,
      bytes: 123_456,
    });
  });

  it("takes the sizes from any iterable, such as a generator", () => {
    function* gen() {
      yield { kind: "file" as const, size: 10 };
      yield { kind: "calendar" as const, size: 20 };
    }
    expect(skippedTotals("backup", gen())).toEqual({ items: 2, bytes: 30 });
  });

  it.each(ITEM_KINDS)("adds the size of a %s a backup skipped unless it is a folder", (kind) => {
    expect(countsSkippedBytes(kind, "backup")).toBe(kind !== "folder");
  });

  it.each(ITEM_KINDS)("adds the size of a %s a restore or item restore skipped, folders included", (kind) => {
    expect(countsSkippedBytes(kind, "restore")).toBe(true);
    expect(countsSkippedBytes(kind, "item_restore")).toBe(true);
  });
});

describe("active and problem statuses", () => {
  it.each([
    ["scheduled", true, false],
    ["in_progress", true, false],
    ["successful", false, false],
    ["incomplete", false, true],
    ["unsuccessful", false, true],
    ["cancelled", false, true],
  ] as const)("treats %s as active=%s and problem=%s", (status, active, problem) => {
    expect(isActive(status)).toBe(active);
    expect(isProblem(status)).toBe(problem);
  });
});

describe("who may cancel what", () => {
  const cases = JOB_TYPES.flatMap((type) =>
    JOB_STATUSES.map(
      (status) =>
        [
          type,
          status,
          (type === "restore" || type === "item_restore") &&
            (status === "scheduled" || status === "in_progress"),
        ] as const,
    ),
  );

  it.each(cases)("lets a %s that is %s be cancelled: %s", (type, status, expected) => {
    expect(canBeCancelled({ type, status })).toBe(expected);
  });

  it("lets exactly the scheduled and running restores and item restores be cancelled", () => {
    expect(cases.filter(([, , yes]) => yes).map(([t, s]) => `${t}/${s}`)).toEqual([
      "restore/scheduled",
      "restore/in_progress",
      "item_restore/scheduled",
      "item_restore/in_progress",
    ]);
  });
});

describe("who cancelled a job", () => {
  it("names the user when a user asked for the cancellation", () => {
    expect(
      cancelledBy({ status: "cancelled", reason: null, cancelRequestedAt: "2026-11-27T10:00:00.000Z" }),
    ).toBe("user");
  });

  it("names the service when it stopped the job for an update or a restart", () => {
    expect(cancelledBy({ status: "cancelled", reason: "service_interrupted", cancelRequestedAt: null })).toBe(
      "service",
    );
  });

  it("names the engine when a job was cancelled with no reason and no user request", () => {
    expect(cancelledBy({ status: "cancelled", reason: null, cancelRequestedAt: null })).toBe("engine");
  });

  it.each(JOB_STATUSES.filter((s) => s !== "cancelled"))("names nobody for a job that is %s", (status) => {
    expect(cancelledBy({ status, reason: null, cancelRequestedAt: "2026-11-27T10:00:00.000Z" })).toBeNull();
    expect(cancelledBy({ status, reason: "service_interrupted", cancelRequestedAt: null })).toBeNull();
  });
});

describe("what a status means for a job of this type", () => {
  const all = JOB_TYPES.flatMap((type) => JOB_STATUSES.map((status) => [type, status] as const));

  it.each(all)("explains a %s that is %s in a full sentence", (type, status) => {
    const text = statusMeaning(type, status);
    expect(text.length).toBeGreaterThan(20);
    expect(text).toMatch(/^[A-Z].*\.$/);
    expect(text).not.toMatch(/keepit/i);
  });

  it.each(all)("tells a %s that is %s it can be cancelled exactly when it can", (type, status) => {
    expect(/can still be cancelled/.test(statusMeaning(type, status))).toBe(
      status === "scheduled" && canBeCancelled({ type, status }),
    );
  });

  it("tells a Successful backup with a snapshot that it is available, and that skipped items are tried again by the next backup", () => {
    expect(statusMeaning("backup", "successful", { reason: null, snapshot: { partial: false } })).toBe(
      "The backup finished and its snapshot is available. Items that could not be reached are listed as skipped and are tried again by the next backup.",
    );
  });

  it("does not tell a Successful backup whose engine sent no snapshot that its snapshot is available", () => {
    const text = statusMeaning("backup", "successful", { reason: null, snapshot: null });
    expect(text).not.toContain("snapshot is available");
    expect(text).toContain("reported no snapshot");
    expect(text).toContain("tried again by the next backup");
  });

  it("claims no snapshot for a Successful backup when it is not told about one", () => {
    expect(statusMeaning("backup", "successful")).not.toContain("snapshot is available");
  });

  it("tells a backup Unsuccessful because every changed item was skipped that it ran to its end, not that it failed", () => {
    const text = statusMeaning("backup", "unsuccessful", { reason: "all_items_skipped", snapshot: null });
    expect(text).toContain("every changed item it found was skipped");
    expect(text).not.toContain("failed");
  });

  it("tells an Incomplete backup that restoring depends on the partial snapshot", () => {
    expect(statusMeaning("backup", "incomplete")).toContain("partial snapshot");
  });

  it("tells an Unsuccessful backup that nothing was backed up", () => {
    expect(statusMeaning("backup", "unsuccessful")).toBe("The backup failed before anything was backed up.");
    expect(statusMeaning("backup", "unsuccessful", { reason: "incident", snapshot: null })).toBe(
      "The backup failed before anything was backed up.",
    );
  });

  it.each(["restore", "item_restore"] as const)("explains the restore outcomes of a %s", (type) => {
    expect(statusMeaning(type, "successful")).toBe("Every item was restored.");
    expect(statusMeaning(type, "incomplete")).toBe(
      "The restore wrote some items to the target, but others were skipped or it stopped early.",
    );
    expect(statusMeaning(type, "unsuccessful")).toBe(
      "Nothing was restored: the restore failed, or every item was skipped.",
    );
    expect(statusMeaning(type, "scheduled")).toBe(
      "The restore is queued and has not started yet. It can still be cancelled.",
    );
  });

  it.each(["pst_download", "zip_download"] as const)("explains a %s in terms of its file", (type) => {
    expect(statusMeaning(type, "successful")).toBe(
      "The file was prepared and can be downloaded until its link expires.",
    );
    expect(statusMeaning(type, "unsuccessful")).toBe("The file could not be prepared.");
    expect(statusMeaning(type, "scheduled")).toBe("The job is queued and has not started yet.");
  });

  it("gives every type its own meaning of Successful", () => {
    const meanings = new Set(
      ["backup", "restore", "pst_download"].map((t) => statusMeaning(t as JobType, "successful")),
    );
    expect(meanings.size).toBe(3);
  });

  it("covers every status the vocabulary knows", () => {
    const statuses: JobStatus[] = [...JOB_STATUSES];
    expect(statuses).toEqual([
      "scheduled",
      "in_progress",
      "successful",
      "incomplete",
      "unsuccessful",
      "cancelled",
    ]);
  });
});
