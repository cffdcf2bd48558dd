import { Inject, Injectable, Logger } from '@nestjs/common';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import type { Principal } from '@tiergate/access';
import { administeredIn, ScopeService } from '@tiergate/access';
import { JurisdictionTree, TiergateError } from '@tiergate/domain';
import { IncidentRepository, Transactor } from '@tiergate/persistence';
import { AnalysisScopeResolver } from './analysis-scope.resolver';
import { IncidentImportEvents } from './incident-import.events';
import { IncidentFileFormat, ParsedIncident, parseIncidentFile, RowError } from './incident-file.parser';
import { ownershipErrors, PlacedIncidents, placeIncidents } from './incident-placement';
import { IncidentView, toIncidentView } from './incident.view';

export interface ImportResult {
  created: number;
  updated: number;
  errors: RowError[];
}

export interface IncidentQuery {
  type?: string;
  from?: Date;
  to?: Date;
  jurisdictionId?: string;
  limit?: number;
  offset?: number;
}

/** At most this many row errors are returned (the message still tells the total). */
export const MAX_REPORTED_ERRORS = 1000;
export const DEFAULT_LIST_LIMIT = 1000;

/**
 * Incident imports and queries. An import is all-or-nothing: every row is parsed, validated and located
 * first; any bad row fails the whole file with the list of bad rows and nothing is written.
 *
 * Scope of an import: a caller with a home node (an analyst, or an admin bound to a node) may only
 * import points inside that node's boundary; such points are assigned to the deepest node of the
 * caller's subtree containing them (as for cameras). A point outside it is a bad row, and so is an id
 * that already belongs to an incident outside the caller's subtree (it may not be moved or overwritten).
 * The built-in admin imports anywhere; a point outside every jurisdiction is a bad row for everybody.
 * Rows are placed by the tree the writing transaction sees, under the tree lock (as camera imports).
 */
@Injectable()
export class IncidentsService {
  private readonly logger = new Logger('IncidentsService');

  constructor(
    private readonly incidents: IncidentRepository,
    private readonly transactor: Transactor,
    private readonly scopes: ScopeService,
    private readonly analysisScopes: AnalysisScopeResolver,
    private readonly events: IncidentImportEvents,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  async import(principal: Principal, content: unknown, format: IncidentFileFormat): Promise<ImportResult> {
    const started = Date.now();
    const { rows, errors } = parseIncidentFile(content, format);
    const count = rows.length + new Set(errors.map((e) => e.line)).size;
    if (count > this.config.limits.importIncidentRows) {
      throw new TiergateError('PAYLOAD_TOO_LARGE', `the file has ${count} incidents; one import takes at most ${this.config.limits.importIncidentRows} (limits.importIncidentRows): split the file`, {
        limit: this.config.limits.importIncidentRows,
        rows: count,
      });
    }
    const parsedAt = Date.now();
    const tree = await this.scopes.tree();
    const administered = await this.scopes.administeredJurisdictionIds(principal);
    if (administered !== undefined && administered.size === 0) throw new TiergateError('FORBIDDEN', 'your account is bound to no jurisdiction, so it may import nothing');
    const early = await this.check(principal, tree, rows, (ids) => this.incidents.ownersOf(ids));
    errors.push(...early.errors);
    if (errors.length > 0) fail(errors);
    if (early.records.length === 0) throw new TiergateError('IMPORT_FAILED', 'the file has no incidents', { errors: [] });
    const checkedAt = Date.now();

    // Placed again under the tree lock with the tree this transaction sees (the same placements when the
    // tree has not changed): a tree import meanwhile either committed first or waits for this one.
    const stored = await this.transactor.run(async (tx) => {
      const current = await this.scopes.treeIn(tx);
      const checked = current === tree ? early : await this.check(principal, current, rows, (ids) => this.incidents.ownersOf(ids, tx));
      if (checked.errors.length > 0) fail(checked.errors);
      await this.incidents.upsertAll(checked.records, tx);
      return checked;
    });
    await this.incidents.analyzeAfterImport(stored.records.length);
    const updated = stored.records.filter((r) => stored.owners.has(r.id)).length;
    const created = stored.records.length - updated;
    const touched = new Set<string>(stored.records.map((r) => r.jurisdictionId));
    for (const owner of stored.owners.values()) if (owner) touched.add(owner);
    const phases = `parse ${parsedAt - started} ms, locate and check ${checkedAt - parsedAt} ms, write ${Date.now() - checkedAt} ms`;
    this.logger.log(`imported ${stored.records.length} incident(s) (${created} new, ${updated} updated) by ${principal.username} (${phases})`);
    this.events.emit({ jurisdictionIds: touched, count: stored.records.length });
    return { created, updated, errors: [] };
  }

  /** Every row placed by `tree` and checked against the ids it would overwrite; the rows and owners, or the bad rows. */
  private async check(
    principal: Principal,
    tree: JurisdictionTree,
    rows: readonly ParsedIncident[],
    ownersOf: (ids: string[]) => Promise<Map<string, string | null>>,
  ): Promise<PlacedIncidents & { owners: Map<string, string | null> }> {
    const placed = placeIncidents(tree, rows, principal.jurisdictionId ?? undefined);
    const owners = await ownersOf(placed.records.map((r) => r.id));
    const lineOf = new Map(rows.map((r) => [r.id, r.line]));
    return { ...placed, errors: [...placed.errors, ...ownershipErrors(placed.records, owners, administeredIn(tree, principal), lineOf)], owners };
  }

  async list(principal: Principal, query: IncidentQuery): Promise<IncidentView[]> {
    const scope = await this.analysisScopes.resolve(principal, query.jurisdictionId);
    const rows = await this.incidents.list(
      { jurisdictionIds: scope.jurisdictionIds, type: query.type, from: query.from, to: query.to },
      { limit: query.limit ?? DEFAULT_LIST_LIMIT, offset: query.offset ?? 0 },
    );
    return rows.map(toIncidentView);
  }
}

function fail(errors: RowError[]): never {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  throw new TiergateError('IMPORT_FAILED', `${sorted.length} bad row(s); nothing was imported`, { errors: sorted.slice(0, MAX_REPORTED_ERRORS) });
}
