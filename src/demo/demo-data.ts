import type { ConnectorKind } from "../connectors/connector-kinds";
import type { EngineReasonCode } from "../jobs/reasons";
import type { ItemKind, SkipReason } from "../jobs/vocabulary";

// The demo's made-up organisation: its connectors, what its jobs are called, and what gets skipped.

export const DEMO_SERVICE_ID = "DEMO-7F3A-19C2";
export const DEMO_ACCOUNT_NAME = "Northwind Traders";
export const DEMO_EMAIL = "admin@northwind.example";

/** A small deterministic random source, so every fresh demo looks the same. */
export class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A skewed positive amount: mostly small, now and then large. */
  amount(typical: number): number {
    return Math.max(
      0,
      Math.round(typical * Math.exp((this.next() - 0.5) * 3) * (this.next() < 0.05 ? 8 : 1)),
    );
  }
}

export type DemoConnector = {
  id: string;
  name: string;
  kind: ConnectorKind;
  /** Hours of the day (UTC) its backups run. */
  backupHours: number[];
  /** A typical backup's new items and their average size. */
  itemsPerBackup: number;
  bytesPerItem: number;
  /** What its items are called and what they are. */
  itemKinds: ItemKind[];
  area: string;
  /** Reasons its backups fail with, most likely first. */
  failures: EngineReasonCode[];
};

const m365Failures: EngineReasonCode[] = [
  "authentication_failed",
  "not_global_admin",
  "job_aborted",
  "incident",
  "tenant_not_found",
];
const generic: EngineReasonCode[] = [
  "job_aborted",
  "internal_error",
  "incident",
  "authorization_server_unavailable",
  "authorization_error",
];

