import { TiergateError } from '../errors';
import type { Geometry } from '../geo';
import { bbox, fromWebMercator, isGeometry, rowContainment, toWebMercator } from '../geo';
import { twoSidedNormalP } from './normal-distribution.math';

export type HotspotConfidence = 'hot-99' | 'hot-95' | 'hot-90' | 'cold-99' | 'cold-95' | 'cold-90' | 'none';

export interface HotspotInput {
  /** Incidents already filtered by type, dates and the caller's scope. */
  incidents: ReadonlyArray<{ lon: number; lat: number }>;
  /** The study area: the union of these boundaries (lon/lat, planar). */
  studyArea: readonly Geometry[];
  /** Cell edge in EPSG:3857 metres (default 250). */
  cellSize?: number;
  /** Fixed distance band in EPSG:3857 metres between cell centres (default 500). */
  radius?: number;
}

export interface HotspotCell {
  /** Integer cell indices: floor(mercatorX / cellSize), floor(mercatorY / cellSize). */
  x: number;
  y: number;
  count: number;
  /** Gi* z-score. */
  z: number;
  /** Two-sided normal p-value of z. */
  p: number;
  confidence: HotspotConfidence;
  centre: { lat: number; lon: number };
  centreMercator: { x: number; y: number };
}

export interface HotspotResult {
  cellSize: number;
  radius: number;
  /** Number of cells in the study area. */
  n: number;
  /** Incidents left out because their cell is not in the study area (or their position is not finite). */
  ignored: number;
  /** Cells with count > 0 or |z| >= 1.645, by z descending, then x, then y. */
  cells: HotspotCell[];
}

export const DEFAULT_CELL_SIZE = 250;
export const DEFAULT_RADIUS = 500;
export const MIN_CELL_SIZE = 10;
/** Limits that keep one request within about a second of CPU. */
export const MAX_STUDY_GRID_CELLS = 2_000_000;
export const MAX_NEIGHBOUR_WORK = 300_000_000;

const Z90 = 1.645;
const Z95 = 1.96;
const Z99 = 2.576;

export function confidenceOf(z: number): HotspotConfidence {
  const a = Math.abs(z);
  const side = z > 0 ? 'hot' : 'cold';
  if (a >= Z99) return `${side}-99`;
  if (a >= Z95) return `${side}-95`;
  if (a >= Z90) return `${side}-90`;
  return 'none';
}

/** Relative slack on `distance <= radius`, so a neighbour exactly on the band is not lost to rounding. */
const BAND_SLACK = 1e-9;

/**
 * For each row offset dy (|dy| <= K), the largest dx such that the centres of cells (0,0) and (dx,dy)
 * are within the radius. The neighbourhood of a cell is thus a contiguous run of cells in each row.
 */
export function neighbourRowHalfWidths(cellSize: number, radius: number): Map<number, number> {
  const limit = radius * radius * (1 + BAND_SLACK);
  const within = (dx: number, dy: number): boolean => (dx * cellSize) ** 2 + (dy * cellSize) ** 2 <= limit;
  const rows = new Map<number, number>();
  for (let dy = 0; within(0, dy); dy++) {
    let k = Math.floor(Math.sqrt(Math.max(0, (radius / cellSize) ** 2 - dy * dy)));
    while (within(k + 1, dy)) k++;
    while (k > 0 && !within(k, dy)) k--;
    rows.set(dy, k);
    rows.set(-dy, k);
  }
  return rows;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new TiergateError('VALIDATION_FAILED', `${name} must be a positive number of metres`);
  }
  return v;
}

interface StudyGrid {
  minCx: number;
  minCy: number;
  width: number;
  height: number;
  inStudy: Uint8Array;
  n: number;
}

