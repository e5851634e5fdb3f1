import { describe, expect, it } from "vitest";
import {
  ACTION_LABELS,
  type ActionKind,
  ENGINE_REASON_CODES,
  findReason,
  guidanceFor,
  meaningFor,
  REASON_CODES,
  RESTORE_NOTES,
  type Reason,
  type ReasonCode,
  SERVICE_REASON_CODES,
  schedulesFollowUp,
} from "./reasons";
import { JOB_TYPES, type JobType } from "./vocabulary";

// The codes PRODUCT.md §4 lets an engine send with `finished`, and the two the service adds itself.
const PRODUCT_ENGINE_CODES = [
  "job_aborted",
  "internal_error",
  "not_global_admin",
  "authentication_failed",
  "api_limit_reached",
  "invalid_configuration",
  "incident",
  "salesforce_api_disabled",
  "authorization_error",
  "tenant_not_found",
  "authorization_server_unavailable",
  "organization_not_found",
  "entra_groups_missing",
  "devops_organizations_missing",
  "service_interrupted",
];
const PRODUCT_SERVICE_CODES = ["items_skipped", "all_items_skipped"];

const FAMILIES = ["backup", "restore", "download"] as const;
const FAMILY_TYPE: Record<(typeof FAMILIES)[number], JobType> = {
  backup: "backup",
  restore: "restore",
  download: "zip_download",
};

const reason = (code: string): Reason => {
  const found = findReason(code);
  if (!found) throw new Error(`No catalog entry for ${code}`);
  return found;
};

/** All the words of a reason, as the admin reads them. */
const allText = (r: Reason) =>
  [
    r.title,
    r.meaning,
    ...FAMILIES.map((f) => r[f].todo),
    ...FAMILIES.map((f) => ACTION_LABELS[r[f].action]),
  ].join("\n");

describe("the reason catalog", () => {
  it("knows exactly the engine codes of PRODUCT.md §4", () => {
    expect([...ENGINE_REASON_CODES].sort()).toEqual([...PRODUCT_ENGINE_CODES].sort());
  });

  it("knows exactly the two codes the service adds itself", () => {
    expect([...SERVICE_REASON_CODES].sort()).toEqual([...PRODUCT_SERVICE_CODES].sort());
    expect([...REASON_CODES].sort()).toEqual([...PRODUCT_ENGINE_CODES, ...PRODUCT_SERVICE_CODES].sort());
  });

  it.each([...PRODUCT_ENGINE_CODES, ...PRODUCT_SERVICE_CODES])(
    "gives %s a title, a meaning and guidance for every job family",
    (code) => {
      const r = reason(code);
      expect(r.code).toBe(code);
      expect(r.title.trim().length).toBeGreaterThan(5);
      expect(r.meaning.trim().length).toBeGreaterThan(20);
      expect(r.meaning).toMatch(/\.$/);
      for (const family of FAMILIES) {
        const g = r[family];
        expect(g.todo.trim().length, `${code}/${family}`).toBeGreaterThan(10);
        expect(g.todo, `${code}/${family}`).toMatch(/[.”]$/);
        expect(Object.keys(ACTION_LABELS), `${code}/${family}`).toContain(g.action);
        expect(typeof g.newJobScheduled).toBe("boolean");
        expect(typeof g.sendSkippedReport).toBe("boolean");
      }
    },
  );

  it("gives every reason its own title", () => {
    const titles = REASON_CODES.map((c) => reason(c).title);
    expect(new Set(titles).size).toBe(REASON_CODES.length);
  });

  it("labels every kind of action", () => {
    const kinds: ActionKind[] = [
      "none",
      "reauthenticate",
      "grant_role",
      "raise_api_quota",
      "enable_api",
      "fix_configuration",
      "check_account",
      "contact_support",
      "retry",
    ];
    expect(Object.keys(ACTION_LABELS).sort()).toEqual([...kinds].sort());
    for (const kind of kinds) expect(ACTION_LABELS[kind].length).toBeGreaterThan(3);
  });

  it("knows nothing about codes outside the catalog", () => {
    expect(findReason("disk_full")).toBeUndefined();
    expect(findReason("")).toBeUndefined();
    expect(findReason(null)).toBeUndefined();
    expect(findReason(undefined)).toBeUndefined();
  });

  it("does not mistake properties every object has for reasons", () => {
    expect(findReason("toString")).toBeUndefined();
    expect(findReason("constructor")).toBeUndefined();
    expect(findReason("__proto__")).toBeUndefined();
    expect(findReason("hasOwnProperty")).toBeUndefined();
  });

  it("never names the vendor whose help article we reimplement", () => {
    const texts = [
      ...REASON_CODES.map((c) => allText(reason(c))),
      ...Object.values(ACTION_LABELS),
      ...Object.values(RESTORE_NOTES).map((t) => t ?? ""),
    ];
    for (const text of texts) expect(text).not.toMatch(/keepit/i);
  });
});

