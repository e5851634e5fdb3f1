import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import autocannon from "autocannon";
import Database from "better-sqlite3";

// `npm run bench`: builds (or reuses) a database of 1,000,000 jobs and 5,000,000 skipped items, starts the
// real server on it, and measures in one run what issue 6 asks: page throughput and latency under load,
// the ceiling of the same server, the CSV export, engine ingest, and the first row in Chromium. Prints
// one table and writes JSON under bench/results/.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = path.join(root, "bench", "data");
const resultsDir = path.join(root, "bench", "results");
const dbFile = path.join(dataDir, "bench.db");
const metaFile = path.join(dataDir, "bench.json");
const PORT = 3300;
const BASE = `http://127.0.0.1:${PORT}`;
// `schema` names the database layout; a stored data set of another layout is generated again.
const SPEC = { jobs: 1_000_000, connectors: 500, accounts: 3, skipped: 5_000_000, schema: "sort-key-4" };
const EMAIL = "bench@bench-1.example";
const PASSWORD = "bench-password-1234";
const quick = process.argv.includes("--quick");
const RUNS = 3;
const SECONDS = quick ? 3 : 10;
const WARMUP = quick ? 1 : 3;

type Meta = { spec: typeof SPEC; token: string; generateSeconds: number; generatedAt: string };

function cli(args: string[], input?: string): string {
  return execFileSync("node", ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: dbFile, LOG_LEVEL: "warn" },
    input,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "inherit"],
  });
}

function dataset(): Meta & { reused: boolean } {
  if (existsSync(dbFile) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, "utf8")) as Meta;
    if (JSON.stringify(meta.spec) === JSON.stringify(SPEC)) return { ...meta, reused: true };
  }
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  console.log(
    `generating ${SPEC.jobs.toLocaleString("en-US")} jobs and ${SPEC.skipped.toLocaleString("en-US")} skipped items…`,
  );
  const started = Date.now();
  cli([
    "generate",
    "--jobs",
    String(SPEC.jobs),
    "--connectors",
    String(SPEC.connectors),
    "--accounts",
    String(SPEC.accounts),
    "--skipped",
    String(SPEC.skipped),
  ]);
  const generateSeconds = (Date.now() - started) / 1000;
  cli(["user", "create", "--service-id", "BENCH-1", "--email", EMAIL], `${PASSWORD}\n`);
  const token = cli(["token", "create", "--service-id", "BENCH-3", "--name", "bench engines"])
    .trim()
    .split("\n")
    .pop()!;
  const meta: Meta = { spec: SPEC, token, generateSeconds, generatedAt: new Date().toISOString() };
  writeFileSync(metaFile, JSON.stringify(meta, null, 2));
  return { ...meta, reused: false };
}

