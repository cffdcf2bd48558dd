import { Injectable } from '@nestjs/common';
import { Principal, ScopeService } from '@tiergate/access';
import { cleanDeviceText, TiergateError } from '@tiergate/domain';
import { CameraRepository, SweepFinding } from '@tiergate/persistence';
import { SweepAccess } from '../sweeps/sweep.access';
import { AddFromSweepDto } from './camera.dto';
import { CamerasService } from './cameras.service';
import { CameraDetailView } from './camera.view';
import { HIDDEN_CONFLICT } from './camera-conflict';

export interface AddFromSweepResult {
  created: CameraDetailView[];
  errors: { endpoint: string; code: string; message: string }[];
}

const PROBE_CONCURRENCY = 16;

/** Pure: a camera name from a finding's ONVIF scopes (`.../name/<name>`), else maker, model and host. */
export function nameOfFinding(f: SweepFinding): string {
  const scope = f.scopes.find((s) => /^onvif:\/\/www\.onvif\.org\/name\//i.test(s));
  if (scope) {
    try {
      // %00 and other controls decode to characters Postgres or a console should not get
      const name = cleanDeviceText(decodeURIComponent(scope.slice(scope.lastIndexOf('/') + 1)).replace(/_/g, ' '), 200);
      if (name) return name;
    } catch {
      // badly encoded scope: fall through
    }
  }
  return cleanDeviceText([f.manufacturer, f.model, f.host].filter(Boolean).join(' '), 200);
}

/** Adds the findings of a discovery sweep as cameras: each one probed and saved like a manual add. */
@Injectable()
export class CameraSweepOnboarding {
  constructor(
    private readonly sweeps: SweepAccess,
    private readonly repo: CameraRepository,
    private readonly cameras: CamerasService,
    private readonly scopes: ScopeService,
  ) {}

  async add(principal: Principal, dto: AddFromSweepDto): Promise<AddFromSweepResult> {
    const sweep = await this.sweeps.visibleSweep(principal, dto.sweepId);
    const result: AddFromSweepResult = { created: [], errors: [] };
    let findings = sweep.found;
    if (dto.endpoints) {
      const wanted = new Set(dto.endpoints);
      for (const e of wanted) {
        if (!findings.some((f) => f.endpoint === e)) result.errors.push({ endpoint: e, code: 'NOT_FOUND', message: 'not among the findings of this sweep' });
      }
      findings = findings.filter((f) => wanted.has(f.endpoint));
    }
    const existing = await this.repo.idsByEndpointOrHost(
      findings.map((f) => f.endpoint),
      findings.map((f) => `${f.host}:${f.port}`),
    );
    // key -> whether the caller sees the camera that has it: one it cannot see is not named
    const visible = await this.scopes.visibleCameraIds(principal, existing.map((e) => e.id));
    const taken = new Map<string, boolean>();
    for (const e of existing) for (const k of [e.endpointReference, e.hostPort]) if (k) taken.set(k, taken.get(k) === true || visible.has(e.id));
    const todo = findings.filter((f) => {
      const dup = taken.get(f.endpoint) ?? taken.get(`${f.host.toLowerCase()}:${f.port}`);
      if (dup !== undefined && dto.endpoints) result.errors.push({ endpoint: f.endpoint, code: 'CONFLICT', message: dup ? 'already added' : HIDDEN_CONFLICT });
      return dup === undefined;
    });
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const f = todo[next++];
        try {
          const view = await this.cameras.create(
            principal,
            { name: nameOfFinding(f), onvif: { host: f.host, port: f.port, username: dto.username, password: dto.password }, tags: dto.tags, jurisdictionId: dto.jurisdictionId },
            { endpointReference: f.endpoint, verify: true },
          );
          result.created.push(view);
        } catch (e) {
          if (!(e instanceof TiergateError)) throw e;
          result.errors.push({ endpoint: f.endpoint, code: e.code, message: e.message });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, todo.length) }, worker));
    return result;
  }
}
