/**
 * The admin HTTP endpoints of the smpp-gateway, each behind Node-RED's
 * permission check as core nodes' endpoints are (with adminAuth on, a request
 * without a token gets 401):
 *
 *   POST /smpp-gateway/probe              smpp-gateway.write  Test connection (one bind, then unbind)
 *   GET  /smpp-gateway/gateways           smpp-gateway.read   the SMPP sidebar's list
 *   POST /smpp-gateway/:id/:action        smpp-gateway.write  rebuild | disconnect | connect
 *
 * No answer carries a credential.
 */
import { runProbe, ProbeRequest } from './admin-probe';
import { ACTIONS, GatewayAction, SidebarFeed } from './sidebar-feed';

interface Req {
  params: Record<string, string>;
  body?: unknown;
}
interface Res {
  status(code: number): Res;
  json(body: unknown): void;
  end(): void;
}
type Handler = (req: Req, res: Res, next?: () => void) => void;

export interface AdminRED {
  httpAdmin?: {
    get(path: string, ...h: Handler[]): void;
    post(path: string, ...h: Handler[]): void;
  };
  auth?: { needsPermission(permission: string): Handler };
  nodes: { getCredentials?(id: string): Record<string, string | undefined> | undefined };
}

/** Test connection binds running at once, at most. */
export const MAX_PROBES = 4;

export const ADMIN_ROUTES = [
  { method: 'post', path: '/smpp-gateway/probe', permission: 'smpp-gateway.write' },
  { method: 'get', path: '/smpp-gateway/gateways', permission: 'smpp-gateway.read' },
  { method: 'post', path: '/smpp-gateway/:id/:action', permission: 'smpp-gateway.write' },
] as const;

export function registerAdminRoutes(RED: AdminRED, feed: SidebarFeed): void {
  const admin = RED.httpAdmin;
  const auth = RED.auth;
  if (!admin || !auth) return;
  const stored = (id: string) => {
    const c = RED.nodes.getCredentials?.(id);
    return c ? { systemId: c.systemId, password: c.password } : null;
  };

  // a few Test connection clicks at once are fine; more are refused rather than opening sockets without bound
  let probing = 0;
  admin.post('/smpp-gateway/probe', auth.needsPermission('smpp-gateway.write'), (req, res) => {
    if (probing >= MAX_PROBES) return res.status(429).json({ result: 'failed', reason: 'too many connection tests at once; try again' });
    probing++;
    runProbe((req.body ?? {}) as ProbeRequest, stored)
      .then(
        (answer) => res.status(answer.result === 'invalid' ? 400 : 200).json(answer),
        () => res.status(500).json({ result: 'failed', reason: 'internal error' }),
      )
      .finally(() => probing--);
  });

  admin.get('/smpp-gateway/gateways', auth.needsPermission('smpp-gateway.read'), (_req, res) => {
    res.json(feed.list());
  });

  admin.post('/smpp-gateway/:id/:action', auth.needsPermission('smpp-gateway.write'), (req, res) => {
    const action = req.params.action as GatewayAction;
    if (!ACTIONS.includes(action)) return res.status(400).json({ error: `unknown action; one of ${ACTIONS.join(', ')}` });
    if (!feed.act(req.params.id, action)) return res.status(404).json({ error: 'no running gateway with that id' });
    res.json({ ok: true });
  });
}
