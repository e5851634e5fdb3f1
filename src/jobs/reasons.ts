import type { JobType } from "./vocabulary";

// The catalog of reasons a job can end Unsuccessful, Incomplete or Cancelled, with what each means and
// what the admin should do. Engines send the codes in ENGINE_REASON_CODES; the service adds the others.

export const ENGINE_REASON_CODES = [
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
] as const;
export type EngineReasonCode = (typeof ENGINE_REASON_CODES)[number];

export const SERVICE_REASON_CODES = ["items_skipped", "all_items_skipped"] as const;
export type ServiceReasonCode = (typeof SERVICE_REASON_CODES)[number];

export type ReasonCode = EngineReasonCode | ServiceReasonCode;
export const REASON_CODES: readonly ReasonCode[] = [...ENGINE_REASON_CODES, ...SERVICE_REASON_CODES];

/** What kind of step the admin has to take; the page shows it as a labelled badge. */
export type ActionKind =
  | "none"
  | "reauthenticate"
  | "grant_role"
  | "raise_api_quota"
  | "enable_api"
  | "fix_configuration"
  | "check_account"
  | "contact_support"
  | "retry";

export const ACTION_LABELS: Record<ActionKind, string> = {
  none: "No action needed",
  reauthenticate: "Re-authenticate the connector",
  grant_role: "Grant a role",
  raise_api_quota: "Raise the API quota",
  enable_api: "Enable API access",
  fix_configuration: "Update the configuration",
  check_account: "Check the tenant or account",
  contact_support: "Contact support",
  retry: "Try again",
};

/** What a reason says for one job family. */
export type ReasonGuidance = {
  action: ActionKind;
  /** What the admin should do, in a sentence or two. */
  todo: string;
  /** Whether the service schedules a new job by itself after this reason. */
  newJobScheduled: boolean;
  /** Whether support needs the skipped-items report along with the service ID and connector name. */
  sendSkippedReport: boolean;
  /** What the reason means for this family, where it differs from the reason's general meaning. */
  meaning?: string;
};

export type Reason = {
  code: ReasonCode;
  title: string;
  meaning: string;
  /** Guidance for backups; restores and item restores; PST and ZIP downloads. */
  backup: ReasonGuidance;
  restore: ReasonGuidance;
  download: ReasonGuidance;
};

type Family = "backup" | "restore" | "download";

function familyOf(type: JobType): Family {
  if (type === "backup") return "backup";
  if (type === "restore" || type === "item_restore") return "restore";
  return "download";
}

const guidance = (
  action: ActionKind,
  todo: string,
  extra: Partial<Pick<ReasonGuidance, "newJobScheduled" | "sendSkippedReport" | "meaning">> = {},
): ReasonGuidance => ({
  action,
  todo,
  newJobScheduled: extra.newJobScheduled ?? false,
  sendSkippedReport: extra.sendSkippedReport ?? false,
  ...(extra.meaning ? { meaning: extra.meaning } : {}),
});

const sameForAll = (g: ReasonGuidance) => ({ backup: g, restore: g, download: g });

const SUPPORT_BACKUP =
  "Contact support and give them your service ID and the connector name (both are in the support details below).";
const SUPPORT_RESTORE =
  "Contact support and give them your service ID, the connector name and this job's skipped-items report (CSV).";

