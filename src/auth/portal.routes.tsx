import { Hono } from "hono";
import { MessagePage } from "../../views/pages/message-page";
import { findAccountByServiceId } from "../accounts/accounts.repository";
import { recordAudit } from "../audit/audit.repository";
import type { AppDeps } from "../context";
import { clientIp } from "../web/client";
import { formText } from "../web/forms";
import { html, type PageEnv, viewContext } from "../web/pages";
import { safeNext } from "./auth.routes";
import { PortalTokenError, verifyPortalToken } from "./portal-token";
import { endSession, sessionToken, setSessionCookie, startSession } from "./sessions";
import { findUserByEmail, normalizeEmail } from "./users.repository";

/**
 * POST /portal/sign-in: a customer portal hands over a signed token in a form post (never in a URL) and
 * the user gets a normal session in the embedded monitor. The token is the proof, so this is the one
 * state-changing request that may come from another site.
 */
export function portalRoutes(deps: AppDeps, assets: Readonly<Record<string, string>>) {
  const { db, clock, config } = deps;
  const routes = new Hono<PageEnv>();

  routes.post("/portal/sign-in", async (c) => {
    const ctx = viewContext(c, deps, assets);
    if (!config.portalSigningKey) {
      return html(
        c,
        <MessagePage
          ctx={ctx}
          title="Portal sign-in is off"
          message="This Job Monitor has no portal signing key configured."
          back={null}
        />,
        404,
      );
    }
    const form = await c.req.parseBody();
    const token = formText(form, "token") ?? "";
    const now = clock.now();
    const ip = clientIp(c, config);
    const refuse = async (reason: string, accountId: number | null = null, email: string | null = null) => {
      await recordAudit(db, {
        accountId,
        event: "portal_sign_in_failed",
        at: now.toISOString(),
        email,
        ip,
        detail: reason,
      });
      return html(
        c,
        <MessagePage
          ctx={ctx}
          title="The portal could not sign you in"
          message={`Sign-in refused: ${reason}. Open the Job Monitor from the portal again.`}
          back={null}
        />,
        401,
      );
    };
    if (!token) return refuse("no token was sent");

    let claims: ReturnType<typeof verifyPortalToken>;
    try {
      claims = verifyPortalToken(token, {
        key: config.portalSigningKey,
        audience: config.portalAudience,
        now,
      });
    } catch (e) {
      if (e instanceof PortalTokenError) return refuse(e.message);
      throw e;
    }
    const account = await findAccountByServiceId(db, claims.serviceId);
    const user = account ? await findUserByEmail(db, normalizeEmail(claims.email)) : undefined;
    if (!account || !user || user.account_id !== account.id) {
      return refuse("the user is not known in this account", account?.id ?? null, claims.email);
    }
    // Single use: the token's ID is remembered until it expires, so a replayed post is refused.
    const used = await db
      .insertInto("portal_token_uses")
      .values({ jti: claims.jti, expires_at: new Date(claims.exp * 1000).toISOString() })
      .onConflict((oc) => oc.column("jti").doNothing())
      .executeTakeFirst();
    if (Number(used.numInsertedOrUpdatedRows ?? 0) === 0)
      return refuse("the token was already used", account.id, user.email);

    const old = sessionToken(c);
    if (old) await endSession(db, old);
    setSessionCookie(c, config, await startSession(db, user.id, now));
    await recordAudit(db, {
      accountId: account.id,
      event: "portal_sign_in",
      at: now.toISOString(),
      userId: user.id,
      email: user.email,
      ip,
    });
    const embedRoot = `${config.basePath}/embed`;
    const returnTo = formText(form, "return_to");
    const next = returnTo !== undefined ? safeNext(returnTo, embedRoot) : `${embedRoot}/jobs`;
    return c.redirect(next, 303);
  });

  return routes;
}