describe("every reason of the reference help article is in the catalog", () => {
  // The article's backup reasons, the code that carries each, what the admin is told to do, and a fact
  // of the article that our own wording must keep.
  const BACKUP_REASONS: [article: string, code: ReasonCode, action: ActionKind, fact: RegExp][] = [
    ["Job aborted", "job_aborted", "none", /scheduled a new backup/],
    ["We encountered a problem", "internal_error", "contact_support", /service ID.*connector name/],
    [
      "Your Microsoft account is not a Global Admin",
      "not_global_admin",
      "grant_role",
      /Global Administrator.*re-authenticate/s,
    ],
    ["Authentication failed", "authentication_failed", "reauthenticate", /admin role and permissions/],
    [
      "Your API request limit has been reached",
      "api_limit_reached",
      "raise_api_quota",
      /percentage of API requests/,
    ],
    [
      "Your backup configuration file is not valid",
      "invalid_configuration",
      "contact_support",
      /repair the configuration/,
    ],
    ["An incident occurred", "incident", "none", /keeps happening/],
    [
      "Salesforce API access disabled",
      "salesforce_api_disabled",
      "enable_api",
      /Enterprise, Unlimited, Developer or Performance/,
    ],
    [
      "An authorization error occurred",
      "authorization_error",
      "contact_support",
      /service ID.*connector name/,
    ],
    [
      "Your tenant no longer exists",
      "tenant_not_found",
      "check_account",
      /Microsoft 365 tenant.*Salesforce organization/s,
    ],
    [
      "Authorization server unavailable",
      "authorization_server_unavailable",
      "none",
      /scheduled a new backup/,
    ],
    [
      "We could not find an organization",
      "organization_not_found",
      "check_account",
      /right admin account.*license/s,
    ],
    [
      "Entra ID groups missing",
      "entra_groups_missing",
      "fix_configuration",
      /Entra ID.*removing the missing groups/s,
    ],
    [
      "Azure DevOps organizations missing",
      "devops_organizations_missing",
      "fix_configuration",
      /Azure DevOps.*removing the missing organizations/s,
    ],
  ];

  const RESTORE_REASONS: [article: string, code: ReasonCode, action: ActionKind, fact: RegExp][] = [
    ["At least one item skipped", "items_skipped", "retry", /one by one.*same restore again/s],
    ["All items skipped", "all_items_skipped", "retry", /Run the restore again.*contact support/s],
    ["Job aborted", "job_aborted", "none", /scheduled the restore to run again/],
    ["We encountered a problem", "internal_error", "contact_support", /skipped-items report/],
    [
      "Your Microsoft account is not a Global Admin",
      "not_global_admin",
      "grant_role",
      /Global Administrator.*re-authenticate/s,
    ],
    ["Authentication failed", "authentication_failed", "reauthenticate", /Re-authenticate the connector/],
    ["API request usage limit reached", "api_limit_reached", "raise_api_quota", /start the restore again/],
    [
      "Your restore configuration file is invalid",
      "invalid_configuration",
      "contact_support",
      /repair the restore settings/,
    ],
    ["An incident occurred on the server", "incident", "none", /keeps happening/],
    ["Salesforce API disabled", "salesforce_api_disabled", "enable_api", /API Enabled/],
    ["An authorization error occurred", "authorization_error", "contact_support", /skipped-items report/],
    ["Your tenant no longer exists", "tenant_not_found", "check_account", /tenant may have expired/],
    [
      "The authorization server is temporarily unavailable",
      "authorization_server_unavailable",
      "retry",
      /Start the restore again in a little while/,
    ],
  ];

  it.each(BACKUP_REASONS)("carries the backup reason “%s” as %s", (_article, code, action, fact) => {
    const r = reason(code);
    expect(guidanceFor(r, "backup").action).toBe(action);
    expect(allText(r)).toMatch(fact);
  });

  it.each(RESTORE_REASONS)("carries the restore reason “%s” as %s", (_article, code, action, fact) => {
    const r = reason(code);
    expect(guidanceFor(r, "restore").action).toBe(action);
    expect(guidanceFor(r, "item_restore")).toEqual(guidanceFor(r, "restore"));
    expect(allText(r)).toMatch(fact);
  });

  it("lists all fourteen backup reasons and thirteen restore reasons of the article", () => {
    expect(new Set(BACKUP_REASONS.map(([, code]) => code)).size).toBe(14);
    expect(new Set(RESTORE_REASONS.map(([, code]) => code)).size).toBe(13);
  });

  it("keeps the article's advice for SharePoint and Entra ID restores that skip items", () => {
    expect(RESTORE_NOTES.sharepoint).toMatch(/metadata.*permissions/s);
    expect(RESTORE_NOTES.entra_id).toMatch(/distribution groups.*mail-enabled security groups/s);
  });

  it("says what the Salesforce edition and profile need for API access", () => {
    const todo = guidanceFor(reason("salesforce_api_disabled"), "backup").todo;
    expect(todo).toContain("Enterprise, Unlimited, Developer or Performance");
    expect(todo).toContain("System Administrator");
    expect(todo).toContain("permission sets");
  });
});

