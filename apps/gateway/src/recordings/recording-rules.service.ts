import { Injectable } from '@nestjs/common';
import { Principal, scopeAllowsJurisdiction, ScopeService } from '@tiergate/access';
import { isUuid, JurisdictionTree, notFound, TiergateError } from '@tiergate/domain';
import { CameraRepository, NewRecordingRule, RecordingRuleRecord, RecordingsRepository } from '@tiergate/persistence';
import { CreateRecordingRuleDto, DEFAULT_BUFFER_MINUTES, DEFAULT_RETENTION_DAYS, UpdateRecordingRuleDto } from './recording-rules.dto';
import { RecordingRulesEvents } from './recording-rules.events';
import { RecordingRuleView, toRecordingRuleView } from './recording-rules.view';

type Administered = ReadonlySet<string> | undefined;
const invalid = (field: string, message: string) => new TiergateError('VALIDATION_FAILED', `${field}: ${message}`, { fields: [field] });

/**
 * Recording rules (docs/recording.md, "Rules"). Anyone lists the rules of the nodes in their scope; `admin` and
 * `operator` (the controller's roles) write the rules of nodes inside their home subtree (grants share viewing,
 * never administration). A rule outside that is 404 like a missing one, and so is a target outside it. A
 * camera or jurisdiction target must lie in the rule's own subtree (400 when it is visible but outside).
 */
@Injectable()
export class RecordingRulesService {
  constructor(
    private readonly rules: RecordingsRepository,
    private readonly cameras: CameraRepository,
    private readonly scopes: ScopeService,
    private readonly events: RecordingRulesEvents,
  ) {}

  async list(principal: Principal): Promise<RecordingRuleView[]> {
    const scope = await this.scopes.scopeOf(principal);
    const rows = await this.rules.listRules(scope.all ? undefined : [...scope.jurisdictionIds]);
    return rows.filter((r) => scopeAllowsJurisdiction(scope, r.jurisdictionId)).map(toRecordingRuleView);
  }

  async create(principal: Principal, dto: CreateRecordingRuleDto): Promise<RecordingRuleView> {
    const jurisdictionId = dto.jurisdictionId ?? principal.jurisdictionId;
    if (jurisdictionId === null) throw invalid('jurisdictionId', 'required for an account without a home jurisdiction');
    const rule: NewRecordingRule = {
      name: dto.name.trim(),
      targetType: dto.target.type,
      targetValue: dto.target.value,
      mode: dto.mode,
      bufferMinutes: dto.mode === 'buffer' ? (dto.bufferMinutes ?? DEFAULT_BUFFER_MINUTES) : null,
      profile: dto.profile ?? 'sub',
      retentionDays: dto.retentionDays ?? DEFAULT_RETENTION_DAYS,
      jurisdictionId,
      enabled: dto.enabled ?? true,
      createdBy: principal.userId,
    };
    await this.assertWritable(principal, rule);
    const saved = await this.rules.createRule(rule);
    await this.events.changed(principal, 'rule-created', saved.id, { ...toRecordingRuleView(saved) });
    return toRecordingRuleView(saved);
  }

  async update(principal: Principal, id: string, dto: UpdateRecordingRuleDto): Promise<RecordingRuleView> {
    const current = await this.administered(principal, id);
    const mode = dto.mode ?? current.mode;
    const next: NewRecordingRule = {
      name: dto.name?.trim() ?? current.name,
      targetType: dto.target?.type ?? current.targetType,
      targetValue: dto.target?.value ?? current.targetValue,
      mode,
      bufferMinutes: mode === 'buffer' ? (dto.bufferMinutes ?? current.bufferMinutes ?? DEFAULT_BUFFER_MINUTES) : null,
      profile: dto.profile ?? current.profile,
      retentionDays: dto.retentionDays ?? current.retentionDays,
      jurisdictionId: dto.jurisdictionId ?? current.jurisdictionId,
      enabled: dto.enabled ?? current.enabled,
      createdBy: current.createdBy,
    };
    await this.assertWritable(principal, next);
    const before = toRecordingRuleView(current);
    const { createdBy: _unchanged, ...patch } = next;
    const saved = await this.rules.updateRule(id, patch);
    if (!saved) throw notFound('recording rule');
    await this.events.changed(principal, 'rule-updated', id, { before, after: toRecordingRuleView(saved) });
    return toRecordingRuleView(saved);
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const current = await this.administered(principal, id);
    if (await this.rules.deleteRule(id)) await this.events.changed(principal, 'rule-deleted', id, { ...toRecordingRuleView(current) });
  }

  /** The rule, when it exists and its node is inside the caller's home subtree; else 404. */
  private async administered(principal: Principal, id: string): Promise<RecordingRuleRecord> {
    const rule = isUuid(id) ? await this.rules.getRule(id) : undefined;
    if (!rule || !inAdministered(await this.scopes.administeredJurisdictionIds(principal), rule.jurisdictionId)) throw notFound('recording rule');
    return rule;
  }

  /** The rule's node is administered by the caller and its target lies in the rule's subtree. */
  private async assertWritable(principal: Principal, rule: NewRecordingRule): Promise<void> {
    const administered = await this.scopes.administeredJurisdictionIds(principal);
    const tree = await this.scopes.tree();
    if (!tree.has(rule.jurisdictionId) || !inAdministered(administered, rule.jurisdictionId)) throw notFound('jurisdiction');
    if (rule.targetType === 'camera') {
      const [camera] = isUuid(rule.targetValue) ? await this.cameras.placementsOf([rule.targetValue]) : [];
      if (!camera || !inAdministered(administered, camera.jurisdictionId)) throw notFound('camera');
      if (!inSubtree(tree, rule.jurisdictionId, camera.jurisdictionId)) throw invalid('target.value', "the camera lies outside the rule's jurisdiction");
    } else if (rule.targetType === 'jurisdiction') {
      if (!isUuid(rule.targetValue) || !tree.has(rule.targetValue) || !inAdministered(administered, rule.targetValue)) throw notFound('jurisdiction');
      if (!tree.isInSubtree(rule.jurisdictionId, rule.targetValue)) throw invalid('target.value', "the jurisdiction lies outside the rule's jurisdiction");
    }
  }
}

function inAdministered(administered: Administered, jurisdictionId: string | null): boolean {
  return administered === undefined || (jurisdictionId !== null && administered.has(jurisdictionId));
}

function inSubtree(tree: JurisdictionTree, rootId: string, id: string | null): boolean {
  return id !== null && tree.has(id) && tree.isInSubtree(rootId, id);
}
