// Moved to dev/slack-payloads.ts so `npm run demo` sends the same payloads as the tests.
// Add new payload factories there.
export * from '../../dev/slack-payloads.js';