/** Marks every cell whose centre lies inside (or on the border of) any study-area boundary. */
function buildStudyGrid(studyArea: readonly Geometry[], cellSize: number): StudyGrid | undefined {
  const ranges = studyArea.map((g) => {
    const b = bbox(g);
    const lo = toWebMercator(b.minLon, b.minLat);
    const hi = toWebMercator(b.maxLon, b.maxLat);
    // Cells whose centre (c + 0.5) * cellSize can fall inside [lo, hi], plus one cell of margin: the
    // projection round trip may move a border that runs exactly through cell centres by a rounding error.
    return {
      geometry: g,
      x0: Math.ceil(lo.x / cellSize - 0.5) - 1,
      x1: Math.floor(hi.x / cellSize - 0.5) + 1,
      y0: Math.ceil(lo.y / cellSize - 0.5) - 1,
      y1: Math.floor(hi.y / cellSize - 0.5) + 1,
    };
  }).filter((r) => r.x0 <= r.x1 && r.y0 <= r.y1);
  if (ranges.length === 0) return undefined;
  const minCx = Math.min(...ranges.map((r) => r.x0));
  const minCy = Math.min(...ranges.map((r) => r.y0));
  const width = Math.max(...ranges.map((r) => r.x1)) - minCx + 1;
  const height = Math.max(...ranges.map((r) => r.y1)) - minCy + 1;
  if (width * height > MAX_STUDY_GRID_CELLS) {
    throw new TiergateError(
      'RANGE_TOO_LARGE',
      `the study area spans ${width}x${height} cells of ${cellSize} m; use a larger cellSize (at most ${MAX_STUDY_GRID_CELLS} cells)`,
    );
  }
  // Lon depends only on the column and lat only on the row: invert the projection once per line.
  const lonOf = Float64Array.from({ length: width }, (_, i) => fromWebMercator((minCx + i + 0.5) * cellSize, 0).lon);
  const latOf = Float64Array.from({ length: height }, (_, j) => fromWebMercator(0, (minCy + j + 0.5) * cellSize).lat);
  const inStudy = new Uint8Array(width * height);
  let n = 0;
  for (const r of ranges) {
    for (let cy = r.y0; cy <= r.y1; cy++) {
      const j = cy - minCy;
      const inRow = rowContainment(r.geometry, latOf[j]);
      for (let cx = r.x0; cx <= r.x1; cx++) {
        const idx = j * width + (cx - minCx);
        if (inStudy[idx] === 0 && inRow(lonOf[cx - minCx])) {
          inStudy[idx] = 1;
          n++;
        }
      }
    }
  }
  return { minCx, minCy, width, height, inStudy, n };
}

/** Prefix sums along each row: out[row * (width + 1) + c] = sum of values[row, 0..c-1]. */
function rowPrefixSums(values: ArrayLike<number>, width: number, height: number): Float64Array {
  const out = new Float64Array((width + 1) * height);
  for (let j = 0; j < height; j++) {
    let acc = 0;
    const base = j * (width + 1);
    for (let i = 0; i < width; i++) {
      acc += values[j * width + i];
      out[base + i + 1] = acc;
    }
  }
  return out;
}

/**
 * The study area of a Gi* analysis as a dense grid with its fixed-distance-band neighbourhoods, built
 * once and reusable for several count grids over the same area (the time slices of the emerging
 * hot-spot analysis, emerging-hotspots.ts).
 */
export interface GiStarGrid {
  cellSize: number;
  radius: number;
  /** Cell indices of grid index 0 (idx = (cy - minCy) * width + (cx - minCx)). */
  minCx: number;
  minCy: number;
  width: number;
  height: number;
  /** 1 where the cell's centre is in the study area. */
  inStudy: Uint8Array;
  /** Number of study cells. */
  n: number;
  /** Grid index of the study cell holding the point, or -1 (outside the study area, or not finite). */
  indexOf(lon: number, lat: number): number;
  /** Gi* of every grid index for these counts (0 outside the study area, and where S or the denominator is 0). */
  zScores(counts: ArrayLike<number>): Float64Array;
}

/**
 * Validates the parameters and builds the study grid of CONTRACT.md "Hotspots"; undefined when the
 * study area holds no cell centre.
 */
