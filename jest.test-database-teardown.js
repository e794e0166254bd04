export { teardown as default } from './jest.test-database.js';
