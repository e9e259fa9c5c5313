import pino from 'pino';

/** One structured logger for the process; LOG_LEVEL is validated with the other settings. */
export const logger = pino({
  level: process.env.LOG_LEVEL || 'info',
  base: { service: 'aperio-exporter' },
});
