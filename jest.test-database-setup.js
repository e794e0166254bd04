export { setup as default } from './jest.test-database.js';
