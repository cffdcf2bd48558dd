import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { nginxStaticMediaConfig, type NginxStaticMediaOptions } from './nginx-config';

/** Debian's nginx (`apt-get install nginx-light`), or the one on PATH; undefined when there is none. */
export function locateNginx(env: { PATH?: string }): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', ...(env.PATH ?? '').split(':').filter(Boolean).map((d) => join(d, 'nginx'))]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Whether this nginx was built with the secure_link module (Debian's nginx-light is). */
export function hasSecureLink(nginx: string): boolean {
  return /--with-http_secure_link_module/.test(spawnSync(nginx, ['-V'], { encoding: 'utf8' }).stderr ?? '');
}

export interface NginxChild {
  readonly pid: number;
  readonly port: number;
  readonly process: ChildProcess;
  /** SIGTERM to the master (its workers follow), SIGKILL after 3 s; resolves when it has exited. */
  stop(): Promise<void>;
  /** The error log so far (for a failing test). */
  errorLog(): string;
}

/**
 * Runs the static-media nginx as a child (tests and benches): its configuration, pid, temp files and logs in
 * `runDir`, `daemon off`, no root needed (`-p <runDir> -c <conf>`). Reaped by PID. Resolves once it accepts
 * connections on `host:port`.
 */
export async function startNginx(nginx: string, o: Omit<NginxStaticMediaOptions, 'listen' | 'runDir' | 'user'> & { host: string; port: number; runDir: string }): Promise<NginxChild> {
  mkdirSync(o.runDir, { recursive: true });
  const conf = join(o.runDir, 'nginx.conf');
  const errorLog = join(o.runDir, 'error.log');
  // started by root, nginx would run its workers as nobody, who cannot read the 0700 output directories
  const user = process.getuid?.() === 0 ? 'root' : undefined;
  writeFileSync(conf, nginxStaticMediaConfig({ ...o, listen: `${o.host}:${o.port}`, runDir: o.runDir, user }), { mode: 0o600 });
  const child = spawn(nginx, ['-p', o.runDir, '-c', conf, '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => `${stderr}${existsSync(errorLog) ? readFileSync(errorLog, 'utf8').slice(-4000) : ''}`;
  const deadline = Date.now() + 5000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start: ${log()}`);
    if (await accepts(o.host, o.port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not listen on ${o.host}:${o.port}: ${log()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: child.pid!,
    port: o.port,
    process: child,
    errorLog: log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, host);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
