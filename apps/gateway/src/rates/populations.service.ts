import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@tiergate/access';
import { ScopeService } from '@tiergate/access';
import { JurisdictionTree, TiergateError } from '@tiergate/domain';
import { AuditWriter, PopulationRecord, PopulationsRepository, Transactor } from '@tiergate/persistence';
import type { RowError } from '../incidents/incident-file.parser';
import { ParsedPopulation, parsePopulationCsv, populationsOfGeoJson } from './population-file.parser';

/**
 * Each node's own resident population (docs/methods.md, "Preventable-case rate"): from a CSV `code,population`
 * (all-or-nothing; only nodes the caller administers) or from the `population` property of the jurisdiction
 * GeoJSON import. A node's figure is replaced by the next one given for it, from either source.
 */
@Injectable()
export class PopulationsService {
  private readonly logger = new Logger('Populations');

  constructor(
    private readonly populations: PopulationsRepository,
    private readonly transactor: Transactor,
    private readonly scopes: ScopeService,
    private readonly audit: AuditWriter,
  ) {}

  async importCsv(principal: Principal, text: string, ip?: string): Promise<{ updated: number }> {
    const { rows, errors } = parsePopulationCsv(text);
    if (errors.length === 0 && rows.length === 0) throw new TiergateError('IMPORT_FAILED', 'the file has no populations', { errors: [] });
    const administered = await this.scopes.administeredJurisdictionIds(principal);
    const count = await this.transactor.run(async (tx) => {
      const tree = await this.scopes.treeIn(tx);
      const placed = recordsOf(tree, rows, administered, 'csv');
      const all = [...errors, ...placed.errors];
      if (all.length > 0) fail(all);
      await this.populations.upsertAll(placed.records, tx);
      await this.audit.append(
        { userId: principal.userId, username: principal.username },
        { action: 'jurisdictions.population.import', targetType: 'jurisdiction', ip, details: { nodes: placed.records.length, codes: rows.slice(0, 50).map((r) => r.code) } },
        tx,
      );
      return placed.records.length;
    });
    this.logger.log(`population of ${count} node(s) set by ${principal.username}`);
    return { updated: count };
  }

  /** Checks the `population` properties of a jurisdiction import before it runs: VALIDATION_FAILED naming the features. */
  checkGeoJson(featureCollection: unknown): ParsedPopulation[] {
    const { rows, errors } = populationsOfGeoJson(featureCollection);
    if (errors.length > 0) throw new TiergateError('VALIDATION_FAILED', errors.map((e) => e.message).join('; '), { field: 'properties.population', errors });
    return rows;
  }

  /** After a jurisdiction import committed: stores the figures its features carried (codes are the import's own nodes). */
  async storeFromGeoJson(principal: Principal, rows: readonly ParsedPopulation[]): Promise<void> {
    if (rows.length === 0) return;
    await this.transactor.run(async (tx) => {
      const tree = await this.scopes.treeIn(tx);
      const placed = recordsOf(tree, rows, undefined, 'geojson');
      await this.populations.upsertAll(placed.records, tx);
      await this.audit.append({ userId: principal.userId, username: principal.username }, { action: 'jurisdictions.population.import', targetType: 'jurisdiction', details: { nodes: placed.records.length, source: 'geojson' } }, tx);
    });
  }
}

function recordsOf(tree: JurisdictionTree, rows: readonly ParsedPopulation[], administered: ReadonlySet<string> | undefined, source: PopulationRecord['source']): { records: PopulationRecord[]; errors: RowError[] } {
  const records: PopulationRecord[] = [];
  const errors: RowError[] = [];
  for (const row of rows) {
    const node = tree.byCode(row.code);
    if (!node || (administered !== undefined && !administered.has(node.id))) errors.push({ line: row.line, message: `code "${row.code}" is not a jurisdiction of yours` });
    else records.push({ jurisdictionId: node.id, population: row.population, source });
  }
  return { records, errors };
}

function fail(errors: RowError[]): never {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  throw new TiergateError('IMPORT_FAILED', `${sorted.length} bad row(s); nothing was imported`, { errors: sorted.slice(0, 1000) });
}
