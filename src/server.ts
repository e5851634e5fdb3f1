import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Config } from "./config";

type FetchHandler = Parameters<typeof serve>[0]["fetch"];

/**
 * Listens for HTTP. A client that does not send its whole request (headers and declared body) within
 * REQUEST_TIMEOUT_SECONDS gets 408 and is disconnected, so a stalled upload cannot hold a connection
 * and a handler waiting for it. Node checks its timers every connectionsCheckingInterval, so that is
 * kept small against the timeout: the answer comes at most a second after it.
 */
export function startServer(
  fetch: FetchHandler,
  config: Pick<Config, "port" | "host" | "requestTimeoutMs">,
  onListening: (info: AddressInfo) => void = () => {},
) {
  const timeout = config.requestTimeoutMs;
  return serve(
    {
      fetch,
      port: config.port,
      hostname: config.host,
      serverOptions: {
        requestTimeout: timeout,
        headersTimeout: timeout,
        connectionsCheckingInterval: Math.min(1000, Math.max(25, Math.floor(timeout / 4))),
      },
    },
    onListening,
  );
}
