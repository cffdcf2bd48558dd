import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal, ScopeService } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { Commands, SweepStartReply, SweepStartRequest } from '@tiergate/contracts';
import { TiergateError } from '@tiergate/domain';
import { ErrorReply, MqttBus, unwrapReply } from '@tiergate/messaging';
import { parseCidr } from '@tiergate/onvif';
import { AuditWriter } from '@tiergate/persistence';
import { CameraRepository } from '@tiergate/persistence';
import { SweepAccess } from './sweep.access';
import { StartSweepDto } from './sweep.dto';
import { FindingCamera, SweepView, toSweepView } from './sweep.view';

const START_TIMEOUT_MS = 5000;

/**
 * Sweeps are asked for here and owned by the discovery app: the gateway validates the request, picks the
 * sweep's id and sends Commands.sweepStart; discovery stores the sweep row (the one record of its state
 * and findings, which only discovery writes) and runs it. The gateway only reads the row. A request/reply
 * rather than a table poller means a missing discovery process is reported at once (503) and nothing is
 * left "running", and no process has to poll the database.
 */
@Injectable()
export class SweepsService {
  constructor(
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly bus: MqttBus,
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
    const request: SweepStartRequest = { sweepId: randomUUID(), params: { ...(cidr ? { cidr } : {}), multicast, ports }, createdBy: principal.userId };
    try {
      unwrapReply(await this.bus.request<SweepStartReply | ErrorReply>(Commands.sweepStart, request, START_TIMEOUT_MS));
    } catch (e) {
      throw e instanceof TiergateError ? e : new TiergateError('SERVICE_UNAVAILABLE', 'the discovery service is not available');
    }
    await this.audit.append({ userId: principal.userId, username: principal.username }, { action: 'discovery.sweep', targetType: 'sweep', targetId: request.sweepId, details: { cidr, multicast, ports } });
    return { id: request.sweepId };
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
      const camera: FindingCamera = { id: k.id, name: k.name, device: k.device };
      if (k.endpointReference) byKey.set(k.endpointReference, camera);
      if (k.hostPort) byKey.set(k.hostPort, camera);
    }
    return toSweepView(sweep, (f) => byKey.get(f.endpoint) ?? byKey.get(`${f.host.toLowerCase()}:${f.port}`));
  }
}
