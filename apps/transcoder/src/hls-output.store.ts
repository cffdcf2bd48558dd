import { accessSync, constants, mkdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isStreamProfile, PLAYLIST_NAME } from '@tiergate/contracts';
import { isSafeFileName, isSafeId } from '@tiergate/domain';
import type { HlsOutputPort } from './stream-session';

/**
 * Picks the HLS root: RAM-backed /dev/shm/tiergate-hls/<workerId> when /dev/shm is writable, else
 * <os.tmpdir()>/tiergate-hls/<workerId>. Pure apart from the probe function, which tests replace.
 */
export function chooseHlsRoot(workerId: string, canWrite: (dir: string) => boolean = defaultCanWrite, tmp = tmpdir()): string {
  if (!isSafeId(workerId)) throw new Error(`unsafe worker id ${JSON.stringify(workerId)}`);
  const base = canWrite('/dev/shm') ? '/dev/shm' : tmp;
  return join(base, 'tiergate-hls', workerId);
}

/** The worker's HLS root: under `transcoder.hlsDir` when it is set, else where chooseHlsRoot picks. */
export function hlsRootFor(workerId: string, hlsDir: string): string {
  if (!hlsDir) return chooseHlsRoot(workerId);
  if (!isSafeId(workerId)) throw new Error(`unsafe worker id ${JSON.stringify(workerId)}`);
  return join(resolve(hlsDir), workerId);
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
    if (!isSafeId(cameraId) || !isStreamProfile(profile)) throw new Error('unsafe camera id or profile');
    return join(this.root, `${cameraId}-${profile}`);
  }

  /** Empties (or creates) the directory, keeping only the named files (a restart keeps the last run's segments). */
  async prepare(dir: string, keep: readonly string[] = []): Promise<void> {
    this.assertInside(dir);
    if (keep.length === 0) {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true, mode: 0o700 });
      return;
    }
    const kept = new Set(keep.filter((name) => isSafeFileName(name)));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const entries = await readdir(dir);
    await Promise.all(entries.filter((name) => !kept.has(name)).map((name) => rm(join(dir, name), { recursive: true, force: true })));
  }

  async readPlaylist(dir: string): Promise<string | undefined> {
    this.assertInside(dir);
    try {
      return await readFile(join(dir, PLAYLIST_NAME), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Deletes plain-named files of a session directory; other names are ignored, missing files are fine. */
  async removeFiles(dir: string, names: readonly string[]): Promise<void> {
    this.assertInside(dir);
    await Promise.all(names.filter((name) => isSafeFileName(name)).map((name) => rm(join(dir, name), { force: true })));
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
