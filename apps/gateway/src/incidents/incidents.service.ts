import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@tiergate/access';
import { ScopeService } from '@tiergate/access';
import { TiergateError } from '@tiergate/domain';
import { AnalysisScopeResolver } from './analysis-scope.resolver';
import { IncidentImportEvents } from './incident-import.events';
import { IncidentFileFormat, parseIncidentFile, RowError } from './incident-file.parser';
import { IncidentRecord, IncidentRepository } from './incident.repository';
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
 */
@Injectable()
export class IncidentsService {
  private readonly logger = new Logger('IncidentsService');

  constructor(
    private readonly incidents: IncidentRepository,
    private readonly scopes: ScopeService,
    private readonly analysisScopes: AnalysisScopeResolver,
    private readonly events: IncidentImportEvents,
  ) {}

  async import(principal: Principal, content: unknown, format: IncidentFileFormat): Promise<ImportResult> {
    const started = Date.now();
    const { rows, errors } = parseIncidentFile(content, format);
    const parsedAt = Date.now();
    const tree = await this.scopes.tree();
    const administered = await this.scopes.administeredJurisdictionIds(principal);
    if (administered !== undefined && administered.size === 0) throw new TiergateError('FORBIDDEN', 'your account is bound to no jurisdiction, so it may import nothing');
    const home = principal.jurisdictionId ?? undefined;

    const records: IncidentRecord[] = [];
    for (const row of rows) {
      const node = tree.locate(row.lon, row.lat, home);
      if (!node) {
        const anywhere = home === undefined ? undefined : tree.locate(row.lon, row.lat);
        errors.push({
          line: row.line,
          message: anywhere ? `the point (${row.lat}, ${row.lon}) is outside your jurisdiction` : `the point (${row.lat}, ${row.lon}) is outside every jurisdiction`,
        });
        continue;
      }
      records.push({ id: row.id, type: row.type, occurredAt: row.occurredAt, lat: row.lat, lon: row.lon, jurisdictionId: node.id });
    }

    const locatedAt = Date.now();
    const previousOwners = await this.incidents.ownersOf(records.map((r) => r.id));
    const checkedAt = Date.now();
    if (administered !== undefined) {
      const lineOf = new Map(rows.map((r) => [r.id, r.line]));
      for (const r of records) {
        const owner = previousOwners.get(r.id);
        if (previousOwners.has(r.id) && (owner === null || owner === undefined || !administered.has(owner))) {
          errors.push({ line: lineOf.get(r.id)!, message: `id "${r.id}" already belongs to an incident outside your jurisdiction` });
        }
      }
    }

    if (errors.length > 0) {
      errors.sort((a, b) => a.line - b.line);
      throw new TiergateError('IMPORT_FAILED', `${errors.length} bad row(s); nothing was imported`, { errors: errors.slice(0, MAX_REPORTED_ERRORS) });
    }
    if (records.length === 0) throw new TiergateError('IMPORT_FAILED', 'the file has no incidents', { errors: [] });

    const { created, updated } = await this.incidents.upsertAll(records, new Set(previousOwners.keys()));
    const touched = new Set<string>(records.map((r) => r.jurisdictionId));
    for (const owner of previousOwners.values()) if (owner) touched.add(owner);
    const phases = `parse ${parsedAt - started} ms, locate ${locatedAt - parsedAt} ms, owners ${checkedAt - locatedAt} ms, write ${Date.now() - checkedAt} ms`;
    this.logger.log(`imported ${records.length} incident(s) (${created} new, ${updated} updated) by ${principal.username} (${phases})`);
    this.events.emit({ jurisdictionIds: touched, count: records.length });
    return { created, updated, errors: [] };
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
