import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';

describe('logger', () => {
  it('redacts personal data and secrets wherever a call puts them', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info(
      {
        email: 'zelda@example.com',
        user: { email: 'zelda@example.com', name: 'Zelda Quux', passwordHash: '$argon2id$x' },
        call: { input: { email: 'zelda@example.com' } },
        procedure: 'users.create',
      },
      'call',
    );
    const line = lines.join('');
    expect(line).toContain('users.create');
    expect(line.toLowerCase()).not.toContain('zelda');
    expect(line).not.toContain('argon2');
  });
});
