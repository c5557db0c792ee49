// Moved to src/dev/ so `npm run demo` signs requests exactly as the tests do.
export * from '../../src/dev/signed-requests.js';