const CATALOG: Record<ReasonCode, Omit<Reason, "code">> = {
  job_aborted: {
    title: "Job stopped before it finished",
    meaning:
      "The engine running the job had to stop it part-way, for example because the work moved to another server. Your data and settings are not the cause.",
    backup: guidance("none", "Nothing to do: the service has already scheduled a new backup.", {
      newJobScheduled: true,
    }),
    restore: guidance("none", "Nothing to do: the service has already scheduled the restore to run again.", {
      newJobScheduled: true,
    }),
    download: guidance("retry", "Request the download again."),
  },
  internal_error: {
    title: "Unexpected problem in the service",
    meaning: "Something went wrong on our side that the engine could not put a name to.",
    backup: guidance(
      "contact_support",
      `${SUPPORT_BACKUP} We will look into it and confirm that your data is safe.`,
    ),
    restore: guidance("contact_support", SUPPORT_RESTORE, { sendSkippedReport: true }),
    download: guidance("contact_support", SUPPORT_BACKUP),
  },
  not_global_admin: {
    title: "Service account is not a Global Administrator",
    meaning:
      "The Microsoft account this connector signs in with does not hold the Global Administrator role, so the job could not run (or could not go on).",
    ...sameForAll(
      guidance(
        "grant_role",
        "Give the connector's service account the Global Administrator role, then re-authenticate the connector.",
      ),
    ),
  },
  authentication_failed: {
    title: "Connector sign-in is no longer valid",
    meaning:
      "The connection between this service and the cloud application has expired or was revoked, so the job could not run (or could not go on).",
    ...sameForAll(
      guidance(
        "reauthenticate",
        "Re-authenticate the connector, signing in with an account that has the admin role and permissions the connector needs.",
      ),
    ),
  },
  api_limit_reached: {
    title: "API request limit reached",
    meaning:
      "The connector used up the share of Salesforce API requests it is allowed, so the job could not run (or could not go on).",
    backup: guidance(
      "raise_api_quota",
      "Raise the percentage of API requests the connector may use, so the next backup can run. A higher share can slow down your other Salesforce integrations.",
    ),
    restore: guidance(
      "raise_api_quota",
      "Raise the connector's Salesforce API request allowance, then start the restore again.",
    ),
    download: guidance(
      "raise_api_quota",
      "Raise the connector's API request allowance, then request the download again.",
    ),
  },
  invalid_configuration: {
    title: "Job configuration is not valid",
    meaning: "The configuration saved for this job could not be used as it is.",
    backup: guidance(
      "contact_support",
      `${SUPPORT_BACKUP} Support will repair the configuration and start the backup.`,
    ),
    restore: guidance(
      "contact_support",
      `${SUPPORT_RESTORE} Support will repair the restore settings and start the restore.`,
      { sendSkippedReport: true },
    ),
    download: guidance("contact_support", SUPPORT_BACKUP),
  },
  incident: {
    title: "Incident on our servers",
    meaning:
      "An incident on our servers interrupted the job. Our engineers start working on incidents as soon as they happen.",
    backup: guidance(
      "none",
      "Nothing to do. If this keeps happening, contact support with your service ID and the connector name.",
    ),
    restore: guidance(
      "none",
      "Nothing to do. If this keeps happening, contact support with your service ID, the connector name and this job's skipped-items report.",
      { sendSkippedReport: true },
    ),
    download: guidance(
      "none",
      "Nothing to do. If this keeps happening, contact support with your service ID and the connector name.",
    ),
  },
  salesforce_api_disabled: {
    title: "Salesforce API access is turned off",
    meaning:
      "The Salesforce organization does not allow API access, which this service needs to back up and restore.",
    ...sameForAll(
      guidance(
        "enable_api",
        "Use a Salesforce edition that includes API access (Enterprise, Unlimited, Developer or Performance), and make sure the System Administrator profile the connector uses, or one of its permission sets, has “API Enabled”.",
      ),
    ),
  },
  authorization_error: {
    title: "Authorization error",
    meaning: "The cloud application returned an error while the connector was being authorized.",
    backup: guidance("contact_support", SUPPORT_BACKUP),
    restore: guidance("contact_support", SUPPORT_RESTORE, { sendSkippedReport: true }),
    download: guidance("contact_support", SUPPORT_BACKUP),
  },
  tenant_not_found: {
    title: "Tenant or organization no longer exists",
    meaning:
      "The Microsoft 365 tenant may have expired, or the Salesforce organization may have been disabled.",
    ...sameForAll(
      guidance(
        "check_account",
        "Check with the provider that the tenant or organization is still active and paid for.",
      ),
    ),
  },
  authorization_server_unavailable: {
    title: "Sign-in server temporarily unavailable",
    meaning: "The provider's authorization server did not answer. It is normally back within minutes.",
    backup: guidance("none", "Nothing to do: the service has already scheduled a new backup.", {
      newJobScheduled: true,
    }),
    restore: guidance("retry", "Start the restore again in a little while."),
    download: guidance("retry", "Request the download again in a little while."),
  },
  organization_not_found: {
    title: "No organization found",
    meaning: "The admin account the connector uses cannot see an organization whose data it could protect.",
    ...sameForAll(
      guidance(
        "check_account",
        "Check that the connector is signed in with the right admin account, and that this account has a valid license and access to the data.",
      ),
    ),
  },
  entra_groups_missing: {
    title: "Groups in the configuration were deleted",
    meaning:
      "The connector's configuration names Entra ID groups that no longer exist in the tenant, so the service cannot reach them and the job cannot go on.",
    ...sameForAll(
      guidance(
        "fix_configuration",
        "Open the connector's configuration and accept removing the missing groups, or create the groups again in Entra ID.",
      ),
    ),
  },
  devops_organizations_missing: {
    title: "Azure DevOps organizations were deleted",
    meaning:
      "The connector's configuration names Azure DevOps organizations that no longer exist, so the service cannot reach them and the job cannot go on.",
    ...sameForAll(
      guidance(
        "fix_configuration",
        "Open the connector's configuration and accept removing the missing organizations, or add them back to Azure DevOps.",
      ),
    ),
  },
  service_interrupted: {
    title: "Stopped for service maintenance",
    meaning: "The service stopped the job to install an update or restart a server.",
    backup: guidance("none", "Nothing to do: the connector's next scheduled backup runs as usual."),
    restore: guidance("retry", "Start the restore again if you still need it."),
    download: guidance("retry", "Request the download again if you still need it."),
  },
  items_skipped: {
    title: "Some items were skipped",
    meaning: "One or more items could not be written to the target, while others were.",
    ...sameForAll(
      guidance(
        "retry",
        "Open the skipped items below (or download them as CSV) to see what was left out. Restore a few items one by one, or run the same restore again if many were skipped.",
      ),
    ),
  },
  all_items_skipped: {
    title: "Every item was skipped",
    meaning: "The restore finished, but not a single item could be written to the target.",
    backup: guidance(
      "none",
      "Nothing to do now: the next scheduled backup tries these items again. If they are skipped again, check their reasons below, and contact support with your service ID, the connector name and this job's skipped-items report.",
      {
        sendSkippedReport: true,
        meaning:
          "The backup ran to its end and found changes, but could not reach a single changed item: nothing was added or removed, and every item it tried is listed as skipped.",
      },
    ),
    restore: guidance(
      "retry",
      "Run the restore again. If it happens again, contact support with your service ID, the connector name and this job's skipped-items report.",
      { sendSkippedReport: true },
    ),
    download: guidance(
      "retry",
      "Run the restore again. If it happens again, contact support with your service ID, the connector name and this job's skipped-items report.",
      { sendSkippedReport: true },
    ),
  },
};

