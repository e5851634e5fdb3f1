import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { serve } from "@hono/node-server";
import { createAccount } from "../../src/accounts/accounts.repository";
import { createApp } from "../../src/app";
import { createApiToken } from "../../src/auth/api-tokens";
import { hashPassword } from "../../src/auth/passwords";
import { createUser } from "../../src/auth/users.repository";
import { systemClock } from "../../src/clock";
import { loadConfig } from "../../src/config";
import { openConfiguredDatabase } from "../../src/db/connection";
import { migrateToLatest } from "../../src/db/migrate";
import { DEMO_CONNECTORS } from "../../src/demo/demo-data";
import { seedHistory } from "../../src/demo/seed";
import { createLogger } from "../../src/logger";
import { seedE2e } from "./seed";
import { stateFile } from "./state-file";

// Starts a Job Monitor for the end-to-end tests on a fresh database with known accounts, users, tokens
// and jobs, and writes what the tests need to know into a state file next to the database.

export const PASSWORD = "e2e-password-Correct-1";

async function main() {
  const port = Number(process.env.E2E_PORT ?? 3201);
  const dir = path.dirname(stateFile(port));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const config = loadConfig({
    ...process.env,
    PORT: String(port),
    DATABASE_URL: path.join(dir, "db.sqlite"),
    DEMO: "off",
    REFRESH_SECONDS: "2",
  });
  const db = openConfiguredDatabase(config);
  await migrateToLatest(db);
  const now = new Date();
  const state: Record<string, unknown> = { basePath: config.basePath, password: PASSWORD, accounts: {} };
  const hash = await hashPassword(PASSWORD, 14);
  for (const [key, serviceId, name] of [
    ["a", "E2E-A-1001", "Contoso Ltd"],
    ["b", "E2E-B-2002", "Fabrikam Inc"],
  ] as const) {
    const account = await createAccount(db, { serviceId, name, createdAt: now.toISOString() });
    const email = `admin@${key}.e2e.test`;
    const user = await createUser(db, {
      accountId: account.id,
      email,
      passwordHash: hash,
      now: now.toISOString(),
    });
    const token = await createApiToken(db, {
      accountId: account.id,
      name: "e2e engine",
      now: now.toISOString(),
    });
    const seeded = await seedE2e(db, { accountId: account.id, user: { id: user.id, email } }, key, now);
    (state.accounts as Record<string, unknown>)[key] = { serviceId, name, email, token, ...seeded };
  }
  // The demo data set in an account of its own, as a new user sees it (on the root server only: it is
  // what the screenshot test checks for rows that do not fit the window).
  if (!config.basePath) {
    const account = await createAccount(db, {
      serviceId: "E2E-DEMO-3003",
      name: "Northwind Traders",
      createdAt: now.toISOString(),
    });
    const email = "admin@d.e2e.test";
    const user = await createUser(db, {
      accountId: account.id,
      email,
      passwordHash: hash,
      now: now.toISOString(),
    });
    const token = await createApiToken(db, {
      accountId: account.id,
      name: "demo engine",
      now: now.toISOString(),
    });
    await seedHistory(db, { accountId: account.id, user: { id: user.id, email } }, now, 30);
    (state.accounts as Record<string, unknown>).d = {
      serviceId: "E2E-DEMO-3003",
      name: "Northwind Traders",
      email,
      token,
      connectors: DEMO_CONNECTORS.map((c) => c.id),
    };
  }
  writeFileSync(stateFile(port), JSON.stringify(state, null, 2));

  const app = createApp({ config, db, clock: systemClock, logger: createLogger(config.logLevel) });
  const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
  const stop = () => server.close(() => db.destroy().then(() => process.exit(0)));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
