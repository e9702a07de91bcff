import pino from 'pino';

/**
 * Structured logs. Redaction is a second line of defence: no code path should log these. Personal
 * data (emails, names; see the catalog's personalFields) is redacted too: a log line outlives a
 * forgotten person, and logs are not where their data can be erased.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream) {
  return pino(
    {
      level,
      redact: {
        paths: [
          '*.password',
          '*.passwordHash',
          '*.oneTimePassword',
          '*.token',
          'email',
          '*.email',
          '*.*.email',
          '*.name',
          '*.*.name',
          'input',
          '*.input',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
export type Logger = ReturnType<typeof createLogger>;
