import { isStreamReadiness, type StreamEnsureRequest } from '@tiergate/contracts';
import { TiergateError } from '@tiergate/domain';
import { isTimelinePosition } from './hls-timeline';
import type { EnsureOptions } from './transcoder.worker';

/**
 * Opens a StreamEnsureRequest received over the bus: its source URL (with the camera's credentials)
 * travels sealed with the shared key, and only here, in the worker's process, is it read in clear.
 * Key and profile are validated by the worker itself.
 */
export function openEnsureRequest(request: unknown, unseal: (sealed: string) => string): EnsureOptions {
  const r = (request ?? {}) as Partial<StreamEnsureRequest>;
  if (typeof r.sourceSealed !== 'string' || r.sourceSealed === '') throw new TiergateError('VALIDATION_FAILED', 'sourceSealed is required');
  let sourceUrl: string;
  try {
    sourceUrl = unseal(r.sourceSealed);
  } catch {
    throw new TiergateError('VALIDATION_FAILED', 'sourceSealed cannot be opened: sealed with another secret key, or altered');
  }
  if (r.continueFrom !== undefined && !isTimelinePosition(r.continueFrom)) {
    throw new TiergateError('VALIDATION_FAILED', 'continueFrom must be {mediaSequence, discontinuitySequence} of non-negative integers');
  }
  if (r.readyAt !== undefined && !isStreamReadiness(r.readyAt)) throw new TiergateError('VALIDATION_FAILED', 'readyAt must be "segment" or "fragment"');
  const continueFrom = r.continueFrom ? { mediaSequence: r.continueFrom.mediaSequence, discontinuitySequence: r.continueFrom.discontinuitySequence } : undefined;
  return { cameraId: r.cameraId as string, profile: r.profile as EnsureOptions['profile'], sourceUrl, transcode: r.transcode === true, ...(continueFrom ? { continueFrom } : {}), ...(r.readyAt ? { readyAt: r.readyAt } : {}) };
}
