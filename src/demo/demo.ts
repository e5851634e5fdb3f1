import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { countAccounts, createAccount, findAccountByServiceId } from "../accounts/accounts.repository";
import { hashPassword } from "../auth/passwords";
import { createUser, findUserByEmail } from "../auth/users.repository";
import type { AppDeps } from "../context";
import { sqlitePath } from "../db/connection";
import { purgeExpiredSkippedItems } from "../jobs/retention";
import { DEMO_ACCOUNT_NAME, DEMO_EMAIL, DEMO_SERVICE_ID } from "./demo-data";
import { startDemoEngine } from "./demo-engine";
import { seedHistory } from "./seed";

// The demo: on an empty database it creates an account, a user and three months of jobs; then a
// made-up engine keeps the page alive. The demo password is kept next to the database file so that
// every start can print it again.

function credentialsFile(databaseUrl: string): string | null {
  const file = sqlitePath(databaseUrl);
  // On PostgreSQL there is no database file to keep it beside; the password is printed once.
  return file === null || file === ":memory:" ? null : path.join(path.dirname(file), "demo-login.json");
}

export async function startDemo(deps: AppDeps) {
  const { db, clock, config, logger } = deps;
  const file = credentialsFile(config.databaseUrl);
  let account = await findAccountByServiceId(db, DEMO_SERVICE_ID);
  let password: string;

  if (!account) {
    if ((await countAccounts(db)) > 0) {
      logger.info("the database holds other accounts; the demo stays off");
      return null;
    }
    const now = clock.now();
    password = randomBytes(12).toString("base64url");
    account = await createAccount(db, {
      serviceId: DEMO_SERVICE_ID,
      name: DEMO_ACCOUNT_NAME,
      createdAt: now.toISOString(),
    });
    const user = await createUser(db, {
      accountId: account.id,
      email: DEMO_EMAIL,
      passwordHash: await hashPassword(password, config.scryptLog2N),
      now: now.toISOString(),
    });
    if (file) writeFileSync(file, JSON.stringify({ email: DEMO_EMAIL, password }, null, 2), { mode: 0o600 });
    console.log("Creating 90 days of demo jobs (once, about half a minute)…");
    const started = Date.now();
    const jobs = await seedHistory(
      db,
      { accountId: account.id, user: { id: user.id, email: user.email } },
      now,
    );
    await purgeExpiredSkippedItems(db, now, config.reportRetentionDays);
    logger.info({ jobs, ms: Date.now() - started }, "demo data created");
  } else {
    const user = await findUserByEmail(db, DEMO_EMAIL);
    const saved =
      file && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { password?: string }) : {};
    password = user && saved.password ? saved.password : "(set with: job-monitor user create)";
  }

  const engine = startDemoEngine(deps, account.id);
  return {
    email: DEMO_EMAIL,
    password,
    stop: () => engine.stop(),
    get stopped() {
      return engine.stopped;
    },
  };
}
