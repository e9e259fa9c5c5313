// Preloaded with `node --require`: makes the packages named in DENY_MODULES (comma-separated) behave as
// not installed, so a test can run the compiled exporter as it runs after `npm ci --omit=dev`.
const Module = require('node:module');
const denied = new Set((process.env.DENY_MODULES ?? '').split(',').filter(Boolean));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const name = request.startsWith('@') ? request.split('/').slice(0, 2).join('/') : request.split('/')[0];
  if (denied.has(name)) {
    const err = new Error(`Cannot find module '${request}' (denied by the test)`);
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  return resolve.call(this, request, ...rest);
};
