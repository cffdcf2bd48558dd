import { Injectable } from '@nestjs/common';
import { Repository } from 'typeorm';
import type { Principal } from '@tiergate/access';
import { notFound, TiergateError } from '@tiergate/domain';
import { DiscoverySweepEntity, InjectRepository, SweepFinding } from '@tiergate/persistence';
import { AddFromSweepDto } from './camera.dto';
import { CameraRepository } from './camera.repository';
import { CamerasService } from './cameras.service';
import { CameraDetailView } from './camera.view';

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
      const name = decodeURIComponent(scope.slice(scope.lastIndexOf('/') + 1)).replace(/_/g, ' ').trim();
      if (name) return name.slice(0, 200);
    } catch {
      // badly encoded scope: fall through
    }
  }
  return [f.manufacturer, f.model, f.host].filter(Boolean).join(' ').slice(0, 200);
}

/** Adds the findings of a discovery sweep as cameras: each one probed and saved like a manual add. */
@Injectable()
export class CameraSweepOnboarding {
  constructor(
    @InjectRepository(DiscoverySweepEntity) private readonly sweeps: Repository<DiscoverySweepEntity>,
    private readonly repo: CameraRepository,
    private readonly cameras: CamerasService,
  ) {}

  async add(principal: Principal, dto: AddFromSweepDto): Promise<AddFromSweepResult> {
    const sweep = await this.sweeps.findOneBy({ id: dto.sweepId });
    if (!sweep) throw notFound('sweep');
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
    const taken = new Set(existing.flatMap((e) => [e.endpointReference, e.hostPort]).filter(Boolean));
    const todo = findings.filter((f) => {
      const dup = taken.has(f.endpoint) || taken.has(`${f.host.toLowerCase()}:${f.port}`);
      if (dup && dto.endpoints) result.errors.push({ endpoint: f.endpoint, code: 'CONFLICT', message: 'already added' });
      return !dup;
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
