/**
 * Hotspot (Gi*) benchmark: 100,000 incidents with planted clusters over a station-size area (about
 * 4 x 4 km) and over a sub-bureau-size area (about 12 x 12 km), median of 5 runs each.
 * Run: `npm run build && node dist/bench/hotspots.bench.js`. Writes bench/results/hotspots.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Geometry, Position } from '@tiergate/domain';
import { computeHotspots, containsPoint, fromWebMercator, toWebMercator, validateBoundary } from '@tiergate/domain';

const INCIDENTS = 100_000;
const RUNS = 5;
const CENTRE = { lon: 123.43, lat: 41.8 }; // a north-east Chinese city centre
/** Mercator metres per ground metre at the centre's latitude (sizes below are ground sizes). */
const SCALE = 1 / Math.cos((CENTRE.lat * Math.PI) / 180);

let seed = 42;
function rand(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
}
function gaussian(): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** An irregular rounded polygon of `vertices` points, about `sizeM` ground metres across. */
function irregularArea(sizeM: number, vertices: number): Geometry {
  const c = toWebMercator(CENTRE.lon, CENTRE.lat);
  const ring: Position[] = [];
  for (let k = 0; k < vertices; k++) {
    const a = (2 * Math.PI * k) / vertices;
    // A squircle (|x|^4 + |y|^4 = 1) with a wobbly edge: close to a sizeM x sizeM square.
    const squircle = 1 / Math.pow(Math.pow(Math.abs(Math.cos(a)), 4) + Math.pow(Math.abs(Math.sin(a)), 4), 0.25);
    const r = (sizeM / 2) * SCALE * squircle * (0.95 + 0.05 * Math.sin(7 * a) * Math.cos(3 * a));
    const p = fromWebMercator(c.x + r * Math.cos(a), c.y + r * Math.sin(a));
    ring.push([p.lon, p.lat]);
  }
  ring.push(ring[0]);
  return validateBoundary({ type: 'Polygon', coordinates: [ring] });
}

interface Cluster {
  dx: number;
  dy: number;
  sigma: number;
  share: number;
}

/** Uniform noise inside the area plus Gaussian clusters (positions relative to size, sigma in ground metres). */
function incidentsFor(area: Geometry, sizeM: number, clusters: Cluster[]): Array<{ lon: number; lat: number }> {
  const c = toWebMercator(CENTRE.lon, CENTRE.lat);
  const out: Array<{ lon: number; lat: number }> = [];
  while (out.length < INCIDENTS) {
    const u = rand();
    let acc = 0;
    const cluster = clusters.find((cl) => (acc += cl.share) > u);
    const x = cluster ? c.x + (cluster.dx * sizeM + gaussian() * cluster.sigma) * SCALE : c.x + (rand() - 0.5) * sizeM * 1.2 * SCALE;
    const y = cluster ? c.y + (cluster.dy * sizeM + gaussian() * cluster.sigma) * SCALE : c.y + (rand() - 0.5) * sizeM * 1.2 * SCALE;
    const p = fromWebMercator(x, y);
    if (containsPoint(area, p.lon, p.lat)) out.push(p); // incidents are already scoped to the area
  }
  return out;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function scenario(name: string, sizeM: number, vertices: number) {
  const area = irregularArea(sizeM, vertices);
  const clusters: Cluster[] = [
    { dx: 0.1, dy: 0.15, sigma: 120, share: 0.06 },
    { dx: -0.2, dy: -0.1, sigma: 200, share: 0.05 },
    { dx: 0.25, dy: -0.2, sigma: 80, share: 0.02 },
  ];
  const incidents = incidentsFor(area, sizeM, clusters);
  const times: number[] = [];
  let result = computeHotspots({ incidents, studyArea: [area] });
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    result = computeHotspots({ incidents, studyArea: [area] });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  // Did each planted cluster produce a hot-99 cell within one cell of its centre?
  const c = toWebMercator(CENTRE.lon, CENTRE.lat);
  const found = clusters.map((cl) =>
    result.cells.some(
      (cell) =>
        cell.confidence === 'hot-99' &&
        Math.hypot(cell.centreMercator.x - (c.x + cl.dx * sizeM * SCALE), cell.centreMercator.y - (c.y + cl.dy * sizeM * SCALE)) <=
          result.cellSize,
    ),
  );
  return {
    name,
    areaKm: `${sizeM / 1000}x${sizeM / 1000}`,
    boundaryVertices: vertices,
    incidents: INCIDENTS,
    cellSize: result.cellSize,
    radius: result.radius,
    n: result.n,
    ignored: result.ignored,
    outputCells: result.cells.length,
    hot99: result.cells.filter((x) => x.confidence === 'hot-99').length,
    plantedClustersFound: `${found.filter(Boolean).length}/${clusters.length}`,
    topZ: Number(result.cells[0]?.z.toFixed(3)),
    runsMs: times.map((t) => Number(t.toFixed(2))),
    medianMs: Number(median(times).toFixed(2)),
  };
}

function main(): void {
  const rows = [scenario('station', 4000, 400), scenario('sub-bureau', 12000, 1000)];
  const totalMedianMs = Number(rows.reduce((a, r) => a + r.medianMs, 0).toFixed(2));
  const report = {
    benchmark: 'hotspots (Getis-Ord Gi*)',
    node: process.version,
    at: new Date().toISOString(),
    runs: RUNS,
    budgetMs: 1000,
    totalMedianMs,
    withinBudget: totalMedianMs < 1000,
    scenarios: rows,
  };
  const dir = resolve(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'hotspots.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.table(
    rows.map((r) => ({
      scenario: r.name,
      km: r.areaKm,
      incidents: r.incidents,
      n: r.n,
      'out cells': r.outputCells,
      'hot-99': r.hot99,
      planted: r.plantedClustersFound,
      'median ms': r.medianMs,
    })),
  );
  console.log(`total of medians: ${totalMedianMs} ms (budget 1000 ms) -> ${join(dir, 'hotspots.json')}`);
}

main();