export const DEMO_CONNECTORS: DemoConnector[] = [
  {
    id: "m365-northwind",
    name: "Northwind Microsoft 365",
    kind: "microsoft_365",
    backupHours: [1, 9, 17],
    itemsPerBackup: 1800,
    bytesPerItem: 90_000,
    itemKinds: ["mail", "file", "calendar", "contact"],
    area: "all users",
    failures: m365Failures,
  },
  {
    id: "exchange-eu",
    name: "Exchange Online — Europe",
    kind: "exchange",
    backupHours: [2, 14],
    itemsPerBackup: 2400,
    bytesPerItem: 60_000,
    itemKinds: ["mail", "calendar", "contact"],
    area: "EU mailboxes",
    failures: m365Failures,
  },
  {
    id: "exchange-us",
    name: "Exchange Online — Americas",
    kind: "exchange",
    backupHours: [6, 18],
    itemsPerBackup: 2100,
    bytesPerItem: 55_000,
    itemKinds: ["mail", "calendar", "contact"],
    area: "US mailboxes",
    failures: m365Failures,
  },
  {
    id: "sharepoint-intranet",
    name: "SharePoint Intranet",
    kind: "sharepoint",
    backupHours: [3, 15],
    itemsPerBackup: 650,
    bytesPerItem: 420_000,
    itemKinds: ["file", "folder", "list", "site"],
    area: "intranet sites",
    failures: m365Failures,
  },
  {
    id: "sharepoint-projects",
    name: "SharePoint Projects",
    kind: "sharepoint",
    backupHours: [4, 16],
    itemsPerBackup: 900,
    bytesPerItem: 610_000,
    itemKinds: ["file", "folder", "list"],
    area: "project sites",
    failures: m365Failures,
  },
  {
    id: "onedrive-finance",
    name: "OneDrive — Finance",
    kind: "onedrive",
    backupHours: [0, 12],
    itemsPerBackup: 320,
    bytesPerItem: 1_200_000,
    itemKinds: ["file", "folder"],
    area: "finance team drives",
    failures: m365Failures,
  },
  {
    id: "onedrive-sales",
    name: "OneDrive — Sales",
    kind: "onedrive",
    backupHours: [5, 13, 21],
    itemsPerBackup: 410,
    bytesPerItem: 950_000,
    itemKinds: ["file", "folder"],
    area: "sales team drives",
    failures: m365Failures,
  },
  {
    id: "teams-company",
    name: "Teams — Company channels",
    kind: "teams",
    backupHours: [7, 19],
    itemsPerBackup: 1500,
    bytesPerItem: 12_000,
    itemKinds: ["mail", "file", "folder"],
    area: "company channels",
    failures: m365Failures,
  },
  {
    id: "entra-tenant",
    name: "Entra ID — northwind.onmicrosoft.com",
    kind: "entra_id",
    backupHours: [8, 20],
    itemsPerBackup: 140,
    bytesPerItem: 4_000,
    itemKinds: ["record", "other"],
    area: "users and groups",
    failures: ["entra_groups_missing", "authentication_failed", "job_aborted"],
  },
  {
    id: "salesforce-prod",
    name: "Salesforce Production",
    kind: "salesforce",
    backupHours: [1, 13],
    itemsPerBackup: 5200,
    bytesPerItem: 3_000,
    itemKinds: ["record", "file"],
    area: "production org",
    failures: ["api_limit_reached", "salesforce_api_disabled", "job_aborted", "authorization_error"],
  },
  {
    id: "salesforce-sandbox",
    name: "Salesforce Full Sandbox",
    kind: "salesforce",
    backupHours: [10],
    itemsPerBackup: 2600,
    bytesPerItem: 3_000,
    itemKinds: ["record", "file"],
    area: "full sandbox",
    failures: ["api_limit_reached", "job_aborted"],
  },
  {
    id: "dynamics-sales",
    name: "Dynamics 365 Sales",
    kind: "dynamics_365",
    backupHours: [2, 14],
    itemsPerBackup: 3100,
    bytesPerItem: 2_500,
    itemKinds: ["record", "file"],
    area: "sales environment",
    failures: ["authentication_failed", "job_aborted", "incident"],
  },
  {
    id: "dynamics-service",
    name: "Dynamics 365 Customer Service",
    kind: "dynamics_365",
    backupHours: [11, 23],
    itemsPerBackup: 1900,
    bytesPerItem: 2_800,
    itemKinds: ["record", "file"],
    area: "service environment",
    failures: ["authentication_failed", "job_aborted"],
  },
  {
    id: "devops-engineering",
    name: "Azure DevOps — Engineering",
    kind: "azure_devops",
    backupHours: [3, 15],
    itemsPerBackup: 780,
    bytesPerItem: 35_000,
    itemKinds: ["record", "file"],
    area: "engineering organizations",
    failures: ["devops_organizations_missing", "authentication_failed", "job_aborted"],
  },
  {
    id: "devops-data",
    name: "Azure DevOps — Data Platform",
    kind: "azure_devops",
    backupHours: [9],
    itemsPerBackup: 260,
    bytesPerItem: 40_000,
    itemKinds: ["record", "file"],
    area: "data organizations",
    failures: ["devops_organizations_missing", "job_aborted"],
  },
  {
    id: "gws-marketing",
    name: "Google Workspace — Marketing",
    kind: "google_workspace",
    backupHours: [4, 16],
    itemsPerBackup: 1300,
    bytesPerItem: 180_000,
    itemKinds: ["mail", "file", "folder", "calendar"],
    area: "marketing users",
    failures: ["authentication_failed", "organization_not_found", "job_aborted"],
  },
  {
    id: "gws-design",
    name: "Google Workspace — Design studio",
    kind: "google_workspace",
    backupHours: [6, 18],
    itemsPerBackup: 540,
    bytesPerItem: 2_400_000,
    itemKinds: ["file", "folder", "mail"],
    area: "design studio",
    failures: ["authentication_failed", "job_aborted"],
  },
  {
    id: "zendesk-support",
    name: "Zendesk Support",
    kind: "zendesk",
    backupHours: [0, 8, 16],
    itemsPerBackup: 820,
    bytesPerItem: 8_000,
    itemKinds: ["record", "file"],
    area: "support tickets",
    failures: generic,
  },
  {
    id: "zendesk-guide",
    name: "Zendesk Guide",
    kind: "zendesk",
    backupHours: [12],
    itemsPerBackup: 60,
    bytesPerItem: 20_000,
    itemKinds: ["record"],
    area: "help center",
    failures: generic,
  },
  {
    id: "powerbi-reports",
    name: "Power BI — Reports",
    kind: "power_bi",
    backupHours: [5, 17],
    itemsPerBackup: 45,
    bytesPerItem: 6_500_000,
    itemKinds: ["file", "other"],
    area: "report workspaces",
    failures: generic,
  },
  {
    id: "powerbi-finance",
    name: "Power BI — Finance workspace",
    kind: "power_bi",
    backupHours: [22],
    itemsPerBackup: 25,
    bytesPerItem: 9_000_000,
    itemKinds: ["file", "other"],
    area: "finance workspace",
    failures: generic,
  },
  {
    id: "m365-subsidiary",
    name: "Fabrikam Microsoft 365 (subsidiary)",
    kind: "microsoft_365",
    backupHours: [3, 11, 19],
    itemsPerBackup: 700,
    bytesPerItem: 85_000,
    itemKinds: ["mail", "file", "calendar"],
    area: "subsidiary users",
    failures: m365Failures,
  },
  {
    id: "sharepoint-archive",
    name: "SharePoint Archive",
    kind: "sharepoint",
    backupHours: [23],
    itemsPerBackup: 120,
    bytesPerItem: 2_000_000,
    itemKinds: ["file", "folder", "site"],
    area: "archive sites",
    failures: m365Failures,
  },
  {
    id: "entra-subsidiary",
    name: "Entra ID — fabrikam.onmicrosoft.com",
    kind: "entra_id",
    backupHours: [10, 22],
    itemsPerBackup: 60,
    bytesPerItem: 4_000,
    itemKinds: ["record", "other"],
    area: "subsidiary directory",
    failures: ["entra_groups_missing", "job_aborted"],
  },
  {
    id: "teams-engineering",
    name: "Teams — Engineering",
    kind: "teams",
    backupHours: [9, 21],
    itemsPerBackup: 2200,
    bytesPerItem: 9_000,
    itemKinds: ["mail", "file", "folder"],
    area: "engineering channels",
    failures: m365Failures,
  },
];

