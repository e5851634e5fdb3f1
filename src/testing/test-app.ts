import { createAccount } from "../accounts/accounts.repository";
import { createApp } from "../app";
import { createApiToken } from "../auth/api-tokens";
import { ManualClock } from "../clock";
import { type Config, testConfig } from "../config";
import { createLogger } from "../logger";
import { openTestDatabase } from "./test-database";

/**
 * A fresh service on a fresh database with a manual clock: what API and route tests run against. The
 * database is an in-memory SQLite one, or with TEST_DATABASE_URL a schema of its own on that PostgreSQL
 * server, dropped again by close().
 */
export async function createTestApp(overrides: Partial<Config> = {}, options: { clockStepMs?: number } = {}) {
  const config = testConfig(overrides);
  const { db, another, close } = await openTestDatabase();
  const clock = new ManualClock("2026-11-27T12:00:00.000Z", { stepMs: options.clockStepMs });
  const logger = createLogger("silent");
  const app = createApp({ config, db, clock, logger });

  /** Creates an account with an engine token; returns what a test needs to call the API as it. */
  async function addAccount(serviceId: string) {
    const now = clock.now().toISOString();
    const account = await createAccount(db, { serviceId, name: `Account ${serviceId}`, createdAt: now });
    const token = await createApiToken(db, { accountId: account.id, name: "test engine", now });
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      app.request(`${config.basePath}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
    return { account, token, call };
  }

  /** A second instance of the service on the same database (its own pool on PostgreSQL). */
  function secondInstance() {
    const other = another();
    return { app: createApp({ config, db: other, clock, logger }), db: other };
  }

  return { app, db, clock, config, addAccount, secondInstance, close };
}
