// Moved to dev/ so `npm run demo` signs requests exactly as the tests do.
export * from '../../dev/signed-requests.js';
