import { promises as fs } from 'node:fs';

/** The file-system calls recording makes, behind one port (unit specs inject ENOSPC and the like). */
export interface RecordingFs {
  mkdir(dir: string): Promise<void>;
  /** Writes the buffers to a new file, fsyncs it and closes it (the file is replaced if it exists). */
  writeSynced(file: string, data: readonly Buffer[]): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Deletes a file; a missing one is fine. */
  unlink(file: string): Promise<void>;
  readFile(file: string): Promise<Buffer>;
  /** Size of a file, undefined when it does not exist. */
  sizeOf(file: string): Promise<number | undefined>;
  /** Bytes available to this process on the file system holding dir. */
  freeBytes(dir: string): Promise<number>;
  /** Every file under dir, as paths relative to it (no directories). */
  walk(dir: string): Promise<string[]>;
  /** Removes empty directories under dir (not dir itself). */
  pruneEmptyDirs(dir: string): Promise<void>;
}

export class NodeRecordingFs implements RecordingFs {
  async mkdir(dir: string): Promise<void> {
    await fs.mkdir(dir, { recursive: true });
  }

  async writeSynced(file: string, data: readonly Buffer[]): Promise<void> {
    const handle = await fs.open(file, 'w');
    try {
      await handle.writev(data as Buffer[]);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async rename(from: string, to: string): Promise<void> {
    await fs.rename(from, to);
  }

  async unlink(file: string): Promise<void> {
    await fs.unlink(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  readFile(file: string): Promise<Buffer> {
    return fs.readFile(file);
  }

  async sizeOf(file: string): Promise<number | undefined> {
    try {
      return (await fs.stat(file)).size;
    } catch {
      return undefined;
    }
  }

  async freeBytes(dir: string): Promise<number> {
    const s = await fs.statfs(dir);
    return s.bavail * s.bsize;
  }

  async walk(dir: string): Promise<string[]> {
    const out: string[] = [];
    const visit = async (rel: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(rel ? `${dir}/${rel}` : dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const path = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await visit(path);
        else if (e.isFile()) out.push(path);
      }
    };
    await visit('');
    return out;
  }

  async pruneEmptyDirs(dir: string): Promise<void> {
    const visit = async (path: string, isRoot: boolean): Promise<boolean> => {
      let entries;
      try {
        entries = await fs.readdir(path, { withFileTypes: true });
      } catch {
        return false;
      }
      let empty = true;
      for (const e of entries) {
        if (e.isDirectory() && (await visit(`${path}/${e.name}`, false))) continue;
        empty = false;
      }
      if (empty && !isRoot) await fs.rmdir(path).catch(() => undefined);
      return empty;
    };
    await visit(dir, true);
  }
}
