import { readFileSync } from 'node:fs';

/** Direct children of a process, from /proc (Linux). Empty when it has none or is gone. */
export const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

/** The ffmpeg under a watchdog wrapper (its other child is the wrapper's stdin watcher, a sh subshell). */
export const ffmpegUnder = (wrapper: number): number[] =>
  childrenOf(wrapper).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'ffmpeg';
    } catch {
      return false;
    }
  });