async function startServer(): Promise<ChildProcess> {
  const child = spawn("node", ["--import", "tsx", "src/index.ts"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: dbFile,
      PORT: String(PORT),
      HOST: "127.0.0.1",
      DEMO: "off",
      BENCH_CEILING: "on",
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  for (let i = 0; i < 200; i += 1) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the server did not start");
}

function rssMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function signIn(): Promise<string> {
  const page = await fetch(`${BASE}/login`);
  const csrfCookie = page.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${BASE}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE, cookie: csrfCookie },
    body: new URLSearchParams({ email: EMAIL, password: PASSWORD, _csrf: token }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("jm_session="));
  if (!session) throw new Error(`sign-in failed: ${res.status}`);
  return session.split(";")[0]!;
}

type Load = { rps: number; p50: number; p99: number; non2xx: number; errors: number };

async function cannon(url: string, cookie: string, seconds: number): Promise<Load> {
  const r = await autocannon({ url, connections: 10, duration: seconds, headers: { cookie } });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

/**
 * Requests to /jobs at a steady 20 a second until stopped: they measure how long a page takes while
 * something else happens (an export, ingest), without themselves keeping the server busy.
 */
function background(url: string, cookie: string) {
  let done: (r: autocannon.Result) => void = () => {};
  const finished = new Promise<autocannon.Result>((resolve) => {
    done = resolve;
  });
  const instance = autocannon(
    { url, connections: 2, overallRate: 20, duration: 3600, headers: { cookie } },
    (_err, result) => done(result),
  );
  return {
    async stop() {
      instance.stop();
      return finished;
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Measured = { median: Load; min: Load; max: Load; runs: Load[] };

async function measure(url: string, cookie: string): Promise<Measured> {
  await cannon(url, cookie, WARMUP);
  const runs: Load[] = [];
  for (let i = 0; i < RUNS; i += 1) runs.push(await cannon(url, cookie, SECONDS));
  if (runs.some((r) => r.non2xx > 0 || r.errors > 0))
    throw new Error(`${url} answered with errors: not a measurement`);
  const pick = (f: (xs: number[]) => number) => ({
    rps: f(runs.map((r) => r.rps)),
    p50: f(runs.map((r) => r.p50)),
    p99: f(runs.map((r) => r.p99)),
    non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
    errors: runs.reduce((a, r) => a + r.errors, 0),
  });
  return {
    median: pick(median),
    min: pick((xs) => Math.min(...xs)),
    max: pick((xs) => Math.max(...xs)),
    runs,
  };
}

function deepCursor(): string {
  const db = new Database(dbFile, { readonly: true });
  const account = db.prepare("select id from accounts where service_id = 'BENCH-1'").get() as { id: number };
  const position = 450_000;
  // A real keyset cursor (see src/jobs/job-query.ts): the sort key of the row at that position.
  const row = db
    .prepare("select sort_key from jobs where account_id = ? order by sort_key desc limit 1 offset ?")
    .get(account.id, position) as { sort_key: number };
  db.close();
  return `a${row.sort_key}.${position}`;
}

async function exportCsvWithLoad(server: ChildProcess, cookie: string) {
  writeFileSync(`/proc/${server.pid}/clear_refs`, "5");
  const load = background(`${BASE}/jobs`, cookie);
  const result = await exportOnly(server, cookie);
  const during = await load.stop();
  return { ...result, p99DuringMs: during.latency.p99, rpsDuring: during.requests.average };
}

async function exportOnly(server: ChildProcess, cookie: string) {
  const started = performance.now();
  const res = await fetch(`${BASE}/jobs.csv`, { headers: { cookie, "accept-encoding": "identity" } });
  let rows = -1;
  let last = 0;
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(server.pid!, "VmRSS"));
  }, 100);
  const reader = res.body!.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (let i = 0; i < value.length; i += 1) {
      if (value[i] === 10 && last === 13) rows += 1;
      last = value[i]!;
    }
  }
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  return {
    rows,
    seconds,
    rowsPerSecond: Math.round(rows / seconds),
    peakRssMb: Math.max(peak, rssMb(server.pid!, "VmHWM")),
  };
}

async function engine(token: string) {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const api = (p: string) => `${BASE}/api/v1${p}`;
  const post = async (p: string, body: unknown) => {
    const res = await fetch(api(p), { method: "POST", headers, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  await fetch(api("/connectors/bench-ingest"), {
    method: "PUT",
    headers,
    body: JSON.stringify({ name: "Ingest", kind: "other" }),
  });
  const run = Date.now().toString(36);
  return { post, run };
}

async function ingest(token: string, cookie: string, kind: "progress" | "skipped", seconds: number) {
  const { post, run } = await engine(token);
  const deadline = Date.now() + seconds * 1000;
  let events = 0;
  let items = 0;
  const load = background(`${BASE}/jobs`, cookie);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 10 }, async (_, e) => {
      const id = `ingest-${run}-${kind}-${e}`;
      const type = kind === "progress" ? "backup" : "restore";
      await post("/jobs", { id, connectorId: "bench-ingest", type, description: `Ingest ${kind} ${e}` });
      await post(`/jobs/${id}/events`, { seq: 1, type: "started", at: new Date().toISOString() });
      let seq = 1;
      let n = 0;
      while (Date.now() < deadline) {
        seq += 1;
        if (kind === "progress") {
          await post(`/jobs/${id}/events`, {
            seq,
            type: "progress",
            at: new Date().toISOString(),
            stats: { added: { items: seq, bytes: seq * 1000 } },
          });
          events += 1;
        } else {
          const batch = Array.from({ length: 5000 }, () => ({
            key: `k-${n++}`,
            name: `Item ${n}.dat`,
            path: "/bench/items",
            kind: "file",
            size: 1234,
            reason: "throttled",
          }));
          await post(`/jobs/${id}/events`, { seq, type: "skipped", items: batch });
          items += batch.length;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const during = await load.stop();
  return {
    events,
    items,
    perSecond: Math.round((kind === "progress" ? events : items) / elapsed),
    jobsP99DuringMs: during.latency.p99,
  };
}

async function firstRow(cookie: string) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const samples: { ms: number; kb: number }[] = [];
  for (let i = 0; i < 5; i += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const [name, value] = cookie.split("=");
    await context.addCookies([{ name: name!, value: value!, url: BASE }]);
    const page = await context.newPage();
    await page.goto(`${BASE}/jobs`, { waitUntil: "commit" });
    await page.locator("tr.job-row").first().waitFor({ state: "visible" });
    const ms = await page.evaluate(() => performance.now());
    await page.waitForLoadState("load");
    const kb = await page.evaluate(() => {
      const entries = [
        ...performance.getEntriesByType("navigation"),
        ...performance.getEntriesByType("resource"),
      ] as PerformanceResourceTiming[];
      return entries.reduce((sum, e) => sum + e.transferSize, 0) / 1024;
    });
    samples.push({ ms, kb });
    await context.close();
  }
  await browser.close();
  return { ms: median(samples.map((s) => s.ms)), kb: median(samples.map((s) => s.kb)), samples };
}

function cpuName(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
}

async function main() {
  const data = dataset();
  const server = await startServer();
  try {
    const cookie = await signIn();
    const first = await fetch(`${BASE}/jobs`, { headers: { cookie } });
    const pageBytes = (await first.text()).length;
    const scenarios: [string, string, number][] = [
      ["/jobs first page (full HTML)", "/jobs", 10],
      ["status filter", "/jobs?status=unsuccessful", 15],
      ["connector + type + 30 days", "/jobs?connector=conn-7&type=backup&span=30d", 15],
      ["keyset page deep in the list", `/jobs?cursor=${deepCursor()}`, 15],
      ["free text, rare word", "/jobs?q=quokka", 25],
      ["free text, common word", "/jobs?q=mailbox", 25],
    ];
    const pages: Record<string, Measured & { path: string; targetP99: number }> = {};
    for (const [label, p, targetP99] of scenarios) {
      console.log(`measuring ${label}…`);
      pages[label] = { ...(await measure(`${BASE}${p}`, cookie)), path: p, targetP99 };
    }
    console.log("measuring the ceiling…");
    const ceiling = await measure(`${BASE}/bench/ceiling?bytes=${pageBytes}`, cookie);
    console.log("exporting the job list CSV under load…");
    const csv = await exportCsvWithLoad(server, cookie);
    console.log("ingest: progress events…");
    const progress = await ingest(data.token, cookie, "progress", quick ? 5 : 15);
    console.log("ingest: skipped items…");
    const skipped = await ingest(data.token, cookie, "skipped", quick ? 5 : 15);
    console.log("first row in Chromium…");
    const browser = await firstRow(cookie);

    const report: Report = {
      date: new Date().toISOString(),
      machine: cpuName(),
      node: process.version,
      dataset: {
        ...SPEC,
        reused: data.reused,
        generateSeconds: data.generateSeconds,
        generatedAt: data.generatedAt,
      },
      pageBytes,
      pages,
      ceiling,
      ratio: pages["/jobs first page (full HTML)"]!.median.rps / ceiling.median.rps,
      csv,
      ingest: { progress, skipped },
      browser,
    };
    mkdirSync(resultsDir, { recursive: true });
    const out = path.join(resultsDir, `${report.date.replace(/[:.]/g, "-")}.json`);
    writeFileSync(out, JSON.stringify(report, null, 2));
    printTable(report);
    console.log(`\nwritten to ${path.relative(root, out)}`);
  } finally {
    server.kill("SIGTERM");
  }
}

type Ingest = { events: number; items: number; perSecond: number; jobsP99DuringMs: number };
type Report = {
  date: string;
  machine: string;
  node: string;
  dataset: typeof SPEC & { reused: boolean; generateSeconds: number; generatedAt: string };
  pageBytes: number;
  pages: Record<string, Measured & { path: string; targetP99: number }>;
  ceiling: Measured;
  ratio: number;
  csv: { rows: number; rowsPerSecond: number; peakRssMb: number; p99DuringMs: number };
  ingest: { progress: Ingest; skipped: Ingest };
  browser: { ms: number; kb: number };
};

function printTable(r: Report) {
  const f = (n: number, d = 0) =>
    n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
  const ok = (pass: boolean) => (pass ? "✓" : "✗");
  const lines: string[] = [];
  lines.push(`Job Monitor benchmark — ${r.date.slice(0, 10)} — ${r.machine}, Node ${r.node}`);
  lines.push(
    `Data: ${f(r.dataset.jobs)} jobs, ${f(r.dataset.connectors)} connectors, ${r.dataset.accounts} accounts (BENCH-1 holds 90 %), ${f(r.dataset.skipped)} skipped items; generated in ${f(r.dataset.generateSeconds, 1)} s${r.dataset.reused ? ` (on ${r.dataset.generatedAt.slice(0, 10)}, reused)` : ""}`,
  );
  lines.push("");
  lines.push("| measure | req/s (median, min–max) | p50 ms | p99 ms (median, min–max) | target | |");
  lines.push("|---|---|---|---|---|---|");
  for (const [label, m] of Object.entries(r.pages)) {
    const first = label.startsWith("/jobs first");
    const pass = first ? m.median.rps >= 2700 && m.median.p99 <= 10 : m.median.p99 <= m.targetP99;
    lines.push(
      `| ${label} | ${f(m.median.rps)} (${f(m.min.rps)}–${f(m.max.rps)}) | ${f(m.median.p50)} | ${f(m.median.p99)} (${f(m.min.p99)}–${f(m.max.p99)}) | ${first ? "≥ 2,700 req/s, p99 ≤ 10" : `p99 ≤ ${m.targetP99}`} | ${ok(pass)} |`,
    );
  }
  lines.push(
    `| ceiling: constant ${f(r.pageBytes)}-byte page | ${f(r.ceiling.median.rps)} (${f(r.ceiling.min.rps)}–${f(r.ceiling.max.rps)}) | ${f(r.ceiling.median.p50)} | ${f(r.ceiling.median.p99)} | — | ratio ${f(r.ratio * 100)} % |`,
  );
  lines.push("");
  lines.push("| measure | result | target | |");
  lines.push("|---|---|---|---|");
  lines.push(
    `| job list CSV, ${f(r.csv.rows)} rows | ${f(r.csv.rowsPerSecond)} rows/s, server peak RSS ${f(r.csv.peakRssMb)} MB | ≥ 110,000 rows/s, ≤ 160 MB | ${ok(r.csv.rowsPerSecond >= 110_000 && r.csv.peakRssMb <= 160)} |`,
  );
  lines.push(
    `| /jobs p99 during the export | ${f(r.csv.p99DuringMs)} ms | ≤ 25 ms | ${ok(r.csv.p99DuringMs <= 25)} |`,
  );
  lines.push(
    `| engine ingest: progress events, 10 engines | ${f(r.ingest.progress.perSecond)} events/s; /jobs p99 ${f(r.ingest.progress.jobsP99DuringMs)} ms | ≥ 5,000/s; p99 ≤ 25 ms | ${ok(r.ingest.progress.perSecond >= 5000 && r.ingest.progress.jobsP99DuringMs <= 25)} |`,
  );
  lines.push(
    `| engine ingest: skipped items, 10 engines | ${f(r.ingest.skipped.perSecond)} items/s; /jobs p99 ${f(r.ingest.skipped.jobsP99DuringMs)} ms | ≥ 200,000/s; p99 ≤ 25 ms | ${ok(r.ingest.skipped.perSecond >= 200_000 && r.ingest.skipped.jobsP99DuringMs <= 25)} |`,
  );
  lines.push(
    `| first job row visible in Chromium (cold cache) | ${f(r.browser.ms)} ms, ${f(r.browser.kb)} KB transferred | ≤ 150 ms, ≤ 100 KB | ${ok(r.browser.ms <= 150 && r.browser.kb <= 100)} |`,
  );
  lines.push(
    `| generate 1M jobs + 5M skipped items | ${f(r.dataset.generateSeconds)} s | ≤ 180 s | ${ok(r.dataset.generateSeconds <= 180)} |`,
  );
  console.log(`\n${lines.join("\n")}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
