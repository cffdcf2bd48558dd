/** The playlist's name in a VOD path (libs/contracts VOD_PLAYLIST_NAME, which is this value). */
export const VOD_PLAYLIST_FILE = 'index.m3u8';

/**
 * The file names of a VOD path (`/vod/<cameraId>/<profile>/<file>`, libs/contracts recording.ts), pure:
 * the playlist, an init `init_<hash>.mp4` (the content address of the init file, as in the storage layout)
 * and a segment `<segmentId>.m4s` (the index row's id: the file is found through its row, never by a path
 * from the URL).
 */
export type VodFile = { kind: 'playlist' } | { kind: 'init'; hash: string } | { kind: 'segment'; segmentId: string };

const INIT = /^init_([0-9a-f]{16})\.mp4$/;
const SEGMENT = /^([1-9][0-9]{0,18})\.m4s$/;

export function parseVodFile(file: string): VodFile | undefined {
  if (file === VOD_PLAYLIST_FILE) return { kind: 'playlist' };
  const init = INIT.exec(file);
  if (init) return { kind: 'init', hash: init[1]! };
  const seg = SEGMENT.exec(file);
  return seg ? { kind: 'segment', segmentId: seg[1]! } : undefined;
}

/** The hash of an init path of the layout (`<camera>/<profile>/init/<hash>.mp4`); undefined for anything else. */
export function initHashOfPath(initPath: string): string | undefined {
  return /(?:^|\/)init\/([0-9a-f]{16})\.mp4$/.exec(initPath)?.[1];
}

export const vodInitNameOf = (hash: string): string => `init_${hash}.mp4`;
export const vodSegmentNameOf = (segmentId: string): string => `${segmentId}.m4s`;