const PEOPLE = [
  "anna.berg",
  "lukas.meyer",
  "sofia.rossi",
  "jonas.nielsen",
  "maria.garcia",
  "oliver.smith",
  "emma.dubois",
  "noah.jensen",
  "mila.kowalska",
  "leo.novak",
  "ida.larsen",
  "omar.haddad",
  "yuki.tanaka",
  "chen.wei",
  "zoé.martin",
];
const FOLDERS = [
  "Q3 reports",
  "Contracts",
  "Board meetings",
  "Product launch",
  "Customer onboarding",
  "Budget 2027",
  "HR policies",
  "Design assets",
  "Legal",
  "Invoices",
  "Roadmap",
  "Partner program",
];
const FILES = [
  "Forecast v7.xlsx",
  "Signed agreement.pdf",
  "Launch plan.docx",
  "Minutes 2026-10-14.docx",
  "Brand guide.pdf",
  "Pricing sheet.xlsx",
  "Org chart.vsdx",
  "Onboarding checklist.docx",
  "Architecture.drawio",
  "Team photo.jpg",
  "Invoice 4471.pdf",
  "Quarterly review.pptx",
  "Données clients.csv",
  "議事録.docx",
];

export function personFor(r: Random): string {
  return r.pick(PEOPLE);
}

/** A made-up item of a connector that an engine could fail to reach. */
export function demoItem(r: Random, c: DemoConnector, key?: string) {
  const kind = r.pick(c.itemKinds);
  const person = personFor(r);
  const folder = r.pick(FOLDERS);
  let name: string;
  let path: string;
  switch (kind) {
    case "mail":
      name = `RE: ${folder} — follow-up`;
      path = `/${person}/Inbox/${folder}`;
      break;
    case "calendar":
      name = `${folder} sync`;
      path = `/${person}/Calendar`;
      break;
    case "contact":
      name = `${person.split(".")[0]} (contact card)`;
      path = `/${person}/Contacts`;
      break;
    case "folder":
      name = folder;
      path = `/sites/${c.area.replace(/\s+/g, "-")}/Shared Documents/${folder}`;
      break;
    case "site":
      name = `${folder} site`;
      path = `/sites/${folder.toLowerCase().replace(/\s+/g, "-")}`;
      break;
    case "list":
      name = `${folder} tracker`;
      path = `/sites/${c.area.replace(/\s+/g, "-")}/Lists`;
      break;
    case "record":
      name = `${r.pick(["Account", "Opportunity", "Case", "Contact", "Work item", "Group"])} ${r.int(10_000, 99_999)}`;
      path = `/${c.area}/${r.pick(["Objects", "Tables", "Projects", "Groups"])}`;
      break;
    default:
      name = r.pick(FILES);
      path = `/${person}/Documents/${folder}`;
  }
  const reason: SkipReason = r.pick([
    "throttled",
    "throttled",
    "api_error",
    "inaccessible",
    "bad_request",
    "other",
  ]);
  return {
    key: key ?? `${c.id}:${kind}:${r.int(1, 9_999_999).toString(36)}`,
    name,
    path,
    kind,
    size: kind === "folder" || kind === "site" ? null : r.amount(c.bytesPerItem),
    reason,
  };
}

export function backupDescription(c: DemoConnector, hour: number): string {
  const when = hour < 6 ? "Nightly" : hour < 12 ? "Morning" : hour < 18 ? "Afternoon" : "Evening";
  return `${when} backup of ${c.area}`;
}

export function restoreDescription(r: Random, c: DemoConnector, item: boolean): string {
  const person = personFor(r);
  const folder = r.pick(FOLDERS);
  if (item) {
    const file = r.pick(FILES);
    return `Restore “${file}” to /${person}/Documents/${folder} (requested by ${person}@northwind.example)`;
  }
  return r.pick([
    `Restore ${c.area} to a new location (snapshot of ${r.int(2, 28)} Nov)`,
    `Restore mailbox of ${person} to its original location`,
    `Restore “${folder}” with all subfolders, overwriting changed items`,
    `Import of ${folder.toLowerCase()} from the previous tenant`,
  ]);
}

export function downloadDescription(r: Random, type: "pst_download" | "zip_download"): string {
  const person = personFor(r);
  return type === "pst_download"
    ? `PST export of ${person}'s mailbox for legal hold`
    : `ZIP export of /${person}/Documents/${r.pick(FOLDERS)}`;
}
