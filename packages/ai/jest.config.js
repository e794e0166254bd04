import base from '../../jest.config.base.js';

export default { ...base, testPathIgnorePatterns: ['/node_modules/', '/__fixtures__/'] };