export function giStarGrid(studyArea: readonly Geometry[], cellSizeIn?: number, radiusIn?: number): GiStarGrid | undefined {
  const cellSize = positive(cellSizeIn, DEFAULT_CELL_SIZE, 'cellSize');
  const radius = positive(radiusIn, DEFAULT_RADIUS, 'radius');
  if (cellSize < MIN_CELL_SIZE) throw new TiergateError('VALIDATION_FAILED', `cellSize must be at least ${MIN_CELL_SIZE} metres`);
  const bad = studyArea.findIndex((g) => !isGeometry(g));
  if (bad >= 0) throw new TiergateError('INVALID_GEOMETRY', `study area ${bad} is not a Polygon or MultiPolygon`);

  const grid = buildStudyGrid(studyArea, cellSize);
  if (!grid || grid.n === 0) return undefined;
  const { minCx, minCy, width, height, inStudy, n } = grid;

  const rows = neighbourRowHalfWidths(cellSize, radius);
  const work = n * rows.size;
  if (work > MAX_NEIGHBOUR_WORK) {
    throw new TiergateError('RANGE_TOO_LARGE', `radius ${radius} m over ${n} cells of ${cellSize} m is too much work; use a smaller radius or larger cells`);
  }
  const prefStudy = rowPrefixSums(inStudy, width, height);
  const rowOffsets = [...rows.entries()];

  const indexOf = (lon: number, lat: number): number => {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return -1;
    const m = toWebMercator(lon, lat);
    const i = Math.floor(m.x / cellSize) - minCx;
    const j = Math.floor(m.y / cellSize) - minCy;
    if (i < 0 || j < 0 || i >= width || j >= height || inStudy[j * width + i] === 0) return -1;
    return j * width + i;
  };

  const zScores = (counts: ArrayLike<number>): Float64Array => {
    let sum = 0;
    let sumSq = 0;
    for (let idx = 0; idx < width * height; idx++) {
      sum += counts[idx];
      sumSq += counts[idx] * counts[idx];
    }
    const mean = sum / n;
    const s = Math.sqrt(sumSq / n - mean * mean);
    const z = new Float64Array(width * height);
    if (!(n > 1 && s > 0)) return z;
    const prefCount = rowPrefixSums(counts, width, height);
    for (let j = 0; j < height; j++) {
      for (let i = 0; i < width; i++) {
        if (inStudy[j * width + i] === 0) continue;
        let sumWx = 0;
        let sumW = 0;
        for (const [dy, k] of rowOffsets) {
          const jj = j + dy;
          if (jj < 0 || jj >= height) continue;
          const base = jj * (width + 1);
          const from = Math.max(0, i - k);
          const to = Math.min(width - 1, i + k) + 1;
          sumWx += prefCount[base + to] - prefCount[base + from];
          sumW += prefStudy[base + to] - prefStudy[base + from];
        }
        // Binary weights: sum of w_ij^2 equals sum of w_ij.
        const denominator = s * Math.sqrt((n * sumW - sumW * sumW) / (n - 1));
        z[j * width + i] = denominator > 0 ? (sumWx - mean * sumW) / denominator : 0;
      }
    }
    return z;
  };

  return { cellSize, radius, minCx, minCy, width, height, inStudy, n, indexOf, zScores };
}

/** Centre of the cell at grid index idx, in EPSG:3857 metres and lon/lat. */
export function cellCentre(grid: GiStarGrid, idx: number): { x: number; y: number; centre: { lat: number; lon: number }; centreMercator: { x: number; y: number } } {
  const cx = grid.minCx + (idx % grid.width);
  const cy = grid.minCy + Math.floor(idx / grid.width);
  const centreMercator = { x: (cx + 0.5) * grid.cellSize, y: (cy + 0.5) * grid.cellSize };
  const { lon, lat } = fromWebMercator(centreMercator.x, centreMercator.y);
  return { x: cx, y: cy, centre: { lat, lon }, centreMercator };
}

/**
 * Getis-Ord Gi* hot-spot analysis exactly as specified in CONTRACT.md ("Hotspots"): incidents are
 * projected to EPSG:3857 and binned in square cells; the study area is every cell whose centre lies
 * inside the union of `studyArea`; binary weights w_ij = 1 when cell centres are within `radius`
 * (the cell itself included), neighbours restricted to study cells. Incidents whose cell is outside the
 * study area are ignored (reported in `ignored`), since x_i is only defined for study cells.
 * Cost: O(incidents + cells x neighbour rows), via row prefix sums over a dense grid.
 */
export function computeHotspots(input: HotspotInput): HotspotResult {
  const grid = giStarGrid(input.studyArea, input.cellSize, input.radius);
  if (!grid) {
    const cellSize = positive(input.cellSize, DEFAULT_CELL_SIZE, 'cellSize');
    const radius = positive(input.radius, DEFAULT_RADIUS, 'radius');
    return { cellSize, radius, n: 0, ignored: input.incidents.length, cells: [] };
  }
  const { cellSize, radius, n } = grid;
  const counts = new Float64Array(grid.width * grid.height);
  let ignored = 0;
  for (const { lon, lat } of input.incidents) {
    const idx = grid.indexOf(lon, lat);
    if (idx < 0) ignored++;
    else counts[idx]++;
  }
  const zs = grid.zScores(counts);
  const cells: HotspotCell[] = [];
  for (let idx = 0; idx < counts.length; idx++) {
    if (grid.inStudy[idx] === 0) continue;
    const z = zs[idx];
    const count = counts[idx];
    if (count === 0 && Math.abs(z) < Z90) continue;
    const { x, y, centre, centreMercator } = cellCentre(grid, idx);
    cells.push({ x, y, count, z, p: z === 0 ? 1 : twoSidedNormalP(z), confidence: confidenceOf(z), centre, centreMercator });
  }
  cells.sort((a, b) => b.z - a.z || a.x - b.x || a.y - b.y);
  return { cellSize, radius, n, ignored, cells };
}