/** Extra advice for restores of some applications, where skipped items are expected. */
export const RESTORE_NOTES: Partial<Record<string, string>> = {
  sharepoint:
    "SharePoint restores may leave out some metadata, columns, content types or permissions while the data itself comes back. Check the site before restoring again.",
  entra_id:
    "Entra ID cannot recreate distribution groups or mail-enabled security groups through its API, so those groups and memberships in them are skipped.",
};

/** The catalog entry for a code; undefined for a code the catalog does not know. */
export function findReason(code: string | null | undefined): Reason | undefined {
  if (!code || !Object.hasOwn(CATALOG, code)) return undefined;
  return { code: code as ReasonCode, ...CATALOG[code as ReasonCode] };
}

/** What a reason tells the admin for a job of this type. */
export function guidanceFor(reason: Reason, type: JobType): ReasonGuidance {
  return reason[familyOf(type)];
}

/** What a reason means for a job of this type. */
export function meaningFor(reason: Reason, type: JobType): string {
  return guidanceFor(reason, type).meaning ?? reason.meaning;
}

/** Whether the service schedules a new job by itself when a job of this type ends with this reason. */
export function schedulesFollowUp(code: string | null, type: JobType): boolean {
  const reason = findReason(code);
  return reason ? guidanceFor(reason, type).newJobScheduled : false;
}
