import { LL_PART_HOLD_MAX_MS, LL_PLAYLIST_HOLD_MAX_MS } from '@tiergate/contracts';
import { answerDeadlineOf, PLAYLIST_DEADLINE_MS, SEGMENT_DEADLINE_MS } from './worker-link';

describe('answerDeadlineOf', () => {
  it('gives the classic playlist and segments their short deadlines', () => {
    expect(answerDeadlineOf('index.m3u8')).toBe(PLAYLIST_DEADLINE_MS);
    expect(answerDeadlineOf('seg_12.ts')).toBe(SEGMENT_DEADLINE_MS);
  });

  it('waits longer than the worker holds an LL-HLS playlist (blocking reload), so a held request is not a hung worker', () => {
    expect(answerDeadlineOf('ll.m3u8')).toBeGreaterThan(LL_PLAYLIST_HOLD_MAX_MS);
    expect(answerDeadlineOf('ll.m3u8')).toBeLessThanOrEqual(LL_PLAYLIST_HOLD_MAX_MS + 1000);
  });

  it('keeps the segment deadline for LL-HLS parts, whose hold (the preload hint) ends before it', () => {
    expect(answerDeadlineOf('ll_1767225600.3.m4s')).toBe(SEGMENT_DEADLINE_MS);
    expect(answerDeadlineOf('ll_init_2.mp4')).toBe(SEGMENT_DEADLINE_MS);
    expect(LL_PART_HOLD_MAX_MS).toBeLessThan(SEGMENT_DEADLINE_MS);
  });
});
