export * from './json-problem';
export * from './control-chars';
export * from './csv-writer';
export * from './page-window';
export * from './csv-table';
