import { hasNul, readCsvTable } from '@tiergate/domain';
import type { RowError } from '../incidents/incident-file.parser';

/** One figure of a population file: the node's code and its own resident population. */
export interface ParsedPopulation {
  /** CSV: the physical line; GeoJSON: the feature number (1-based). */
  line: number;
  code: string;
  population: number;
}

/** Largest population accepted for one node. */
export const MAX_POPULATION = 2_000_000_000;

/** CSV `code,population` (columns in any order, extra ignored); a repeated code is a bad row. Pure. */
export function parsePopulationCsv(text: string): { rows: ParsedPopulation[]; errors: RowError[] } {
  const { header, rows: records } = readCsvTable(text);
  if (!header) return { rows: [], errors: [{ line: 1, message: 'the file is empty: expected the header code,population' }] };
  const codeAt = header.names.indexOf('code');
  const popAt = header.names.indexOf('population');
  if (codeAt < 0 || popAt < 0) return { rows: [], errors: [{ line: header.line, message: 'the header lacks code or population (expected code,population)' }] };
  const rows: ParsedPopulation[] = [];
  const errors: RowError[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, fields } of records) {
    if (fields.length < header.names.length) {
      errors.push({ line, message: `expected ${header.names.length} fields, found ${fields.length}` });
      continue;
    }
    if (fields.some(hasNul)) {
      errors.push({ line, message: 'a field contains a NUL character' });
      continue;
    }
    const code = fields[codeAt].trim();
    const population = populationOf(fields[popAt].trim());
    const problems: string[] = [];
    if (code === '') problems.push('code is missing');
    if (typeof population === 'string') problems.push(population);
    if (code !== '' && firstLine.has(code)) problems.push(`code "${code}" is repeated (first on line ${firstLine.get(code)})`);
    if (problems.length > 0) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    firstLine.set(code, line);
    rows.push({ line, code, population: population as number });
  }
  return { rows, errors };
}

/**
 * The `population` property of every feature of a jurisdiction FeatureCollection that has one (features
 * without it are skipped); a value that is not a whole number 0…MAX_POPULATION is an error naming the feature.
 */
export function populationsOfGeoJson(doc: unknown): { rows: ParsedPopulation[]; errors: RowError[] } {
  const features = (doc as { features?: unknown } | null)?.features;
  if (!Array.isArray(features)) return { rows: [], errors: [] };
  const rows: ParsedPopulation[] = [];
  const errors: RowError[] = [];
  features.forEach((f: unknown, index) => {
    const props = (f as { properties?: Record<string, unknown> | null } | null)?.properties;
    if (!props || props.population === undefined || props.population === null || props.population === '') return;
    const code = typeof props.code === 'string' ? props.code.trim() : '';
    const population = populationOf(typeof props.population === 'number' ? String(props.population) : typeof props.population === 'string' ? props.population.trim() : '?');
    if (typeof population === 'string') errors.push({ line: index + 1, message: `feature ${index + 1}: properties.${population}` });
    else if (code !== '') rows.push({ line: index + 1, code, population });
  });
  return { rows, errors };
}

function populationOf(text: string): number | string {
  if (!/^\d+$/.test(text)) return `population "${text.length > 40 ? `${text.slice(0, 40)}…` : text}" is not a whole number`;
  const n = Number(text);
  return n > MAX_POPULATION ? `population ${n} is more than ${MAX_POPULATION}` : n;
}