describe("which reasons schedule a new job", () => {
  const SCHEDULES: Record<string, JobType[]> = {
    job_aborted: ["backup", "restore", "item_restore"],
    authorization_server_unavailable: ["backup"],
  };

  const cases = REASON_CODES.flatMap((code) =>
    JOB_TYPES.map((type) => [code, type, (SCHEDULES[code] ?? []).includes(type)] as const),
  );

  it.each(cases)("after %s, a %s gets a new job by itself: %s", (code, type, expected) => {
    expect(schedulesFollowUp(code, type)).toBe(expected);
    expect(guidanceFor(reason(code), type).newJobScheduled).toBe(expected);
  });

  it("schedules nothing for a job without a reason or with an unknown one", () => {
    expect(schedulesFollowUp(null, "backup")).toBe(false);
    expect(schedulesFollowUp("disk_full", "backup")).toBe(false);
  });

  it("tells the admin there is nothing to do when a new job is on its way", () => {
    for (const [code, type] of cases.filter(([, , yes]) => yes)) {
      const g = guidanceFor(reason(code), type);
      expect(g.action).toBe("none");
      expect(g.todo).toMatch(/^Nothing to do: the service has already scheduled/);
    }
  });

  it("never promises a new job when none is scheduled", () => {
    for (const [code, type] of cases.filter(([, , yes]) => !yes)) {
      expect(guidanceFor(reason(code), type).todo, `${code}/${type}`).not.toMatch(/already scheduled/);
    }
  });
});

