import { z } from "zod";
import { CONNECTOR_KINDS } from "../connectors/connector-kinds";
import { unstorableText } from "../db/text";
import { ENGINE_REASON_CODES, SERVICE_REASON_CODES } from "../jobs/reasons";
import { ITEM_KINDS, JOB_TYPES, OUTCOMES, SKIP_REASONS } from "../jobs/vocabulary";
import type { FieldProblem } from "./problem";

// One schema per request body of the engine API (PRODUCT.md §4). Their output is what the domain takes:
// timestamps normalised to ISO-8601 UTC, optional fields absent rather than null.

export const MAX_SKIPPED_BATCH = 10_000;

/**
 * Every string an engine sends starts here: text the store keeps exactly as sent (no lone surrogates,
 * no NUL; see src/db/text.ts), or a 400 naming the field.
 */
const string = (error = "must be a string") =>
  z.string({ error }).check(
    z.superRefine((value, ctx) => {
      const problem = unstorableText(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
    }),
  );

/** IDs of jobs and connectors: what engines use, safe in URLs and CSV file names. */
export const idSchema = string()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:@~-]*$/,
    "may hold letters, digits and . _ : @ ~ - and must start with a letter or digit",
  );

const text = (max: number) => string().max(max, `must be at most ${max} characters`);

const timestamp = string("must be an ISO-8601 date and time")
  .max(40, "must be an ISO-8601 date and time")
  .pipe(
    z.iso.datetime({
      offset: true,
      error: "must be an ISO-8601 date and time with a time zone, like 2026-11-27T14:05:00Z",
    }),
  )
  .transform((v) => new Date(v).toISOString())
  .refine((v) => v >= "2000-01-01" && v < "2100-01-01", "must be between the years 2000 and 2099");

const count = z
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(0, "must not be negative")
  .max(Number.MAX_SAFE_INTEGER, "is too large");

const stat = z.object({ items: count, bytes: count }, { error: "must be an object with items and bytes" });

const reportedStats = z
  .object(
    {
      added: stat.optional(),
      removed: stat.optional(),
      restored: stat.optional(),
      overwritten: stat.optional(),
    },
    { error: "must be an object" },
  )
  .strict();

const enumOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, {
    error: (issue) =>
      issue.input === undefined ? "is required" : `must be one of the ${what}: ${values.join(", ")}`,
  });

export const connectorBody = z.object({
  name: text(200).min(1, "must not be empty"),
  kind: enumOf(CONNECTOR_KINDS, "connector kinds"),
});

export const jobBody = z.object({
  id: idSchema,
  connectorId: idSchema,
  type: enumOf(JOB_TYPES, "job types"),
  description: text(2000),
  scheduledAt: timestamp.nullish().transform((v) => v ?? null),
});

const skippedItem = z.object({
  key: text(1024).min(1, "must not be empty"),
  name: text(1024).min(1, "must not be empty"),
  path: text(4096).nullish(),
  kind: enumOf(ITEM_KINDS, "item kinds"),
  size: count.nullish(),
  reason: enumOf(SKIP_REASONS, "skip reasons"),
});

const seq = z
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be 1 or more")
  .max(2_147_483_647, "is too large");

const engineReason = z.enum(ENGINE_REASON_CODES, {
  error: (issue) =>
    (SERVICE_REASON_CODES as readonly unknown[]).includes(issue.input)
      ? `“${issue.input}” is set by the service itself, not by engines`
      : `must be one of the reason codes: ${ENGINE_REASON_CODES.join(", ")}`,
});

export const eventBody = z.discriminatedUnion(
  "type",
  [
    z.object({ seq, type: z.literal("started"), at: timestamp }),
    z.object({ seq, type: z.literal("progress"), at: timestamp, stats: reportedStats }),
    z.object({
      seq,
      type: z.literal("skipped"),
      items: z
        .array(skippedItem, { error: "must be a list of items" })
        .min(1, "must hold at least one item")
        .max(MAX_SKIPPED_BATCH, `must hold at most ${MAX_SKIPPED_BATCH.toLocaleString("en-US")} items`),
    }),
    z
      .object({
        seq,
        type: z.literal("finished"),
        at: timestamp,
        outcome: enumOf(OUTCOMES, "outcomes"),
        reason: engineReason.nullish().transform((v) => v ?? undefined),
        stats: reportedStats.optional(),
        snapshot: z
          .object({
            id: text(200).min(1, "must not be empty"),
            partial: z.boolean({ error: "must be true or false" }),
          })
          .nullish()
          .transform((v) => v ?? undefined),
        artifact: z
          .object({
            url: string()
              .max(2048, "must be at most 2048 characters")
              .pipe(z.url({ protocol: /^https?$/, error: "must be an http or https URL" })),
            expiresAt: timestamp,
            bytes: count,
          })
          .nullish()
          .transform((v) => v ?? undefined),
      })
      .superRefine((e, ctx) => {
        if (e.reason && e.outcome === "completed") {
          ctx.addIssue({ code: "custom", path: ["reason"], message: "a completed job has no reason" });
        }
        if (e.reason === "service_interrupted" && e.outcome !== "cancelled") {
          ctx.addIssue({
            code: "custom",
            path: ["reason"],
            message: "service_interrupted goes only with the outcome cancelled",
          });
        }
      }),
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union" ? "must be one of: started, progress, skipped, finished" : undefined,
  },
);

/** The problems zod found, each with the dotted path of its field ("items.3.kind"). */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    let field = issue.path.map(String).join(".") || "body";
    let message = issue.message;
    if (issue.code === "unrecognized_keys") {
      field = [...issue.path.map(String), issue.keys[0]].filter(Boolean).join(".");
      message =
        issue.keys[0] === "skipped"
          ? "skipped statistics are computed by the service from the reported items"
          : "is not a statistic this service knows";
    }
    return { field, message };
  });
}
