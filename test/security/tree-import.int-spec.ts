/**
 * Issue 11, items 2 and 7, as an attacker with an admin account below the root would try them:
 * - a station admin imports one node under its own post with a boundary covering the whole district, so
 *   that reassignment hands it every camera and incident of the other stations;
 * - a stored tree that already overlaps a neighbour (data from before the nesting rule) must still not let
 *   a station admin's re-import move the neighbour's rows (the second, independent guard);
 * - a post admin sends a ~20,000-position comb (valid, and quadratic for a bounding-box sweep) out of its
 *   scope and then within it: the refusal comes before any geometry work and the event loop stays free.
 * No network beyond the test's own HTTP server; no cameras are contacted.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DataSource } from 'typeorm';
import { districtCode, generateDistrict, Geometry } from '@tiergate/domain';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { districtNodes, seedJurisdictions, userToken } from '../support/district.fixture';
import { seedGeneratedDistrict, SeededDistrict } from '../support/generated-district.seed';
import { startTestProcess, TestProcess } from '../support/harness';

const R = '210103';
const geo = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const feature = (code: string, parentCode: string | null, geometry: unknown, tier = 'grid') => ({ type: 'Feature', properties: { code, name: `n ${code}`, tier, parentCode }, geometry });
const rect = (w: number, s: number, e: number, n: number): Geometry => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });

/** A valid comb of `teeth` long horizontal teeth inside [w, s, w + width, s + 2·teeth·tooth]: teeth × 4 + 2 positions. */
function comb(w: number, s: number, width: number, tooth: number, teeth: number): Geometry {
  const ring: [number, number][] = [[w, s]];
  for (let i = 0; i < teeth; i++) {
    const y = s + 2 * i * tooth;
    ring.push([w + width, y], [w + width, y + tooth], [w + width / 100, y + tooth], [w + width / 100, y + 2 * tooth]);
  }
  ring[ring.length - 1] = [w, s + 2 * teeth * tooth - tooth];
  ring.push([w, s]);
  return { type: 'Polygon', coordinates: [ring] };
}

