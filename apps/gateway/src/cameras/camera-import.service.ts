import { Inject, Injectable } from '@nestjs/common';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { Principal, Scope, scopeAllowsCamera, ScopeService, SecretBox } from '@tiergate/access';
import { TiergateError } from '@tiergate/domain';
import { CameraRepository, NewCamera, newCamera, Transactor } from '@tiergate/persistence';
import { CameraCsvRow, parseCameraCsv, RowError } from './camera-csv.parser';
import { CameraEvents } from './camera.events';
import { CameraPlacement, Placement, PlacementOutcome } from './camera-placement';
import { HIDDEN_CONFLICT } from './camera-conflict';

export interface CameraImportResult {
  created: number;
  errors: RowError[];
}

/**
 * CSV import, all-or-nothing: every bad row (syntax, duplicates inside the file or with existing cameras,
 * a location outside the caller's jurisdictions) is reported with its line and nothing is created;
 * otherwise every row is inserted in one transaction, in batches, placed by the tree that transaction
 * sees under the tree lock (see CameraPlacement). Devices are NOT probed here: the health monitor checks
 * them on its next round and fills in their status.
 */
@Injectable()
export class CameraImportService {
  constructor(
    private readonly repo: CameraRepository,
    private readonly transactor: Transactor,
    private readonly placement: CameraPlacement,
    private readonly secrets: SecretBox,
    private readonly events: CameraEvents,
    private readonly scopes: ScopeService,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  async import(principal: Principal, csv: string): Promise<CameraImportResult> {
    const { rows, errors } = parseCameraCsv(csv);
    assertRowCap(rows.length + new Set(errors.map((e) => e.line)).size, this.config.limits.importCameraRows);
    errors.push(...duplicatesWithinFile(rows));
    const inputs = rows.map((r) => ({ location: r.location }));
    const early = await this.placement.placeMany(principal, inputs);
    errors.push(...placementErrors(rows, early.outcomes));
    const keys = {
      hostPorts: rows.flatMap((r) => (r.onvif ? [r.onvif] : [])),
      endpoints: [],
      rtspUrls: rows.flatMap((r) => (r.rtspUrl ? [r.rtspUrl] : [])),
    };
    const scope = await this.scopes.scopeOf(principal); // before the transaction: PGlite has one connection
    errors.push(...duplicatesOfExisting(rows, await this.repo.findDuplicates(keys), scope));
    if (errors.length > 0) fail(errors);
    if (rows.length === 0) fail([{ line: 1, message: 'the file has no camera rows' }]);
    const sealed = rows.map((r) => (r.password ? this.secrets.seal(r.password) : null));
    const ids = await this.transactor.run(async (tx) => {
      // Placed again under the tree lock with the tree this transaction sees (the same placements when
      // the tree has not changed): a tree import meanwhile either committed first or waits for this one.
      const outcomes = await this.placement.placeManyIn(tx, principal, inputs, early);
      const misplaced = placementErrors(rows, outcomes);
      if (misplaced.length > 0) fail(misplaced);
      // Checked again inside the transaction: another import may have added the same devices meanwhile.
      const late = duplicatesOfExisting(rows, await this.repo.findDuplicates(keys, tx), scope);
      if (late.length > 0) fail(late);
      return this.repo.insertMany(rows.map((r, i) => toInsert(r, outcomes[i] as Placement, sealed[i])), tx);
    });
    await this.events.changed(principal, 'imported', ids, { rows: rows.length });
    return { created: ids.length, errors: [] };
  }
}

/** A file with more camera rows than the cap is refused whole (413) before anything is placed or stored. */
function assertRowCap(count: number, cap: number): void {
  if (count <= cap) return;
  throw new TiergateError('PAYLOAD_TOO_LARGE', `the file has ${count} camera rows; one import takes at most ${cap} (limits.importCameraRows): split the file`, { limit: cap, rows: count });
}

/** A CSV row as a new camera: placed, never contacted (the health monitor checks it next). */
function toInsert(r: CameraCsvRow, place: Placement, passwordSealed: string | null): NewCamera {
  return newCamera({
    name: r.name,
    jurisdictionId: place.jurisdictionId,
    lat: r.location?.lat ?? null,
    lon: r.location?.lon ?? null,
    tags: r.tags,
    onvifHost: r.onvif?.host ?? null,
    onvifPort: r.onvif?.port ?? null,
    username: r.username ?? null,
    passwordSealed,
    rtspUrl: r.rtspUrl ?? null,
  });
}

function placementErrors(rows: readonly CameraCsvRow[], outcomes: readonly PlacementOutcome[]): RowError[] {
  return outcomes.flatMap((p, i) => ('error' in p ? [{ line: rows[i].line, message: p.error }] : []));
}

function fail(errors: RowError[]): never {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  throw new TiergateError('IMPORT_FAILED', `${sorted.length} problem(s) in the file; nothing was created`, { created: 0, errors: sorted });
}

const hostKey = (h: { host: string; port: number }): string => `${h.host.toLowerCase()}:${h.port}`;

function duplicatesWithinFile(rows: readonly CameraCsvRow[]): RowError[] {
  const seen = new Map<string, number>();
  const errors: RowError[] = [];
  for (const r of rows) {
    for (const key of [r.onvif ? `onvif ${hostKey(r.onvif)}` : undefined, r.rtspUrl ? `rtsp_url` + ` ${r.rtspUrl}` : undefined]) {
      if (!key) continue;
      const first = seen.get(key);
      if (first !== undefined) errors.push({ line: r.line, message: `same ${key.startsWith('onvif') ? `ONVIF address ${key.slice(6)}` : 'rtsp_url'} as line ${first}` });
      else seen.set(key, r.line);
    }
  }
  return errors;
}

/** Rows that collide with existing cameras; one outside the caller's scope is not named (camera-conflict.ts). */
function duplicatesOfExisting(
  rows: readonly CameraCsvRow[],
  existing: readonly { id: string; jurisdictionId: string | null; onvifHost: string | null; onvifPort: number | null; rtspUrl: string | null }[],
  scope: Scope,
): RowError[] {
  const hosts = new Map<string, boolean>();
  const urls = new Map<string, boolean>();
  for (const e of existing) {
    const visible = scopeAllowsCamera(scope, e);
    if (e.onvifHost) hosts.set(hostKey({ host: e.onvifHost, port: e.onvifPort ?? 0 }), visible);
    if (e.rtspUrl) urls.set(e.rtspUrl, visible);
  }
  const errors: RowError[] = [];
  for (const r of rows) {
    const byHost = r.onvif ? hosts.get(hostKey(r.onvif)) : undefined;
    const byUrl = r.rtspUrl ? urls.get(r.rtspUrl) : undefined;
    if (byHost === false || byUrl === false) errors.push({ line: r.line, message: HIDDEN_CONFLICT });
    else {
      if (byHost) errors.push({ line: r.line, message: `a camera with ONVIF address ${hostKey(r.onvif!)} already exists` });
      if (byUrl) errors.push({ line: r.line, message: 'a camera with this rtsp_url already exists' });
    }
  }
  return errors;
}