describe("what to send to support", () => {
  const guidances = REASON_CODES.flatMap((code) =>
    FAMILIES.map((family) => [code, family, reason(code)[family]] as const),
  );
  const mentionsSupport = (todo: string) => /contact support/i.test(todo);

  it("has some reasons that send the admin to support, for every family", () => {
    for (const family of FAMILIES) {
      expect(guidances.filter(([, f, g]) => f === family && mentionsSupport(g.todo)).length).toBeGreaterThan(
        2,
      );
    }
  });

  it.each(guidances.filter(([, , g]) => mentionsSupport(g.todo)))(
    "asks for the service ID and the connector name when %s sends a %s admin to support",
    (_code, _family, g) => {
      expect(g.todo).toContain("service ID");
      expect(g.todo).toContain("connector name");
    },
  );

  it.each(guidances.filter(([, family, g]) => family === "restore" && mentionsSupport(g.todo)))(
    "asks for the skipped-items report when %s sends a %s admin to support",
    (_code, _family, g) => {
      expect(g.sendSkippedReport).toBe(true);
      expect(g.todo).toContain("skipped-items report");
    },
  );

  it("asks for the skipped-items report only about restores that send the admin to support", () => {
    const asking = guidances
      .filter(([, , g]) => g.sendSkippedReport)
      .map(([code, family]) => `${code}/${family}`);
    expect(asking.sort()).toEqual(
      [
        "all_items_skipped/restore",
        "authorization_error/restore",
        "incident/restore",
        "internal_error/restore",
        "invalid_configuration/restore",
        // A backup that skipped every changed item sends its list too; downloads never get the code.
        "all_items_skipped/backup",
        "all_items_skipped/download",
      ].sort(),
    );
  });

  it("marks the reasons that need support's help with the contact-support action", () => {
    const contact = REASON_CODES.filter(
      (code) => guidanceFor(reason(code), "backup").action === "contact_support",
    );
    expect(contact.sort()).toEqual(["authorization_error", "internal_error", "invalid_configuration"]);
  });
});

describe("a backup whose every changed item was skipped (all_items_skipped)", () => {
  const r = reason("all_items_skipped");

  it("says what it means for a backup: it ran to its end, nothing was added or removed, every item is skipped", () => {
    const text = meaningFor(r, "backup");
    expect(text).toMatch(/ran to its end/);
    expect(text).toMatch(/nothing was added or removed/);
    expect(text).not.toMatch(/restore|target/i);
  });

  it("keeps the restore meaning for restores and item restores", () => {
    expect(meaningFor(r, "restore")).toBe(
      "The restore finished, but not a single item could be written to the target.",
    );
    expect(meaningFor(r, "item_restore")).toBe(meaningFor(r, "restore"));
  });

  it("advises a backup admin: the next backup tries the items again, and support gets the skipped-items report if they stay skipped", () => {
    const g = guidanceFor(r, "backup");
    expect(g.action).toBe("none");
    expect(g.todo).toMatch(/next scheduled backup tries these items again/);
    expect(g.todo).toMatch(/contact support.*service ID.*connector name.*skipped-items report/s);
    expect(g.todo).not.toMatch(/\brestore\b/i);
    expect(g.newJobScheduled).toBe(false);
    expect(g.sendSkippedReport).toBe(true);
  });

  it("gives every other reason its one meaning for every family", () => {
    for (const code of REASON_CODES.filter((c) => c !== "all_items_skipped"))
      for (const type of JOB_TYPES) expect(meaningFor(reason(code), type), code).toBe(reason(code).meaning);
  });
});

describe("guidance by job family", () => {
  it("gives item restores the restore guidance and both downloads the download guidance", () => {
    for (const code of REASON_CODES) {
      const r = reason(code);
      expect(guidanceFor(r, "backup")).toBe(r.backup);
      expect(guidanceFor(r, "restore")).toBe(r.restore);
      expect(guidanceFor(r, "item_restore")).toBe(r.restore);
      expect(guidanceFor(r, "pst_download")).toBe(r.download);
      expect(guidanceFor(r, "zip_download")).toBe(r.download);
    }
  });

  it("never tells a backup admin to restore or a download admin to run a backup", () => {
    for (const code of ENGINE_REASON_CODES) {
      const r = reason(code);
      expect(guidanceFor(r, "backup").todo, code).not.toMatch(/\brestore\b/i);
      expect(guidanceFor(r, FAMILY_TYPE.download).todo, code).not.toMatch(/\b(backup|restore)\b/i);
    }
  });

  it("tells a restore admin to start the restore again after a service interruption", () => {
    expect(guidanceFor(reason("service_interrupted"), "restore")).toEqual({
      action: "retry",
      todo: "Start the restore again if you still need it.",
      newJobScheduled: false,
      sendSkippedReport: false,
    });
  });

  it("tells a backup admin that the next scheduled backup runs after a service interruption", () => {
    expect(guidanceFor(reason("service_interrupted"), "backup")).toEqual({
      action: "none",
      todo: "Nothing to do: the connector's next scheduled backup runs as usual.",
      newJobScheduled: false,
      sendSkippedReport: false,
    });
  });
});
