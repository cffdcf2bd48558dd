import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export interface FfmpegBinaries {
  ffmpegPath: string;
  ffprobePath: string;
  /** Where each path came from, for a start-up log line. */
  source: { ffmpeg: BinarySource; ffprobe: BinarySource };
}
export type BinarySource = 'env' | 'path' | 'npm';

export interface LocatorDeps {
  isExecutable?: (file: string) => boolean;
  /** Returns the path exported by an installer package, or undefined when it is missing. */
  requireInstaller?: (pkg: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe') => string | undefined;
}

const defaultIsExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const defaultRequireInstaller: NonNullable<LocatorDeps['requireInstaller']> = (pkg) => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(pkg) as { path?: string }).path;
  } catch {
    return undefined;
  }
};

/**
 * Finds ffmpeg and ffprobe: `FFMPEG_PATH` / `FFPROBE_PATH` from the given env, else the binary on `PATH`,
 * else the static build shipped by `@ffmpeg-installer/ffmpeg` / `@ffprobe-installer/ffprobe`.
 * The only place in the media code that reads these environment variables; pass `process.env` at the edge.
 */
export function locateFfmpeg(env: Readonly<Record<string, string | undefined>>, deps: LocatorDeps = {}): FfmpegBinaries {
  const isExecutable = deps.isExecutable ?? defaultIsExecutable;
  const requireInstaller = deps.requireInstaller ?? defaultRequireInstaller;
  const find = (name: 'ffmpeg' | 'ffprobe', envKey: string, pkg: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe') => {
    const fromEnv = env[envKey]?.trim();
    if (fromEnv) {
      if (!isAbsolute(fromEnv) || !isExecutable(fromEnv)) throw new Error(`${envKey} must be an absolute path to an executable ${name}`);
      return { path: fromEnv, source: 'env' as const };
    }
    for (const dir of (env.PATH ?? '').split(delimiter)) {
      if (!dir || !isAbsolute(dir)) continue;
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return { path: candidate, source: 'path' as const };
    }
    const fromNpm = requireInstaller(pkg);
    if (fromNpm) return { path: fromNpm, source: 'npm' as const };
    throw new Error(`${name} not found: set ${envKey}, put ${name} on PATH or install ${pkg}`);
  };
  const ffmpeg = find('ffmpeg', 'FFMPEG_PATH', '@ffmpeg-installer/ffmpeg');
  const ffprobe = find('ffprobe', 'FFPROBE_PATH', '@ffprobe-installer/ffprobe');
  return { ffmpegPath: ffmpeg.path, ffprobePath: ffprobe.path, source: { ffmpeg: ffmpeg.source, ffprobe: ffprobe.source } };
}
