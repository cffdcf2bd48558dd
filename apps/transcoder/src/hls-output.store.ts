import { accessSync, constants, mkdirSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAYLIST_NAME } from '@tiergate/media';
import type { HlsOutputPort } from './stream-session';

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Picks the HLS root: RAM-backed /dev/shm/tiergate-hls/<workerId> when /dev/shm is writable, else
 * <os.tmpdir()>/tiergate-hls/<workerId>. Pure apart from the probe function, which tests replace.
 */
export function chooseHlsRoot(workerId: string, canWrite: (dir: string) => boolean = defaultCanWrite, tmp = tmpdir()): string {
  if (!SAFE_ID.test(workerId)) throw new Error(`unsafe worker id ${JSON.stringify(workerId)}`);
  const base = canWrite('/dev/shm') ? '/dev/shm' : tmp;
  return join(base, 'tiergate-hls', workerId);
}

function defaultCanWrite(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** File-system adapter for session output directories under one worker root. */
export class HlsOutputStore implements HlsOutputPort {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true, mode: 0o700 });
  }

  /** Directory of one session; ids are validated by the caller (see TranscoderWorker) and again here. */
  dirFor(cameraId: string, profile: string): string {
    if (!SAFE_ID.test(cameraId) || !SAFE_ID.test(profile)) throw new Error('unsafe camera id or profile');
    return join(this.root, `${cameraId}-${profile}`);
  }

  async prepare(dir: string): Promise<void> {
    this.assertInside(dir);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true, mode: 0o700 });
  }

  async remove(dir: string): Promise<void> {
    this.assertInside(dir);
    await rm(dir, { recursive: true, force: true });
  }

  async hasFirstSegment(dir: string): Promise<boolean> {
    try {
      return (await readFile(join(dir, PLAYLIST_NAME), 'utf8')).includes('#EXTINF');
    } catch {
      return false;
    }
  }

  /** Removes the whole worker root (shutdown). */
  async removeAll(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }

  private assertInside(dir: string): void {
    if (!dir.startsWith(this.root + '/')) throw new Error('directory outside the HLS root');
  }
}
