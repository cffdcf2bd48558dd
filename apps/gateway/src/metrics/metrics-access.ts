import { createHash, timingSafeEqual } from 'node:crypto';

export type MetricsAccess = 'allowed' | 'disabled' | 'unauthenticated';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Who may read /metrics: nobody when http.metrics is off (it answers 404 like any unknown path); with
 * http.metricsToken set, only `Authorization: Bearer <token>` (compared in constant time); else anyone who
 * reaches the port (keep it on a private network then).
 */
export function metricsAccess(settings: { enabled: boolean; token: string }, authorization: string | undefined): MetricsAccess {
  if (!settings.enabled) return 'disabled';
  if (!settings.token) return 'allowed';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m && timingSafeEqual(digest(m[1]!), digest(settings.token)) ? 'allowed' : 'unauthenticated';
}
