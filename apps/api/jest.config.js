import base, { testDatabaseServer } from '../../jest.config.base.js';

// @fastify/static (CommonJS, loaded by the Swagger UI) requires `content-disposition`,
// which is ESM-only. Node 20.19 can require ESM, Jest's module loader cannot before
// Node 24.9, so that one package is compiled to CommonJS for the tests.
const ESM_ONLY = ['content-disposition'];

export default {
  ...base,
  ...testDatabaseServer,
  // Most of these files wait on sockets, timers and PostgreSQL rather than the CPU: two
  // workers (Jest's default here is one per core but one) halve the suite's time.
  maxWorkers: 2,
  transform: {
    ...base.transform,
    [`/node_modules/.+/(${ESM_ONLY.join('|')})/.+\\.js$`]: ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/(${ESM_ONLY.join('|')})@|(${ESM_ONLY.join('|')})/))`],
};
