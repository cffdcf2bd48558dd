export * from './json-problem';
export * from './control-chars';
export * from './csv-writer';
