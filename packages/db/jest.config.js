import base, { testDatabaseServer } from '../../jest.config.base.js';

export default { ...base, ...testDatabaseServer };
