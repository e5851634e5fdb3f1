import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { createAccount, findAccountByServiceId } from "./accounts/accounts.repository";
import { createApiToken } from "./auth/api-tokens";
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./auth/passwords";
import { createUser, findUserByEmail, normalizeEmail } from "./auth/users.repository";
import { ConfigError, loadConfig } from "./config";
import {
  checkDatabase,
  DatabaseUnreachableError,
  describeDatabaseUrl,
  isPostgresUrl,
  openConfiguredDatabase,
  openDatabase,
} from "./db/connection";
import { CopyRefused, copyDatabase } from "./db/copy";
import type { Db } from "./db/database";
import { migrateDown, migrateToLatest } from "./db/migrate";
import { projectRoot } from "./paths";
import { generateDataset } from "./synthetic/generate";

// The operator's tool: `job-monitor <command>` (or `npm run cli -- <command>`). Every command exits
// non-zero with a one-line message on bad input. Passwords are never arguments; tokens print once.

class UsageError extends Error {}

const SERVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function serviceId(value: string): string {
  if (!SERVICE_ID.test(value)) {
    throw new InvalidArgumentError("a service ID is 1–64 letters, digits, dots, dashes or underscores");
  }
  return value;
}

function positive(max: number) {
  return (value: string) => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
      throw new InvalidArgumentError(`must be a whole number from 1 to ${max.toLocaleString("en-US")}`);
    }
    return Number(value);
  };
}

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = openConfiguredDatabase(config);
  try {
    await checkDatabase(db, config.databaseUrl);
    await migrateToLatest(db);
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/** Reads a password from stdin when it is piped, or asks for it without echo on a terminal. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let data = "";
    for await (const chunk of process.stdin) data += chunk;
    return data.split(/\r?\n/)[0] ?? "";
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      process.stderr.write(q);
      const mute = rl as unknown as { _writeToOutput: (s: string) => void };
      mute._writeToOutput = () => {};
      rl.question("", (answer) => {
        process.stderr.write("\n");
        resolve(answer);
      });
    });
  const first = await ask("Password: ");
  const second = await ask("Repeat password: ");
  rl.close();
  if (first !== second) throw new UsageError("the passwords do not match");
  return first;
}

/** The version in package.json: what `--version` prints and the operator quotes in a support case. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

export function buildCli(): Command {
  const program = new Command("job-monitor")
    .version(packageVersion(), "-V, --version", "print the version")
    .description(
      "Operator commands for Job Monitor. The database is DATABASE_URL (default ./data/job-monitor.db).",
    )
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`${text.split("\n")[0]!.replace(/^error: /, "job-monitor: ")}\n`),
    });

  program
    .command("migrate")
    .description("bring the database schema up to date")
    .option("--down", "undo the newest migration instead (data in what it added is lost)")
    .action(async (opts: { down?: boolean }) => {
      const config = loadConfig();
      const db = openConfiguredDatabase(config);
      try {
        await checkDatabase(db, config.databaseUrl);
        if (opts.down) {
          const undone = await migrateDown(db);
          console.log(undone.length ? `undone: ${undone.join(", ")}` : "no migration to undo");
          return;
        }
        const applied = await migrateToLatest(db);
        console.log(applied.length ? `applied: ${applied.join(", ")}` : "the schema is up to date");
      } finally {
        await db.destroy();
      }
    });

  const account = program.command("account").description("accounts (organisations)");
  account
    .command("create")
    .description("create an account")
    .requiredOption("--service-id <id>", "the ID support knows the account by", serviceId)
    .requiredOption("--name <name>", "the organisation's name")
    .action(async (opts: { serviceId: string; name: string }) => {
      const name = opts.name.trim();
      if (!name || name.length > 200) throw new UsageError("--name must be 1–200 characters");
      await withDb(async (db) => {
        if (await findAccountByServiceId(db, opts.serviceId)) {
          throw new UsageError(`an account with service ID ${opts.serviceId} already exists`);
        }
        const created = await createAccount(db, {
          serviceId: opts.serviceId,
          name,
          createdAt: new Date().toISOString(),
        });
        console.log(`created account ${created.service_id} (${created.name})`);
      });
    });

  const user = program.command("user").description("users who sign in to the Job Monitor");
  user
    .command("create")
    .description("create a user; the password is read from stdin or asked for")
    .requiredOption("--service-id <id>", "the user's account", serviceId)
    .requiredOption("--email <email>", "the e-mail address they sign in with")
    .action(async (opts: { serviceId: string; email: string }) => {
      const email = normalizeEmail(opts.email);
      if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
        throw new UsageError("--email is not an e-mail address");
      await withDb(async (db) => {
        const target = await findAccountByServiceId(db, opts.serviceId);
        if (!target) throw new UsageError(`no account with service ID ${opts.serviceId}`);
        if (await findUserByEmail(db, email))
          throw new UsageError(`a user with e-mail ${email} already exists`);
        const password = await readPassword();
        if (password.length < MIN_PASSWORD_LENGTH) {
          throw new UsageError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
        }
        if (password.length > MAX_PASSWORD_LENGTH) throw new UsageError("the password is too long");
        const config = loadConfig();
        await createUser(db, {
          accountId: target.id,
          email,
          passwordHash: await hashPassword(password, config.scryptLog2N),
          now: new Date().toISOString(),
        });
        console.log(`created user ${email} in account ${target.service_id}`);
      });
    });

  const token = program.command("token").description("engine API tokens");
  token
    .command("create")
    .description("create an API token for an account's engines; it is printed once, on the last line")
    .requiredOption("--service-id <id>", "the account the engines report for", serviceId)
    .option("--name <label>", "what the token is for", "engine")
    .action(async (opts: { serviceId: string; name: string }) => {
      const label = opts.name.trim();
      if (!label || label.length > 100) throw new UsageError("--name must be 1–100 characters");
      await withDb(async (db) => {
        const target = await findAccountByServiceId(db, opts.serviceId);
        if (!target) throw new UsageError(`no account with service ID ${opts.serviceId}`);
        const secret = await createApiToken(db, {
          accountId: target.id,
          name: label,
          now: new Date().toISOString(),
        });
        console.log(`created token "${label}" for ${target.service_id}; it is shown only now:`);
        console.log(secret);
      });
    });

  program
    .command("generate")
    .description("fill the database with synthetic jobs for benchmarks (accounts BENCH-1 … BENCH-n)")
    .requiredOption("--jobs <n>", "how many jobs in all", positive(50_000_000))
    .option("--connectors <n>", "how many connectors in all", positive(100_000), 500)
    .option("--accounts <n>", "how many accounts (the first holds 90 % of the jobs)", positive(1000), 3)
    .option("--skipped <n>", "how many skipped items in all (default: 5 per job)", positive(500_000_000))
    .action(async (opts: { jobs: number; connectors: number; accounts: number; skipped?: number }) => {
      if (opts.connectors < opts.accounts) throw new UsageError("--connectors must be at least --accounts");
      // The generator's bulk load pins SQLite's one connection and its SQL dialect (bench/ is SQLite's).
      if (isPostgresUrl(loadConfig().databaseUrl)) {
        throw new UsageError("generate fills a SQLite database only; point DATABASE_URL at a SQLite file");
      }
      await withDb(async (db) => {
        const result = await generateDataset(db, {
          jobs: opts.jobs,
          connectors: opts.connectors,
          accounts: opts.accounts,
          skippedItems: opts.skipped ?? opts.jobs * 5,
          now: new Date(),
          progress: (line) => process.stderr.write(line),
        });
        console.log(
          `generated ${result.jobs.toLocaleString("en-US")} jobs and ${result.skippedItems.toLocaleString("en-US")} skipped items in ${(result.ms / 1000).toFixed(1)} s`,
        );
      });
    });

  program
    .command("copy-to")
    .description(
      "copy everything DATABASE_URL holds into another, empty database (e.g. from SQLite to PostgreSQL)",
    )
    .argument("<url>", "the target: postgres://user:password@host:port/db, or a SQLite file")
    .option("--schema <name>", "PostgreSQL: the target's schema", "public")
    .option("--pool-size <n>", "PostgreSQL: the target's connections", positive(100), 2)
    .action(async (url: string, opts: { schema: string; poolSize: number }) => {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(opts.schema)) {
        throw new UsageError("--schema must be a lower-case name of letters, digits and _");
      }
      await withDb(async (from) => {
        const to = openDatabase(url, { schema: opts.schema, poolSize: opts.poolSize });
        try {
          await checkDatabase(to, url);
          await migrateToLatest(to);
          process.stderr.write(`copying into ${describeDatabaseUrl(url)}…\n`);
          const copied = await copyDatabase(from, to, (line) => process.stderr.write(line));
          const rows = Object.values(copied).reduce((a, b) => a + b, 0);
          console.log(
            `copied ${rows.toLocaleString("en-US")} rows (${copied.jobs} jobs) and rebuilt the search index`,
          );
        } finally {
          await to.destroy();
        }
      });
    });

  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (
      e instanceof UsageError ||
      e instanceof ConfigError ||
      e instanceof DatabaseUnreachableError ||
      e instanceof CopyRefused
    ) {
      console.error(`job-monitor: ${e.message}`);
      return 2;
    }
    console.error(`job-monitor: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("cli.ts")) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
