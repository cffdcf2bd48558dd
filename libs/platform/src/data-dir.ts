import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Mode bits that let the group or others read, write or enter. */
const GROUP_OTHER = 0o077;

/**
 * Pure: whether a key file's mode lets anyone but its owner read or write it (OpenSSH refuses such keys
 * for the same reason: someone else may already have it).
 */
export function keyFileExposed(mode: number): boolean {
  return (mode & GROUP_OTHER) !== 0;
}

const octal = (mode: number): string => `0${(mode & 0o777).toString(8)}`;

/**
 * The embedded data directory (PGlite's files and secret.key) is private to the user running Tiergate:
 * the directory and every directory below it 0700, every file 0600. PGlite's initdb writes its ~970 files
 * with an explicit chmod 0666 (the process umask does not apply to it), so the tree is tightened again
 * after the database is open; files Postgres creates later follow the umask set here (0077).
 */
export class DataDirectory {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = resolve(dataDir);
  }

  private get keyFile(): string {
    return join(this.path, 'secret.key');
  }

  /**
   * Creates the directory 0700 (or tightens an existing one), sets the process umask to 0077 so that files
   * created from now on are the owner's only, and tightens whatever an older version left readable.
   * Answers how many entries it had to tighten.
   */
  prepare(): number {
    mkdirSync(this.path, { recursive: true, mode: 0o700 });
    process.umask(0o077);
    return this.restrict();
  }

  /**
   * chmod 0700 on directories and 0600 on files that others can reach; symlinks are left alone, and so is
   * secret.key (`secretKey` refuses an exposed one rather than hide it). Answers how many changed.
   */
  restrict(): number {
    let changed = 0;
    const keyFile = this.keyFile;
    const walk = (path: string): void => {
      const st = lstatSync(path);
      if (st.isSymbolicLink() || path === keyFile) return;
      const wanted = st.isDirectory() ? 0o700 : 0o600;
      if ((st.mode & 0o777 & ~wanted) !== 0) {
        chmodSync(path, wanted);
        changed++;
      }
      if (st.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
    };
    walk(this.path);
    return changed;
  }

  /**
   * The secret key kept in `secret.key`: generated (0600) on first use. A key file that the group or others
   * can read or write is refused with one line that says how to fix it: it may have been copied, and
   * tightening it silently would hide that.
   */
  secretKey(): string {
    const file = this.keyFile;
    if (existsSync(file)) {
      const mode = statSync(file).mode;
      if (keyFileExposed(mode)) {
        throw new Error(
          `${file} can be read or written by other users (mode ${octal(mode)}); anyone who read it can forge logins and unseal camera passwords. ` +
            `Run "chmod 600 ${file}" (and, if others may have read it, set a new TIERGATE_SECRET_KEY and re-enter camera passwords)`,
        );
      }
      return readFileSync(file, 'utf8').trim();
    }
    mkdirSync(this.path, { recursive: true, mode: 0o700 });
    const key = randomBytes(32).toString('base64url');
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return key;
  }
}
