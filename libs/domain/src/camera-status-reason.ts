/**
 * Pure: camera status reasons in the words of the people who install and watch cameras. The device
 * clients name failures by socket error codes ("unreachable (ECONNREFUSED)"); a status reason spells them
 * out and says what Tiergate does next. Reasons never carry a credential (callers pass redacted text).
 */

const NETWORK_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing answers on that port: the camera is off, still starting, or the port is wrong',
  ETIMEDOUT: 'no answer in time: the camera is off or not reachable on this network',
  timeout: 'no answer in time: the camera is off or not reachable on this network',
  EHOSTUNREACH: 'no route to that address: the camera is off or on another network',
  ENETUNREACH: 'no route to that network',
  EADDRNOTAVAIL: 'that address cannot be reached from this server',
  ENOTFOUND: 'the host name is not known',
  EAI_AGAIN: 'the host name could not be looked up right now',
  ECONNRESET: 'the camera dropped the connection',
  EPIPE: 'the camera dropped the connection',
};

/** Replaces a trailing socket error code in parentheses by what it means: "(ECONNREFUSED)" → "(nothing answers on that port: …)". */
export function inPlainWords(message: string): string {
  return message.replace(/\(([A-Za-z_]+)\)([.\s]*)$/, (whole, code: string, end: string) => (NETWORK_WORDS[code] ? `(${NETWORK_WORDS[code]})${end}` : whole));
}

export type PendingOnboardingStatus = 'offline' | 'unauthorized';

/**
 * The reason stored for a camera that is saved but not onboarded yet (its profiles and device information
 * are read when it first answers with the right credentials).
 */
export function pendingOnboardingReason(status: PendingOnboardingStatus, failure: string): string {
  const next =
    status === 'unauthorized'
      ? 'saved without its profiles: correct the username or password (edit the camera) and onboarding completes at the next check'
      : 'saved without its profiles: onboarding completes when it first answers';
  return `${inPlainWords(failure.trim()).replace(/[.\s]+$/, '')}; ${next}`.slice(0, 500);
}
