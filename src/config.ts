import { isIP } from "node:net";
import { z } from "zod";

/**
 * Which reverse proxies in front of the service are trusted to say who the client is (X-Forwarded-For)
 * and how it connected (X-Forwarded-Proto): none, the last `hops` proxies whatever their addresses, or
 * the proxies at the listed addresses and networks.
 */
export type TrustProxy =
  | { kind: "none" }
  | { kind: "hops"; hops: number }
  | { kind: "proxies"; ranges: readonly ProxyRange[] };

export type ProxyRange = { address: string; prefix: number; family: "ipv4" | "ipv6" };

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
  /** The reverse proxies trusted to tell the client's address and scheme (see src/web/client.ts). */
  trustProxy: TrustProxy;
  /** Strict-Transport-Security max-age for HTTPS answers, in seconds; 0 sends none. */
  hstsMaxAge: number;
  /** How long a client may take to send a whole request (headers and body) before a 408, in ms. */
  requestTimeoutMs: number;
  /** Serves /bench/ceiling, a constant page the benchmark compares the real page with. */
  benchCeiling: boolean;
  /** scrypt cost for new password hashes (2^N). Not an environment setting: tests lower it for speed. */
  scryptLog2N: number;
}>;

const onOff = z
  .enum(["on", "off", "true", "false", "1", "0"])
  .transform((v) => ["on", "true", "1"].includes(v));

/** TRUST_PROXY: off, on (one proxy), a number of proxies, or the proxies' addresses and networks. */
const trustProxy = z.string().transform((v, ctx): TrustProxy => {
  const value = v.trim().toLowerCase();
  if (["off", "false", "0"].includes(value)) return { kind: "none" } as const;
  if (["on", "true"].includes(value)) return { kind: "hops", hops: 1 };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops <= 20) return { kind: "hops", hops };
  } else {
    const ranges = value
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(parseRange);
    if (ranges.length && ranges.every((r) => r !== null)) {
      return { kind: "proxies", ranges: Object.freeze(ranges as ProxyRange[]) };
    }
  }
  ctx.addIssue({
    code: "custom",
    message:
      "TRUST_PROXY must be off, on (one proxy), a number of proxies up to 20, or the proxies' addresses and networks like 10.0.0.0/8, 192.0.2.7",
  });
  return z.NEVER;
});

function parseRange(text: string): ProxyRange | null {
  const [address = "", prefixText, extra] = text.split("/");
  const version = isIP(address);
  if (!version || extra !== undefined) return null;
  const family = version === 4 ? "ipv4" : "ipv6";
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  return prefix <= max ? { address, prefix, family } : null;
}

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
  TRUST_PROXY: trustProxy.optional(),
  HSTS_MAX_AGE: z
    .string()
    .default("off")
    .transform((v, ctx) => {
      const value = v.trim().toLowerCase();
      if (value === "off" || value === "0") return 0;
      if (/^\d{1,9}$/.test(value)) return Number(value);
      ctx.addIssue({ code: "custom", message: "HSTS_MAX_AGE must be off or a number of seconds" });
      return z.NEVER;
    }),
  REQUEST_TIMEOUT_SECONDS: positiveInt("REQUEST_TIMEOUT_SECONDS", 1, 300).default(20),
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
    trustProxy: e.TRUST_PROXY ?? ({ kind: "none" } as const),
    hstsMaxAge: e.HSTS_MAX_AGE,
    requestTimeoutMs: e.REQUEST_TIMEOUT_SECONDS * 1000,
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
