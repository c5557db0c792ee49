// Moved to src/dev/slack-payloads.ts so `npm run demo` sends the same payloads as the tests.
// Add new payload factories there.
export * from '../../src/dev/slack-payloads.js';
