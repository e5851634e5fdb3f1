import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { cookieAttributes } from "../auth/sessions";
import type { Config } from "../config";

// A message for the next page, after a form that redirects (POST → 303 → GET): without JavaScript the
// page the user lands on is the only place to say what happened. It lives in a short-lived cookie (not
// in process memory, so any instance can show it) and is shown once.

const FLASH_COOKIE = "jm_flash";

export type Flash = { kind: "cancel_requested" | "cancelled"; jobId: string };

export function setFlash(c: Context, config: Config, flash: Flash): void {
  // base64url: job IDs may hold any punctuation, which cookie values may not.
  setCookie(c, FLASH_COOKIE, Buffer.from(JSON.stringify(flash)).toString("base64url"), {
    ...cookieAttributes(c, config),
    maxAge: 120,
  });
}

/** The message waiting for this page, if any, in words; it is then gone. Fragments leave it waiting. */
export function takeFlash(c: Context, config: Config): string | null {
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw || c.req.method !== "GET" || c.req.header("hx-request") === "true") return null;
  deleteCookie(c, FLASH_COOKIE, cookieAttributes(c, config));
  let flash: Partial<Flash>;
  try {
    flash = JSON.parse(Buffer.from(raw, "base64url").toString());
  } catch {
    return null;
  }
  if (typeof flash.jobId !== "string") return null;
  if (flash.kind === "cancel_requested") {
    return `Cancel requested for the restore ${flash.jobId}. It stops when its engine next reports; the list shows “Cancelling…” until then.`;
  }
  if (flash.kind === "cancelled") return `The restore ${flash.jobId} was cancelled before it started.`;
  return null;
}