describe('security: jurisdiction tree imports (issue 11 items 2 and 7)', () => {
  let tg: TestProcess;
  let admin: string;
  let ds: DataSource;
  let seeded: SeededDistrict;
  const importAs = (token: string, body: string) => tg.call('POST', '/api/jurisdictions/import', { token, raw: body, contentType: 'application/geo+json' });
  const bboxOf = (code: string) => seeded.district.features.find((f) => f.properties.code === code)!.bbox;
  /** Cameras per station (counted over each station's subtree), from the database. */
  const camerasPerStation = async (): Promise<Record<string, number>> => {
    const nodes: { id: string; parentId: string | null; tier: string; code: string }[] = await ds.query(`SELECT id, "parentId", tier, code FROM jurisdictions`);
    const byId = new Map(nodes.map((j) => [j.id, j]));
    const stationOf = (id: string): string => {
      for (let j = byId.get(id); j; j = j.parentId ? byId.get(j.parentId) : undefined) if (j.tier === 'station') return j.code;
      return 'none';
    };
    const counts: Record<string, number> = {};
    for (const c of (await ds.query(`SELECT "jurisdictionId" AS id FROM cameras`)) as { id: string }[]) {
      const code = stationOf(c.id);
      counts[code] = (counts[code] ?? 0) + 1;
    }
    return counts;
  };

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'gateway', modules: [PartitionerModule, GatewayModule], http: true });
    admin = await tg.login();
    ds = tg.running.app.get(DataSource, { strict: false });
    seeded = await seedGeneratedDistrict(tg, admin, { cameras: 200 });
  });
  afterAll(() => tg?.stop());

  it('a station admin cannot take the district with a post-level node covering it all (400 BOUNDARY_OUTSIDE_PARENT, nothing moves)', async () => {
    const station1 = seeded.idOfCode.get(districtCode(R, 1))!;
    const stationAdmin = await userToken(tg, admin, 'st1-admin', 'admin', station1);
    const before = await camerasPerStation();
    expect(Object.keys(before)).toHaveLength(4);
    const whole = seeded.district.features[0].geometry;
    const res = await importAs(stationAdmin, geo([feature('TAKE-ALL', districtCode(R, 1, 1), whole)]));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BOUNDARY_OUTSIDE_PARENT');
    expect(res.body.message).toMatch(/feature 0: code TAKE-ALL: the boundary must lie within its parent 2101030101\d+'s boundary/);
    // Both rules are named: the parent post's boundary and the importer's home (station 1).
    expect(res.body.errors).toHaveLength(2);
    expect(res.body.errors[1]).toEqual(expect.objectContaining({ feature: 0, code: 'BOUNDARY_OUTSIDE_PARENT', message: expect.stringMatching(/within your jurisdiction 2101030100\d+'s boundary/) }));
    expect(await camerasPerStation()).toEqual(before);
    expect((await ds.query(`SELECT count(*)::int AS n FROM jurisdictions WHERE code = 'TAKE-ALL'`))[0].n).toBe(0);

    // Within its post but reaching into station 2 by 1 m: refused as well (the tolerance is 1e-6°).
    const [w, s, e, n] = bboxOf(districtCode(R, 1, 1));
    const nudged = await importAs(stationAdmin, geo([feature('NUDGE', districtCode(R, 1, 1), rect(w, s, e + 1e-5, n))]));
    expect(nudged.status).toBe(400);
    expect(nudged.body.code).toBe('BOUNDARY_OUTSIDE_PARENT');

    // Inside its post: accepted, and only that post's cameras move into it.
    const ok = await importAs(stationAdmin, geo([feature('OWN-GRID', districtCode(R, 1, 1), rect(w, s, (w + e) / 2, n))]));
    expect(ok.status).toBe(200);
    expect(ok.body.created).toBe(1);
    expect(await camerasPerStation()).toEqual(before);
  });

  it('an update that shrinks a node below its stored children is refused, naming the child', async () => {
    const postCode = districtCode(R, 2, 1);
    const post = seeded.district.features.find((f) => f.properties.code === postCode)!;
    const [w, s, e, n] = post.bbox;
    const stationCode = districtCode(R, 2);
    const station = seeded.district.features.find((f) => f.properties.code === stationCode)!;
    const shrunk = { ...station, geometry: rect(w, s, (w + e) / 2, n) };
    const res = await importAs(admin, geo([shrunk]));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BOUNDARY_OUTSIDE_PARENT');
    expect(res.body.message).toMatch(new RegExp(`code ${stationCode}: the new boundary no longer holds its stored child`));
  });

  it("reassignment never moves a neighbour's rows, even when the stored tree already overlaps it (second guard)", async () => {
    // A separate small tree written straight to the database, as if from before the nesting rule:
    // station A's post P-A reaches over station B, whose cameras sit in the overlap.
    const tree = generateDistrict({ stations: 2, postsPerStation: 1, seed: 3, regionCode: '990001', origin: { lon: 100.5, lat: 30.5 }, sizeKm: 4 });
    const nodes = districtNodes(tree);
    const [, stA, stB, pA, pB] = nodes;
    const overlap = { ...pA, geometry: tree.features[0].geometry }; // P-A covers the whole district
    const ids = await seedJurisdictions(tg, [nodes[0], stA, stB, overlap, pB]);
    const [bw, bs, be, bn] = tree.features.find((f) => f.properties.code === pB.code)!.bbox;
    const inB: { id: string }[] = await ds.query(
      `INSERT INTO cameras (name, lon, lat, tags, "jurisdictionId") SELECT 'guard-' || g, $1::float8 + ($2::float8 - $1::float8) * g / 20.0, ($3::float8 + $4::float8) / 2, '{}', $5::uuid
         FROM generate_series(1, 19) AS g RETURNING id`,
      [bw, be, bs, bn, ids.get(pB.code)],
    );
    const stationAAdmin = await userToken(tg, admin, 'sta-admin', 'admin', ids.get(stA.code)!);
    // An innocent import of a node under P-A (within it): every import reassigns, within the importer's subtree only.
    const [aw, as, ae, an] = tree.features.find((f) => f.properties.code === pA.code)!.bbox;
    const res = await importAs(stationAAdmin, geo([feature('GUARD-GRID', pA.code, rect(aw, as, (aw + ae) / 2, (as + an) / 2))]));
    expect(res.status).toBe(200);
    expect(res.body.reassignedCameras).toBe(0);
    const rows: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM cameras WHERE id = ANY($1::uuid[]) AND "jurisdictionId" = $2`, [inB.map((r) => r.id), ids.get(pB.code)]);
    expect(rows[0].n).toBe(19);
    // The built-in admin's re-import does repair by the tree (the overlap is deeper, so it wins there).
    await ds.query(`DELETE FROM cameras WHERE id = ANY($1::uuid[])`, [inB.map((r) => r.id)]);
  });

  it('a post admin is refused (403) before any geometry work, and a comb near the vertex cap keeps the event loop free', async () => {
    const postCode = districtCode(R, 3, 2);
    const postId = seeded.idOfCode.get(postCode)!;
    const postAdmin = await userToken(tg, admin, 'post-admin', 'admin', postId);
    const [w, s, e, n] = bboxOf(postCode);
    const teeth = 4999; // 19,998 positions, under the 20,000 cap
    const tooth = ((n - s) * 0.9) / (2 * teeth);
    const inside = comb(w + (e - w) * 0.05, s + (n - s) * 0.05, (e - w) * 0.9, tooth, teeth);
    const outOfScope = geo([feature('COMB-OUT', districtCode(R, 1, 1), inside)]);
    const withinScope = geo([feature('COMB-IN', postCode, inside)]);
    expect(withinScope.length).toBeGreaterThan(500_000);

    // Warm-up with a small comb through the same paths: the test runs TypeScript sources, and ts-jest
    // compiles a module on the event loop the first time it is required, which a built process never does.
    const small = comb(w + (e - w) * 0.05, s + (n - s) * 0.05, (e - w) * 0.9, tooth * 20, 200);
    expect((await importAs(postAdmin, geo([feature('COMB-OUT-W', districtCode(R, 1, 1), small)]))).status).toBe(403);
    expect((await importAs(postAdmin, geo([feature('COMB-WARM', postCode, small)]))).status).toBe(200);

    const delay = monitorEventLoopDelay({ resolution: 10 });
    const healthMs: number[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const started = performance.now();
        const res = await fetch(`${tg.url}/api/health`);
        await res.arrayBuffer();
        healthMs.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    // Jest keeps the garbage of earlier test files in this process (module registries, PGlite heaps):
    // collect it first, so that the pause measured is the import's, not a major GC owed to those files.
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    // The machine's own noise first (other processes on shared cores also delay timers): 1.5 s without an import.
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    await new Promise((r) => setTimeout(r, 1500));
    idle.disable();
    const idleMs = idle.max / 1e6;
    delay.enable();
    const refusedStarted = performance.now();
    const refused = await importAs(postAdmin, outOfScope);
    const refusedMs = performance.now() - refusedStarted;
    const accepted = await importAs(postAdmin, withinScope);
    delay.disable();
    polling = false;
    await poll;

    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    expect(accepted.status).toBe(200);
    expect(accepted.body.created).toBe(1);
    const maxLoopDelayMs = delay.max / 1e6;
    const sorted = [...healthMs].sort((a, b) => a - b);
    const worstHealthMs = sorted[sorted.length - 1];
    const p95HealthMs = sorted[Math.floor(sorted.length * 0.95)];
    // 250 ms beyond what the machine alone did to an idle loop (a quiet machine measures 28-30 ms of CPU). The loop
    // measured is the test runner's, whose heap in CI (2-4 GB by then: the unit tests and the external files share
    // one process) adds GC pauses of 100-200 ms; 195 ms failed a 100 ms budget there. What this guards against is
    // a hostile polygon blocking the loop for seconds. The same in both modes: the embedded database
    // (PGlite, on this thread) yields the loop between protocol messages as a server connection does
    // (libs/persistence/src/event-loop-turns.pglite.ts).
    const budgetMs = 250 + Math.max(0, idleMs - 20);
    console.log(
      `tree-import security: 403 in ${refusedMs.toFixed(0)} ms; comb of 19,998 positions: event-loop delay max ${maxLoopDelayMs.toFixed(1)} ms ` +
        `(idle ${idleMs.toFixed(1)} ms, budget ${budgetMs.toFixed(0)} ms), ${healthMs.length} health requests, p95 ${p95HealthMs.toFixed(1)} ms, worst ${worstHealthMs.toFixed(1)} ms`,
    );
    expect(healthMs.length).toBeGreaterThan(3);
    // The event loop itself (what a hostile polygon used to block for seconds) stays under the budget; a
    // health request also waits for its `SELECT 1`, which a loaded database server can delay on its own.
    expect(maxLoopDelayMs).toBeLessThan(budgetMs);
    expect(p95HealthMs).toBeLessThan(budgetMs);
    // The single slowest request is logged, not asserted: in a full CI run (both database modes, other
    // suites' ffmpegs on 2 cores) it reached 1.3–1.7 s waiting on the database while the loop stayed < 100 ms.
  });

  it('caps positions per boundary and per import (before any geometry work)', async () => {
    const postCode = districtCode(R, 3, 3);
    const [w, s, e, n] = bboxOf(postCode);
    const tooth = ((n - s) * 0.9) / (2 * 5000);
    const overCap = comb(w + (e - w) * 0.05, s + (n - s) * 0.05, (e - w) * 0.9, tooth, 5000); // 20,002 positions
    const one = await importAs(admin, geo([feature('CAP-1', postCode, overCap)]));
    expect(one.status).toBe(400);
    expect(one.body.code).toBe('INVALID_GEOMETRY');
    expect(one.body.message).toMatch(/feature 0: geometry: geometry has more than 20000 positions/);
    const small = comb(w + (e - w) * 0.05, s + (n - s) * 0.05, (e - w) * 0.9, tooth, 4000); // 16,002 positions
    const many = await importAs(admin, geo(Array.from({ length: 13 }, (_, i) => feature(`CAP-M${i}`, postCode, small))));
    expect(many.status).toBe(413);
    expect(many.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(many.body.message).toMatch(/more than 200000 positions/);
  });
});
