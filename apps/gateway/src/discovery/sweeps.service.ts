import { Inject, Injectable } from '@nestjs/common';
import { ClientMqtt } from '@nestjs/microservices';
import { Repository } from 'typeorm';
import { Principal, ScopeService } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { Commands, SweepStartReply, SweepStartRequest } from '@tiergate/contracts';
import { TiergateError } from '@tiergate/domain';
import { request, RPC_CLIENT } from '@tiergate/messaging';
import { parseCidr } from '@tiergate/onvif';
import { AuditWriter, DiscoverySweepEntity, InjectRepository } from '@tiergate/persistence';
import { CameraRepository } from '../cameras/camera.repository';
import { SweepAccess } from './sweep.access';
import { StartSweepDto } from './sweep.dto';
import { FindingCamera, SweepView, toSweepView } from './sweep.view';

const START_TIMEOUT_MS = 5000;
/**
 * Stored state of a sweep not yet claimed by a discovery process (shown to clients as `running`): the
 * first discovery process to move it to `running` runs it, so several discovery processes never run
 * the same sweep twice.
 */
export const SWEEP_QUEUED = 'queued';

/**
 * Sweeps are started here and run by the discovery app: the gateway validates the request, stores the
 * sweep row (the one record of its state and findings) and sends Commands.sweepStart. A request/reply
 * rather than a table poller means a missing discovery process is reported at once (503) instead of
 * leaving a sweep "running" forever, and no process has to poll the database.
 */
@Injectable()
export class SweepsService {
  constructor(
    @InjectRepository(DiscoverySweepEntity) private readonly sweeps: Repository<DiscoverySweepEntity>,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    @Inject(RPC_CLIENT) private readonly rpc: ClientMqtt,
    private readonly cameras: CameraRepository,
    private readonly scopes: ScopeService,
    private readonly audit: AuditWriter,
    private readonly access: SweepAccess,
  ) {}

  async start(principal: Principal, dto: StartSweepDto): Promise<{ id: string }> {
    const multicast = dto.multicast === true;
    const cidr = dto.cidr !== undefined ? parseCidr(dto.cidr).cidr : undefined;
    if (!cidr && !multicast) throw new TiergateError('VALIDATION_FAILED', 'cidr: give a range to sweep (or multicast: true)', { fields: ['cidr'] });
    if (multicast && !this.config.discovery.multicastInterface) {
      throw new TiergateError(
        'VALIDATION_FAILED',
        'multicast: WS-Discovery multicast is off on this server; set discovery.multicastInterface (TIERGATE_DISCOVERY_INTERFACE) or sweep a cidr',
        { fields: ['multicast'] },
      );
    }
    const ports = [...new Set(dto.ports ?? this.config.discovery.ports)];
    const row = await this.sweeps.save(this.sweeps.create({ state: SWEEP_QUEUED, progress: 0, params: { cidr, multicast, ports }, found: [], error: null, createdBy: principal.userId }));
    try {
      await request<SweepStartReply>(this.rpc, Commands.sweepStart, { sweepId: row.id } satisfies SweepStartRequest, START_TIMEOUT_MS);
    } catch (e) {
      await this.sweeps.update({ id: row.id, state: SWEEP_QUEUED }, { state: 'failed', error: 'the discovery service did not accept the sweep', finishedAt: new Date() });
      throw e instanceof TiergateError ? e : new TiergateError('SERVICE_UNAVAILABLE', 'the discovery service is not available');
    }
    await this.audit.append({ userId: principal.userId, username: principal.username }, { action: 'discovery.sweep', targetType: 'sweep', targetId: row.id, details: { cidr, multicast, ports } });
    return { id: row.id };
  }

  async get(principal: Principal, id: string): Promise<SweepView> {
    // the starter's and its administrators' only; anyone else gets the 404 of a missing sweep (sweep.access.ts)
    const sweep = await this.access.visibleSweep(principal, id);
    const known = await this.cameras.idsByEndpointOrHost(
      sweep.found.map((f) => f.endpoint),
      sweep.found.map((f) => `${f.host}:${f.port}`),
    );
    const visible = await this.scopes.visibleCameraIds(principal, known.map((k) => k.id));
    const byKey = new Map<string, FindingCamera>();
    for (const k of known) {
      if (!visible.has(k.id)) continue;
      const camera: FindingCamera = { id: k.id, device: k.device };
      if (k.endpointReference) byKey.set(k.endpointReference, camera);
      if (k.hostPort) byKey.set(k.hostPort, camera);
    }
    return toSweepView(sweep, (f) => byKey.get(f.endpoint) ?? byKey.get(`${f.host.toLowerCase()}:${f.port}`));
  }
}
