export {
  createTestDatabase,
  setDatabaseReachable,
  type TestDatabase,
  testServerUrl,
} from './test-database.js';
