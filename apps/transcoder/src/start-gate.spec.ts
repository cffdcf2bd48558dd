import { StartGate } from './start-gate';

describe('StartGate', () => {
  it('grants at once up to the limit, then in request order as places are released', () => {
    const gate = new StartGate(2);
    const granted: string[] = [];
    const t = ['a', 'b', 'c', 'd'].map((id) => gate.request(() => granted.push(id)));
    expect(granted).toEqual(['a', 'b']);
    expect(gate.counts).toEqual({ running: 2, waiting: 2 });
    t[1]!.release();
    expect(granted).toEqual(['a', 'b', 'c']);
    t[0]!.release();
    expect(granted).toEqual(['a', 'b', 'c', 'd']);
    expect(gate.counts).toEqual({ running: 2, waiting: 0 });
  });

  it('a queued request released is withdrawn (never granted) and frees nothing; a second release changes nothing', () => {
    const gate = new StartGate(1);
    const granted: string[] = [];
    const a = gate.request(() => granted.push('a'));
    const b = gate.request(() => granted.push('b'));
    gate.request(() => granted.push('c'));
    b.release();
    expect(gate.counts).toEqual({ running: 1, waiting: 1 });
    a.release();
    a.release();
    b.release();
    expect(granted).toEqual(['a', 'c']);
    expect(gate.counts).toEqual({ running: 1, waiting: 0 });
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new StartGate(0)).toThrow(RangeError);
    expect(() => new StartGate(1.5)).toThrow(RangeError);
  });
});
