import { tmpdir } from "node:os";
import path from "node:path";

/** Where the e2e server for a port writes what the tests need to know. */
export function stateFile(port: number): string {
  return path.join(tmpdir(), `jm-e2e-${port}`, "state.json");
}
