import { BlockList, isIP } from "node:net";
import type { Context } from "hono";
import type { Config, ProxyRange, TrustProxy } from "../config";

// Who the client is and how it connected, for everything that depends on it: sign-in throttling, the
// "known address" exemption, the audit log, Secure cookies, HSTS and same-origin checks.
//
// Behind reverse proxies the socket's peer is the nearest proxy; each proxy appends the address it got
// the request from to X-Forwarded-For. Anything to the left of what our own proxies appended was written
// by the client and proves nothing, so the chain is read from the right: the socket's peer, then each
// entry leftwards, for as long as the address is a trusted proxy (TRUST_PROXY: a number of hops, or the
// proxies' addresses). The first address that is not one is the client.

type Peer = { ip: string; trustedHops: number };

const blockLists = new WeakMap<readonly ProxyRange[], BlockList>();

function proxyList(ranges: readonly ProxyRange[]): BlockList {
  let list = blockLists.get(ranges);
  if (!list) {
    list = new BlockList();
    for (const r of ranges) list.addSubnet(r.address, r.prefix, r.family);
    blockLists.set(ranges, list);
  }
  return list;
}

/**
 * An address in one canonical text form, or null when it is not an IP address: IPv4-mapped IPv6 as IPv4,
 * IPv6 compressed and lower-case, ports and brackets dropped. Two spellings of one address are one key.
 */
export function normalizeIp(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^[\d.]+:\d{1,5}$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  const version = isIP(text);
  if (version === 4) return text;
  if (version !== 6) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    // A zone index (fe80::1%eth0) has no URL form; lower case is canonical enough for it.
    return text.toLowerCase();
  }
}

function trusted(trust: TrustProxy, ip: string, hopsSoFar: number): boolean {
  if (trust.kind === "hops") return hopsSoFar < trust.hops;
  if (trust.kind === "proxies") return proxyList(trust.ranges).check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
  return false;
}

function socketAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/** The client's address and how many trusted proxies stood between it and the service. */
function peer(c: Context, config: Pick<Config, "trustProxy">): Peer {
  const socket = normalizeIp(socketAddress(c)) ?? "unknown";
  const trust = config.trustProxy;
  if (trust.kind === "none") return { ip: socket, trustedHops: 0 };
  // Several X-Forwarded-For headers read as one list, in order.
  const chain = (c.req.header("x-forwarded-for") ?? "").split(",");
  let ip = socket;
  let hops = 0;
  while (trusted(trust, ip, hops)) {
    hops += 1;
    const entry = chain.pop();
    if (entry === undefined || entry.trim() === "") break;
    const next = normalizeIp(entry);
    // A trusted proxy that passes on something that is not an address: the proxy is all we know.
    if (!next) break;
    ip = next;
  }
  return { ip, trustedHops: hops };
}

/** The client's IP address ("unknown" in tests that call app.request() without a socket). */
export function clientIp(c: Context, config: Pick<Config, "trustProxy">): string {
  return peer(c, config).ip;
}

/**
 * Whether the client reached the service over HTTPS: the connection itself, or the scheme a trusted
 * proxy reports in X-Forwarded-Proto. When every proxy appends, the outermost trusted one's entry tells
 * how the client connected; when they overwrite, the single entry does.
 */
export function requestIsHttps(c: Context, config: Pick<Config, "trustProxy">): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  const { trustedHops } = peer(c, config);
  if (trustedHops === 0) return false;
  const schemes = (c.req.header("x-forwarded-proto") ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (!schemes.length) return false;
  return schemes[Math.max(0, schemes.length - trustedHops)] === "https";
}

/** The origin the browser sees ("https://monitor.example.com"), which behind a TLS proxy is not the URL's. */
export function requestOrigin(c: Context, config: Pick<Config, "trustProxy">): string {
  const url = new URL(c.req.url);
  // The Host header is the one the browser sent (a proxy passes it on), port included.
  if (url.protocol === "http:" && requestIsHttps(c, config)) url.protocol = "https:";
  return url.origin;
}
