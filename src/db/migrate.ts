import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Migration, type MigrationProvider, Migrator } from "kysely";
import { type AnyKysely, migrationTableSchema, prepareSchema } from "./store";

const migrationFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "migrations");

/**
 * Kysely's FileMigrationProvider imports from inside node_modules, where neither tsx nor the test runner
 * compiles TypeScript; importing from here lets both load the .ts migrations.
 */
const provider: MigrationProvider = {
  async getMigrations() {
    const files = (await readdir(migrationFolder)).filter((f) => /^\d{12}_[a-z0-9_]+\.ts$/.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      migrations[file.replace(/\.ts$/, "")] = await import(
        pathToFileURL(path.join(migrationFolder, file)).href
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
