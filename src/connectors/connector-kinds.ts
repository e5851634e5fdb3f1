/** The cloud applications a connector can protect, as engines name them on the wire. */
export const CONNECTOR_KINDS = [
  "microsoft_365",
  "entra_id",
  "sharepoint",
  "exchange",
  "onedrive",
  "teams",
  "salesforce",
  "dynamics_365",
  "azure_devops",
  "google_workspace",
  "zendesk",
  "power_bi",
  "other",
] as const;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

export const CONNECTOR_KIND_LABELS: Record<ConnectorKind, string> = {
  microsoft_365: "Microsoft 365",
  entra_id: "Entra ID",
  sharepoint: "SharePoint",
  exchange: "Exchange",
  onedrive: "OneDrive",
  teams: "Teams",
  salesforce: "Salesforce",
  dynamics_365: "Dynamics 365",
  azure_devops: "Azure DevOps",
  google_workspace: "Google Workspace",
  zendesk: "Zendesk",
  power_bi: "Power BI",
  other: "Other application",
};

/**
 * Backups of these applications often skip system files that hold no customer data and are not
 * needed for a restore; the report says so, so admins do not chase them.
 */
export function skipsSystemFiles(kind: ConnectorKind): boolean {
  return kind === "salesforce" || kind === "dynamics_365";
}
