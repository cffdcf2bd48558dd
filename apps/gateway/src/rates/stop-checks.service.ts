import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@tiergate/access';
import { ScopeService } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { TiergateError } from '@tiergate/domain';
import { AuditWriter, StopChecksRepository, Transactor } from '@tiergate/persistence';
import type { RowError } from '../incidents/incident-file.parser';
import { parseStopCheckCsv } from './stop-check-log.parser';
import { placeStopChecks } from './stop-check-placement';

/**
 * Stop-and-check log imports (docs/methods.md, "Stop-and-check capture rate"): all-or-nothing like the incident
 * import. Every row is parsed and assigned first (its own jurisdiction code, else its point by placePoint, within
 * what the caller administers); any bad row fails the file with line-numbered errors and nothing is written.
 * Rows are placed by the tree the writing transaction sees (under the tree lock). Each import appends: a log
 * has no row ids, so importing the same file twice counts its rows twice.
 */
@Injectable()
export class StopChecksService {
  private readonly logger = new Logger('StopChecks');

  constructor(
    private readonly stopChecks: StopChecksRepository,
    private readonly transactor: Transactor,
    private readonly scopes: ScopeService,
    private readonly audit: AuditWriter,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  async import(principal: Principal, text: string, ip?: string): Promise<{ created: number; errors: RowError[] }> {
    const { rows, errors } = parseStopCheckCsv(text);
    const count = rows.length + new Set(errors.map((e) => e.line)).size;
    const limit = this.config.limits.importIncidentRows;
    if (count > limit) throw new TiergateError('PAYLOAD_TOO_LARGE', `the file has ${count} rows; one import takes at most ${limit} (limits.importIncidentRows): split the file`, { limit, rows: count });
    const administered = await this.scopes.administeredJurisdictionIds(principal);
    if (administered !== undefined && administered.size === 0) throw new TiergateError('FORBIDDEN', 'your account is bound to no jurisdiction, so it may import nothing');
    if (errors.length === 0 && rows.length === 0) throw new TiergateError('IMPORT_FAILED', 'the file has no stop-and-checks', { errors: [] });
    const created = await this.transactor.run(async (tx) => {
      const tree = await this.scopes.treeIn(tx);
      const placed = placeStopChecks(tree, rows, administered);
      const all = [...errors, ...placed.errors];
      if (all.length > 0) fail(all);
      await this.stopChecks.insertAll(placed.records, principal.userId, tx);
      const nodes = new Set(placed.records.map((r) => r.jurisdictionId)).size;
      await this.audit.append({ userId: principal.userId, username: principal.username }, { action: 'stopChecks.import', targetType: 'stopCheck', ip, details: { rows: placed.records.length, jurisdictions: nodes } }, tx);
      return placed.records.length;
    });
    await this.stopChecks.analyzeAfterImport(created);
    this.logger.log(`imported ${created} stop-and-check(s) by ${principal.username}`);
    return { created, errors: [] };
  }
}

function fail(errors: RowError[]): never {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  throw new TiergateError('IMPORT_FAILED', `${sorted.length} bad row(s); nothing was imported`, { errors: sorted.slice(0, 1000) });
}
