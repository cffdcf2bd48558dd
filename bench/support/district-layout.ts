// Pure: who watches what in the district benchmark. Stations of a generated district (districtCode), each with
// `camerasPerStation` cameras dealt round-robin over its posts. Each station has walls of 16 tiles showing its own
// cameras; each post has PCs of 4 tiles showing its own cameras and, where it has fewer than 4, those of the next
// post of the same station (seen through a jurisdiction grant, as neighbouring posts share their views).
// Wall tiles play MSE; post PCs alternate by post between MSE and classic HLS.

export interface DistrictShape {
  readonly stations: number;
  readonly postsPerStation: number;
  readonly camerasPerStation: number;
  readonly wallTiles: number;
  readonly postTiles: number;
}

export const DISTRICT_SHAPE: DistrictShape = { stations: 14, postsPerStation: 8, camerasPerStation: 22, wallTiles: 16, postTiles: 4 };

export interface PlannedCamera {
  readonly index: number;
  readonly station: number; // 1-based, as districtCode numbers them
  readonly post: number; // 1-based
}

export interface Screen {
  /** e.g. wall-s03-a, pc-s03-p05-b */
  readonly name: string;
  readonly kind: 'wall' | 'post';
  readonly station: number;
  /** 0 for a wall (its user is the station's). */
  readonly post: number;
  readonly protocol: 'mse' | 'hls';
  /** Indexes into the camera list. */
  readonly cameras: readonly number[];
}

export function planCameras(shape: DistrictShape): PlannedCamera[] {
  const out: PlannedCamera[] = [];
  for (let s = 1; s <= shape.stations; s++) {
    for (let i = 0; i < shape.camerasPerStation; i++) out.push({ index: out.length, station: s, post: (i % shape.postsPerStation) + 1 });
  }
  return out;
}

/** Every screen, `copies` of each (1: one wall per station and one PC per post; 2: twice the viewers). */
export function planScreens(shape: DistrictShape, cameras: readonly PlannedCamera[], copies: number): Screen[] {
  const screens: Screen[] = [];
  const pad = (n: number) => String(n).padStart(2, '0');
  for (let s = 1; s <= shape.stations; s++) {
    const own = cameras.filter((c) => c.station === s);
    for (let copy = 0; copy < copies; copy++) {
      const suffix = String.fromCharCode(97 + copy);
      screens.push({ name: `wall-s${pad(s)}-${suffix}`, kind: 'wall', station: s, post: 0, protocol: 'mse', cameras: own.slice(0, shape.wallTiles).map((c) => c.index) });
      for (let p = 1; p <= shape.postsPerStation; p++) {
        const next = (p % shape.postsPerStation) + 1;
        const tiles = [...own.filter((c) => c.post === p), ...own.filter((c) => c.post === next)].slice(0, shape.postTiles);
        screens.push({ name: `pc-s${pad(s)}-p${pad(p)}-${suffix}`, kind: 'post', station: s, post: p, protocol: p % 2 === 1 ? 'mse' : 'hls', cameras: tiles.map((c) => c.index) });
      }
    }
  }
  return screens;
}

/** The posts whose PCs need the next post's cameras: [post, next post] pairs per station. */
export function neighbourGrants(shape: DistrictShape, cameras: readonly PlannedCamera[]): { station: number; post: number; next: number }[] {
  const out: { station: number; post: number; next: number }[] = [];
  for (let s = 1; s <= shape.stations; s++) {
    for (let p = 1; p <= shape.postsPerStation; p++) {
      if (cameras.filter((c) => c.station === s && c.post === p).length < shape.postTiles) out.push({ station: s, post: p, next: (p % shape.postsPerStation) + 1 });
    }
  }
  return out;
}
