import pino from 'pino';

/** Structured logs. Redaction is a second line of defence: no code path should log these. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info') {
  return pino({
    level,
    redact: {
      paths: [
        '*.password',
        '*.passwordHash',
        '*.oneTimePassword',
        '*.token',
        'req.headers.authorization',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
  });
}
export type Logger = ReturnType<typeof createLogger>;
