import { PtzCommandQueue } from './ptz-command.queue';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
const tick = () => new Promise((r) => setImmediate(r));

describe('PtzCommandQueue', () => {
  it("runs a camera's commands in order, skipping moves overtaken by a newer command", async () => {
    const q = new PtzCommandQueue();
    const ran: string[] = [];
    const gate = deferred();
    const command = (name: string, result: unknown, wait?: Promise<void>) => async () => {
      ran.push(name);
      if (wait) await wait;
      return result;
    };
    const first = q.run('cam', command('move 1', 1, gate.promise), { skippable: true });
    await tick(); // move 1 is at the camera
    const second = q.run('cam', command('move 2', 2), { skippable: true });
    const third = q.run('cam', command('move 3', 3), { skippable: true });
    const stop = q.run('cam', command('stop', 'stopped'), { skippable: false });
    await q.run('other', command('other camera', 0), { skippable: true }); // another camera does not wait
    expect(ran).toEqual(['move 1', 'other camera']);
    gate.resolve();
    expect(await Promise.all([first, second, third, stop])).toEqual([1, 'superseded', 'superseded', 'stopped']);
    expect(ran).toEqual(['move 1', 'other camera', 'stop']);
    await tick();
    expect(q.busy).toBe(0);
  });

  it('a move followed at once by a stop is not sent at all; the newest move is', async () => {
    const q = new PtzCommandQueue();
    const ran: string[] = [];
    const move = q.run('cam', async () => ran.push('move'), { skippable: true });
    const stop = q.run('cam', async () => ran.push('stop'), { skippable: false });
    const last = q.run('cam', async () => ran.push('move again'), { skippable: true });
    expect([await move, await stop, await last]).toEqual(['superseded', 1, 2]);
    expect(ran).toEqual(['stop', 'move again']);
  });

  it('a failed command does not block the next one', async () => {
    const q = new PtzCommandQueue();
    const failed = q.run('cam', () => Promise.reject(new Error('camera gone')), { skippable: false });
    const next = q.run('cam', async () => 'ok', { skippable: false });
    await expect(failed).rejects.toThrow('camera gone');
    expect(await next).toBe('ok');
  });
});
