import base from '../../jest.config.base.js';

// Unit tests of the page's pure logic (formatting, ranges); the page itself is tested in a
// real browser by apps/api/test/dashboard.e2e.test.ts.
export default { ...base, testMatch: ['<rootDir>/src/**/*.test.ts'] };
