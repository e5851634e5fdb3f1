import { DAY, HOUR, ManualClock, MINUTE } from "../../src/clock";
import type { ConnectorKind } from "../../src/connectors/connector-kinds";
import { upsertConnector } from "../../src/connectors/connectors.repository";
import type { Db } from "../../src/db/database";
import { eventHash } from "../../src/demo/seed";
import { type EngineEvent, recordEvent, registerJob } from "../../src/jobs/job-lifecycle";
import type { EngineReasonCode } from "../../src/jobs/reasons";
import type { SkippedItemInput } from "../../src/jobs/skipped-items.repository";
import type { JobType, Outcome } from "../../src/jobs/vocabulary";

// The end-to-end tests' data: a few connectors and jobs of every kind, with known IDs and values, laid
// out relative to now so that time spans behave as they would for a real account.

/** Names that break careless CSV writers and HTML templates. */
export const TRICKY_NAMES = [
  "Budget, final, v2.xlsx",
  'Quote "the" report.docx',
  "Line one\nline two.txt",
  "日本語のファイル.pdf",
  "Ελληνικά έγγραφα.docx",
  "Ünïcödé 🎉 notes.md",
  '=HYPERLINK("http://evil.example","click")',
  "+cmd|' /C calc'!A0",
  "@SUM(1+1)",
  "-2+3",
  "\n=1+1 after a line feed",
  "<script>alert('x')</script>.html",
];

type Step =
  | { type: "started"; at: number }
  | { type: "progress"; at: number; stats: Record<string, { items: number; bytes: number }> }
  | { type: "skipped"; items: SkippedItemInput[] }
  | {
      type: "finished";
      at: number;
      outcome: Outcome;
      reason?: EngineReasonCode;
      stats?: Record<string, { items: number; bytes: number }>;
      snapshot?: { id: string; partial: boolean };
      artifact?: { url: string; expiresAt: string; bytes: number };
    };

