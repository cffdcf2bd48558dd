// Used only by the TypeORM CLI to generate migrations against a real server:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/tiergate_dev npm run migration:generate -- libs/persistence/src/migrations/Name
import { DataSource } from 'typeorm';
import { serverDataSourceOptions } from './data-source.factory';

export default new DataSource(serverDataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tiergate_dev'));
