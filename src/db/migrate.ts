import { readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type Migration, type MigrationProvider, Migrator } from "kysely";
import { migrationExtension, migrationsDir } from "../paths";
import { type AnyKysely, migrationTableSchema, prepareSchema } from "./store";

/**
 * Kysely's FileMigrationProvider imports from inside node_modules, where neither tsx nor the test runner
 * compiles TypeScript; importing from here lets both load the .ts migrations.
 */
const provider: MigrationProvider = {
  async getMigrations() {
    // The name recorded in the database has no extension, so a database migrated by either form of the
    // code is up to date for the other.
    const files = (await readdir(migrationsDir))
      .filter((f) => /^\d{12}_[a-z0-9_]+\.[jt]s$/.test(f) && f.endsWith(migrationExtension))
      .sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      migrations[path.basename(file, migrationExtension)] = await import(
        pathToFileURL(path.join(migrationsDir, file)).href
      );
    }
    return migrations;
  },
};

function check({ error, results }: Awaited<ReturnType<Migrator["migrateToLatest"]>>): string[] {
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

function migrator(db: AnyKysely): Migrator {
  const schema = migrationTableSchema(db);
  return new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
}

/** Brings the schema up to date; running it again changes nothing. Returns the names it applied. */
export async function migrateToLatest(db: AnyKysely): Promise<string[]> {
  await prepareSchema(db);
  return check(await migrator(db).migrateToLatest());
}

/** Undoes every migration after `name` (tests of a migration's repair; operators use migrateDown). */
export async function migrateDownTo(db: AnyKysely, name: string): Promise<string[]> {
  return check(await new Migrator({ db, provider }).migrateTo(name));
}

/** Undoes the newest migration (operators only; the service never goes down by itself). */
export async function migrateDown(db: AnyKysely): Promise<string[]> {
  return check(await migrator(db).migrateDown());
}
