import { z } from "zod";

/** The service's settings, read once from the environment, validated, and frozen. */
export type Config = Readonly<{
  port: number;
  host: string;
  databaseUrl: string;
  /** PostgreSQL: the schema the tables live in. */
  databaseSchema: string;
  /** PostgreSQL: connections in each instance's pool. */
  databasePoolSize: number;
  demo: boolean;
  /** "" or a path like "/backup/job-monitor" (leading slash, no trailing slash). */
  basePath: string;
  refreshSeconds: number;
  reportRetentionDays: number;
  portalSigningKey: string | null;
  portalAudience: string;
  frameAncestors: readonly string[];
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** "auto" marks cookies Secure when the request arrived over HTTPS. */
  cookieSecure: "auto" | "always" | "never";
  /** "none" is for a monitor embedded in a portal on another site (third-party iframe). */
  cookieSameSite: "lax" | "none";
  logLevel: string;
  production: boolean;
  /** Whether a reverse proxy in front sets X-Forwarded-For (then the client's IP is read from it). */
  trustProxy: boolean;
  /** Serves /bench/ceiling, a constant page the benchmark compares the real page with. */
  benchCeiling: boolean;
  /** scrypt cost for new password hashes (2^N). Not an environment setting: tests lower it for speed. */
  scryptLog2N: number;
}>;

const onOff = z
  .enum(["on", "off", "true", "false", "1", "0"])
  .transform((v) => ["on", "true", "1"].includes(v));

const positiveInt = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

const envSchema = z.object({
  PORT: positiveInt("PORT", 0, 65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z.string().min(1).default("./data/job-monitor.db"),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, {
      message: "DATABASE_SCHEMA must be a lower-case name of letters, digits and _ (like job_monitor)",
    })
    .default("public"),
  DATABASE_POOL_SIZE: positiveInt("DATABASE_POOL_SIZE", 1, 500).default(10),
  DEMO: onOff.optional(),
  BASE_PATH: z
    .string()
    .default("")
    .transform((v) => v.replace(/\/+$/, ""))
    .refine((v) => v === "" || /^(\/[A-Za-z0-9._~-]+)+$/.test(v), {
      message: 'BASE_PATH must look like "/backup/job-monitor" (letters, digits, . _ ~ - between slashes)',
    }),
  REFRESH_SECONDS: positiveInt("REFRESH_SECONDS", 2, 3600).default(30),
  REPORT_RETENTION_DAYS: positiveInt("REPORT_RETENTION_DAYS", 1, 3650).default(30),
  PORTAL_SIGNING_KEY: z.string().min(32, "PORTAL_SIGNING_KEY must be at least 32 characters").optional(),
  PORTAL_AUDIENCE: z.string().min(1).default("job-monitor"),
  FRAME_ANCESTORS: z
    .string()
    .default("")
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .refine((list) => list.every((o) => /^https?:\/\/[^\s/'";]+$/.test(o)), {
      message:
        "FRAME_ANCESTORS must be origins like https://portal.example.com, separated by spaces or commas",
    }),
  SESSION_IDLE_MINUTES: positiveInt("SESSION_IDLE_MINUTES", 1, 24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: positiveInt("SESSION_ABSOLUTE_HOURS", 1, 24 * 30).default(12),
  COOKIE_SECURE: z.enum(["auto", "always", "never"]).default("auto"),
  COOKIE_SAMESITE: z.enum(["lax", "none"]).default("lax"),
  BENCH_CEILING: onOff.optional(),
  TRUST_PROXY: onOff.optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NODE_ENV: z.string().optional(),
});

export class ConfigError extends Error {}

/** Reads the environment into a Config; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    throw new ConfigError(`Invalid ${name}: ${issue.message}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  if (e.COOKIE_SAMESITE === "none" && e.COOKIE_SECURE === "never") {
    throw new ConfigError(
      "Invalid COOKIE_SAMESITE: browsers refuse SameSite=None cookies that are not Secure",
    );
  }
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    demo: e.DEMO ?? !production,
    basePath: e.BASE_PATH,
    refreshSeconds: e.REFRESH_SECONDS,
    reportRetentionDays: e.REPORT_RETENTION_DAYS,
    portalSigningKey: e.PORTAL_SIGNING_KEY ?? null,
    portalAudience: e.PORTAL_AUDIENCE,
    frameAncestors: Object.freeze(e.FRAME_ANCESTORS),
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    cookieSecure: e.COOKIE_SECURE,
    cookieSameSite: e.COOKIE_SAMESITE,
    logLevel: e.LOG_LEVEL,
    production,
    benchCeiling: e.BENCH_CEILING ?? false,
    trustProxy: e.TRUST_PROXY ?? false,
    scryptLog2N: 17,
  });
}

/** A Config for tests and tools: defaults plus the given overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return Object.freeze({
    ...loadConfig({ DATABASE_URL: ":memory:", DEMO: "off", LOG_LEVEL: "silent" }),
    ...overrides,
  });
}
