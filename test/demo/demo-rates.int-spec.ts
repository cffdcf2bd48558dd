import { DiscoveryModule } from '../../apps/discovery/src/discovery.module';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { TranscoderModule } from '../../apps/transcoder/src/transcoder.module';
import { loadDemo } from '../../apps/all-in-one/src/demo/demo.loader';
import { startTestProcess, TestProcess } from '../support/harness';

const DAY_MS = 86_400_000;

// npm start's demo (the all-in-one modules, TIERGATE_DEMO=1's loader, a small fleet): the dashboard's rates are
// filled on the first start: every rate of GET /api/rates has a value, and the duty fulfilment rate is neither
// 0 nor 1 (rounds on time, late, incomplete and missed).
describe('the demo district fills the rates dashboard on first start', () => {
  let tg: TestProcess;
  let stopFleet: (() => Promise<void>) | undefined;
  let admin: string;

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'tiergate', modules: [PartitionerModule, DiscoveryModule, TranscoderModule, GatewayModule], http: true });
    stopFleet = await loadDemo(tg.running, 8);
    admin = await tg.login();
  }, 240_000);
  afterAll(async () => {
    await stopFleet?.();
    await tg?.stop();
  });

  const period = (days: number) => {
    const to = new Date();
    return `from=${encodeURIComponent(new Date(to.getTime() - days * DAY_MS).toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
  };

  it('GET /api/rates over the last 30 days: decline, preventable-case, capture and monitoring rates all have values, for the district and each station', async () => {
    const res = await tg.call('GET', `/api/rates?${period(30)}`, { token: admin });
    expect(res.status).toBe(200);
    const [district] = res.body.children;
    expect(district.jurisdiction.tier).toBe('sub-bureau');
    const nodes = [district, ...(await tg.call('GET', `/api/rates?${period(30)}&jurisdictionId=${district.jurisdiction.id}`, { token: admin })).body.children];
    expect(nodes.length).toBe(15);
    for (const n of nodes) {
      const all = n.incidentDecline.find((d: any) => d.type === 'all');
      expect({ code: n.jurisdiction.code, previous: all.previousPeriod.rate, lastYear: all.samePeriodLastYear.rate }).toEqual({
        code: n.jurisdiction.code,
        previous: { value: expect.any(Number) },
        lastYear: { value: expect.any(Number) },
      });
      expect(n.preventableCases.population).toBeGreaterThan(0);
      expect(n.preventableCases.current.per10k.value).toEqual(expect.any(Number));
      expect(n.stopCheckCapture.current.checks).toBeGreaterThan(0);
      expect(n.stopCheckCapture.current.rate.value).toEqual(expect.any(Number));
      expect(n.stopCheckCapture.samePeriodLastYear.rate).toEqual({ value: null, reason: 'NO_STOP_CHECKS' }); // a year of log, no more
    }
    expect(district.stopCheckCapture.current.rate.value).toBeGreaterThan(0);
    expect(district.stopCheckCapture.current.rate.value).toBeLessThan(0.2);
    expect(district.monitoring.current.cameras).toBe(8);
    expect(district.monitoring.current.cameraShare.value).toEqual(expect.any(Number));
    expect(district.monitoring.current.hourShare.value).toEqual(expect.any(Number));
  });

  it('GET /api/patrol/fulfilment over the last week (the demo has three days of rounds): rounds planned, fulfilled, late, incomplete and missed, a rate strictly between 0 and 1', async () => {
    const rates = await tg.call('GET', `/api/rates?${period(7)}`, { token: admin });
    const rootId = rates.body.children[0].jurisdiction.id;
    const res = await tg.call('GET', `/api/patrol/fulfilment?jurisdictionId=${rootId}&${period(7)}`, { token: admin });
    expect(res.status).toBe(200);
    const { counts, rate } = res.body;
    expect(counts.planned).toBeGreaterThan(20);
    for (const k of ['fulfilled', 'missed', 'late', 'incomplete']) expect({ [k]: counts[k] > 0 }).toEqual({ [k]: true });
    expect(rate).toBe(counts.fulfilled / counts.planned);
    expect(rate).toBeGreaterThan(0.3);
    expect(rate).toBeLessThan(0.9);
    expect(res.body.children.some((c: any) => c.rate !== null)).toBe(true);
  });
});