export async function seedE2e(
  db: Db,
  target: { accountId: number; user: { id: number; email: string } },
  key: "a" | "b",
  now: Date,
) {
  const clock = new ManualClock(now);
  const t = (ms: number) => new Date(now.getTime() + ms);
  const accountId = target.accountId;

  const connectors: [string, string, ConnectorKind][] =
    key === "a"
      ? [
          ["m365", "Contoso Mail", "microsoft_365"],
          ["sp", "Contoso SharePoint", "sharepoint"],
          ["sf", "Contoso Salesforce", "salesforce"],
          ["odd", 'Finance, "Q4" <b>team</b>', "onedrive"],
        ]
      : [
          ["m365", "Fabrikam Mail", "microsoft_365"],
          ["gws", "Fabrikam Workspace", "google_workspace"],
        ];
  for (const [id, name, kind] of connectors) {
    await upsertConnector(db, accountId, { id, name, kind }, t(-60 * DAY).toISOString());
  }

  async function job(
    id: string,
    connectorId: string,
    type: JobType,
    description: string,
    steps: Step[],
    scheduledAt: number | null = null,
  ) {
    // Registered when it was scheduled or started, and never in the future.
    clock.set(t(Math.min(0, scheduledAt ?? (steps[0] && "at" in steps[0] ? steps[0].at : 0))));
    await registerJob(db, clock, accountId, {
      id,
      connectorId,
      type,
      description,
      scheduledAt: scheduledAt === null ? null : t(scheduledAt).toISOString(),
    });
    let seq = 0;
    let at = 0;
    for (const step of steps) {
      seq += 1;
      if ("at" in step) at = step.at;
      clock.set(t(at));
      const event = (
        "at" in step ? { ...step, seq, at: t(step.at).toISOString() } : { ...step, seq }
      ) as EngineEvent;
      await recordEvent(db, clock, accountId, id, event, eventHash(event));
    }
  }

  const backup = (
    start: number,
    added: number,
    extra: Step[] = [],
    finish: Partial<Extract<Step, { type: "finished" }>> = {},
  ): Step[] => [
    { type: "started", at: start },
    {
      type: "progress",
      at: start + 10 * MINUTE,
      stats: { added: { items: Math.round(added / 2), bytes: added * 500 } },
    },
    ...extra,
    {
      type: "finished",
      at: start + 25 * MINUTE,
      outcome: "completed",
      stats: { added: { items: added, bytes: added * 1000 }, removed: { items: 3, bytes: 3000 } },
      snapshot: { id: `snap-${start}`, partial: false },
      ...finish,
    },
  ];

  if (key === "b") {
    await job("bk-shared-1", "m365", "backup", "Fabrikam nightly backup of mailboxes", backup(-2 * HOUR, 77));
    await job("rs-b-1", "gws", "restore", "Fabrikam restore of the design drive", [
      { type: "started", at: -30 * MINUTE },
      { type: "progress", at: -20 * MINUTE, stats: { restored: { items: 5, bytes: 5000 } } },
    ]);
    return { connectors: connectors.map(([id]) => id) };
  }

  // Regular backups of two connectors over the last ten days: twice a day.
  const stubborn: SkippedItemInput[] = [
    {
      key: "m365:stubborn:1",
      name: "Shared mailbox calendar",
      path: "/shared/calendar",
      kind: "calendar",
      size: 2048,
      reason: "throttled",
    },
    {
      key: "m365:stubborn:2",
      name: "Archive folder",
      path: "/anna/Archive",
      kind: "folder",
      size: 999,
      reason: "inaccessible",
    },
  ];
  for (let d = 10; d >= 1; d -= 1) {
    for (const [h, connectorId] of [
      [2, "m365"],
      [14, "sp"],
    ] as const) {
      const start = -d * DAY + h * HOUR - 12 * HOUR;
      const skip: Step[] = connectorId === "m365" && d <= 3 ? [{ type: "skipped", items: stubborn }] : [];
      await job(
        `bk-${connectorId}-d${d}`,
        connectorId,
        "backup",
        `Scheduled backup of ${connectorId === "m365" ? "all mailboxes" : "team sites"}`,
        backup(start, 100 * d + h, skip),
      );
    }
  }

  // A backup whose skipped items have names that test escaping and CSV safety, and enough items to page.
  const tricky: SkippedItemInput[] = TRICKY_NAMES.map((name, i) => ({
    key: `tricky-${String(i).padStart(2, "0")}`,
    name,
    path: i % 2 ? `/finance/${name}` : null,
    kind: i === 2 ? "folder" : "file",
    size: 1000 + i,
    reason: i % 3 === 0 ? "throttled" : "api_error",
  }));
  const many: SkippedItemInput[] = Array.from({ length: 60 }, (_, i) => ({
    key: `many-${String(i).padStart(3, "0")}`,
    name: `Report ${i}.pdf`,
    path: "/reports",
    kind: "file",
    size: 10_000 + i,
    reason: i < 20 ? "bad_request" : "throttled",
  }));
  await job(
    "bk-tricky",
    "odd",
    "backup",
    "Backup of the finance drives",
    backup(-5 * HOUR, 640, [{ type: "skipped", items: [...tricky, ...many] }]),
  );

  // Problems: a Salesforce backup stopped with a partial snapshot; one that failed; an aborted one with a follow-up.
  await job("bk-sf-limit", "sf", "backup", "Backup of the production org", [
    { type: "started", at: -26 * HOUR },
    { type: "finished", at: -26 * HOUR + 5 * MINUTE, outcome: "failed", reason: "api_limit_reached" },
  ]);
  await job("bk-sf-partial", "sf", "backup", "Backup of the production org", [
    { type: "started", at: -20 * HOUR },
    { type: "progress", at: -20 * HOUR + 10 * MINUTE, stats: { added: { items: 400, bytes: 400_000 } } },
    {
      type: "finished",
      at: -20 * HOUR + 30 * MINUTE,
      outcome: "stopped",
      reason: "authentication_failed",
      stats: { added: { items: 420, bytes: 420_000 } },
      snapshot: { id: "snap-partial-1", partial: true },
    },
  ]);
  await job("bk-aborted", "sp", "backup", "Backup of team sites zebracorn", [
    { type: "started", at: -8 * HOUR },
    { type: "finished", at: -8 * HOUR + 2 * MINUTE, outcome: "failed", reason: "job_aborted" },
  ]);
  await job("bk-maintenance", "m365", "backup", "Backup of all mailboxes", [
    { type: "started", at: -7 * HOUR },
    { type: "finished", at: -7 * HOUR + 4 * MINUTE, outcome: "cancelled", reason: "service_interrupted" },
  ]);
  await job("bk-nothing-new", "sp", "backup", "Backup of team sites", [
    { type: "started", at: -6 * HOUR },
    {
      type: "finished",
      at: -6 * HOUR + MINUTE,
      outcome: "completed",
      snapshot: { id: "snap-same", partial: false },
    },
  ]);
  // An old backup whose skipped-items report has expired.
  await job(
    "bk-old",
    "m365",
    "backup",
    "Backup of all mailboxes",
    backup(-40 * DAY, 12, [
      {
        type: "skipped",
        items: [{ key: "old-1", name: "Old item", kind: "mail", size: 10, reason: "other" }],
      },
    ]),
  );

  // Restores.
  await job(
    "rs-done",
    "sp",
    "restore",
    "Restore of the intranet home site",
    [
      { type: "started", at: -30 * HOUR },
      {
        type: "finished",
        at: -29 * HOUR,
        outcome: "completed",
        stats: { restored: { items: 120, bytes: 1_200_000 }, overwritten: { items: 8, bytes: 80_000 } },
      },
    ],
    -30 * HOUR - 10 * MINUTE,
  );
  await job("rs-partial", "sp", "restore", "Restore of the projects site", [
    { type: "started", at: -28 * HOUR },
    {
      type: "skipped",
      items: [{ key: "rs-p-1", name: "Permissions of /projects", kind: "list", reason: "bad_request" }],
    },
    {
      type: "finished",
      at: -27 * HOUR,
      outcome: "completed",
      stats: { restored: { items: 40, bytes: 400_000 } },
    },
  ]);
  await job("rs-all-skipped", "m365", "item_restore", "Restore “Budget.xlsx” to /anna/Documents", [
    { type: "started", at: -3 * HOUR },
    {
      type: "skipped",
      items: [{ key: "rs-a-1", name: "Budget.xlsx", kind: "file", size: 5000, reason: "bad_token" }],
    },
    { type: "finished", at: -3 * HOUR + MINUTE, outcome: "completed" },
  ]);
  await job("ir-running", "m365", "item_restore", "Restore “Minutes.docx” to /lukas/Documents", [
    { type: "started", at: -15 * MINUTE },
    { type: "progress", at: -10 * MINUTE, stats: { restored: { items: 2, bytes: 2000 } } },
  ]);
  await job("rs-scheduled", "sp", "restore", "Restore of the archive site to a new location", [], 2 * HOUR);

  // Downloads.
  await job("dl-pst", "m365", "pst_download", "PST export of anna's mailbox", [
    { type: "started", at: -4 * HOUR },
    {
      type: "finished",
      at: -4 * HOUR + 20 * MINUTE,
      outcome: "completed",
      artifact: {
        url: "https://downloads.example/anna.pst",
        expiresAt: t(6 * DAY).toISOString(),
        bytes: 2_500_000_000,
      },
    },
  ]);
  await job("dl-zip-failed", "sp", "zip_download", "ZIP export of /projects", [
    { type: "started", at: -9 * HOUR },
    { type: "finished", at: -9 * HOUR + 3 * MINUTE, outcome: "failed", reason: "internal_error" },
  ]);

  await job("bk-shared-1", "m365", "backup", "Contoso nightly backup of mailboxes", backup(-90 * MINUTE, 55));
  return { connectors: connectors.map(([id]) => id) };
}
