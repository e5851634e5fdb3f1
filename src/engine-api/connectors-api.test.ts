import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONNECTOR_KINDS } from "../connectors/connector-kinds";
import { findConnector } from "../connectors/connectors.repository";
import {
  createJob,
  type Engine,
  expectProblem,
  Stream,
  send,
  setup,
  type TestService,
} from "./api-test-helpers";

let t: TestService;
let engine: Engine;

beforeEach(async () => {
  ({ t, engine } = await setup());
});
afterEach(() => t.close());

describe("PUT /api/v1/connectors/:connectorId", () => {
  it("answers 201 with the connector when it creates it", async () => {
    const a = await send(engine, "PUT", "/connectors/m365-main", {
      name: "Contoso 365",
      kind: "microsoft_365",
    });
    expect(a.status).toBe(201);
    expect(a.type).toMatch(/^application\/json/);
    expect(a.body).toEqual({ connector: { id: "m365-main", name: "Contoso 365", kind: "microsoft_365" } });
    const stored = await findConnector(t.db, engine.account.id, "m365-main");
    expect(stored).toMatchObject({ id: "m365-main", name: "Contoso 365", kind: "microsoft_365" });
  });

  it("answers 200 when it updates an existing connector, and keeps the new name and kind", async () => {
    await send(engine, "PUT", "/connectors/sf", { name: "Salesforce", kind: "salesforce" });
    const a = await send(engine, "PUT", "/connectors/sf", { name: "Salesforce prod", kind: "dynamics_365" });
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ connector: { id: "sf", name: "Salesforce prod", kind: "dynamics_365" } });
    const stored = await findConnector(t.db, engine.account.id, "sf");
    expect(stored).toMatchObject({ name: "Salesforce prod", kind: "dynamics_365" });
  });

  it("answers 200 when the same connector is sent again unchanged", async () => {
    const body = { name: "Zendesk", kind: "zendesk" };
    expect((await send(engine, "PUT", "/connectors/zd", body)).status).toBe(201);
    const again = await send(engine, "PUT", "/connectors/zd", body);
    expect(again.status).toBe(200);
    expect(again.body.connector).toEqual({ id: "zd", ...body });
  });

  it("accepts every connector kind of the contract", async () => {
    for (const kind of CONNECTOR_KINDS) {
      const a = await send(engine, "PUT", `/connectors/k-${kind}`, { name: `Kind ${kind}`, kind });
      expect(a.status, kind).toBe(201);
    }
  });

  it("accepts IDs with the allowed punctuation and up to 128 characters", async () => {
    for (const id of ["a", "tenant:42@eu~x_y-z.1", "x".repeat(128)]) {
      const a = await send(engine, "PUT", `/connectors/${encodeURIComponent(id)}`, {
        name: "N",
        kind: "other",
      });
      expect(a.status, id).toBe(201);
      expect(a.body.connector.id).toBe(id);
    }
  });

  it("answers 400 naming connectorId for an ID over 128 characters", async () => {
    const a = await send(engine, "PUT", `/connectors/${"x".repeat(129)}`, { name: "N", kind: "other" });
    expectProblem(a, 400, "connectorId");
  });

  it("answers 400 naming connectorId for an ID with characters outside the allowed set", async () => {
    for (const id of ["-starts-with-dash", "has space", "semi;colon"]) {
      const a = await send(engine, "PUT", `/connectors/${encodeURIComponent(id)}`, {
        name: "N",
        kind: "other",
      });
      expectProblem(a, 400, "connectorId");
    }
  });

  it("answers 400 naming kind for an unknown connector kind", async () => {
    const a = await send(engine, "PUT", "/connectors/c1", { name: "N", kind: "dropbox" });
    expectProblem(a, 400, "kind");
    expect(await findConnector(t.db, engine.account.id, "c1")).toBeUndefined();
  });

  it("answers 400 naming the field for a missing name or kind", async () => {
    expectProblem(await send(engine, "PUT", "/connectors/c1", { kind: "other" }), 400, "name");
    expectProblem(await send(engine, "PUT", "/connectors/c1", { name: "N" }), 400, "kind");
  });

  it("answers 400 for an empty name, a name over 200 characters, or a name that is not a string", async () => {
    expectProblem(await send(engine, "PUT", "/connectors/c1", { name: "", kind: "other" }), 400, "name");
    expectProblem(
      await send(engine, "PUT", "/connectors/c1", { name: "n".repeat(201), kind: "other" }),
      400,
      "name",
    );
    expectProblem(await send(engine, "PUT", "/connectors/c1", { name: 42, kind: "other" }), 400, "name");
    expect(
      (await send(engine, "PUT", "/connectors/c1", { name: "n".repeat(200), kind: "other" })).status,
    ).toBe(201);
  });

  it("does not change an existing connector when the update is refused", async () => {
    await send(engine, "PUT", "/connectors/c1", { name: "Original", kind: "teams" });
    expectProblem(await send(engine, "PUT", "/connectors/c1", { name: "New", kind: "nope" }), 400, "kind");
    expect(await findConnector(t.db, engine.account.id, "c1")).toMatchObject({
      name: "Original",
      kind: "teams",
    });
  });

  it("makes a renamed connector findable by its new name in the job search", async () => {
    await send(engine, "PUT", "/connectors/c1", { name: "Alphaconnector", kind: "sharepoint" });
    await createJob(engine, { id: "j1" });
    const s = new Stream(engine, "j1");
    await s.started();
    await send(engine, "PUT", "/connectors/c1", { name: "Betaconnector", kind: "sharepoint" });

    const byNew = await send(engine, "GET", "/jobs?q=Betaconnector");
    expect(byNew.status).toBe(200);
    expect(byNew.body.jobs.map((j: { id: string }) => j.id)).toEqual(["j1"]);
    const byOld = await send(engine, "GET", "/jobs?q=Alphaconnector");
    expect(byOld.body.jobs).toEqual([]);
  });
});
