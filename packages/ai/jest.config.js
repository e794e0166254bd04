import base, { testDatabaseServer } from '../../jest.config.base.js';

export default {
  ...base,
  ...testDatabaseServer,
  testPathIgnorePatterns: ['/node_modules/', '/__fixtures__/'],
};
