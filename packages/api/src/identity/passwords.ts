import argon2 from 'argon2';

const options = { type: argon2.argon2id } as const;

/** argon2id with the library's defaults (64 MiB, 3 passes): slow on purpose. */
export const hashPassword = (password: string) => argon2.hash(password, options);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * The hash of a password nobody knows (32 random bytes, thrown away), made with the same settings
 * as {@link hashPassword}: checking a password against it costs what checking a real one costs.
 */
export const unknownAccountHash =
  '$argon2id$v=19$m=65536,p=4,t=3$jBl3x7/XWk9hiYw9c0yvPQ$cohpjq/j1KTvNF4fN7jPF9psgwrYJqZQBueJUgtdm2A';

/** Whether {@link unknownAccountHash} still costs what a new hash costs (false once the settings change). */
export const unknownAccountHashIsCurrent = () => !argon2.needsRehash(unknownAccountHash);

/**
 * The work of checking a password for an email no account has: the answer is always no, and it
 * takes as long as a real check, so timing does not tell which emails exist.
 */
export async function verifyNoAccount(password: string): Promise<false> {
  await verifyPassword(unknownAccountHash, password);
  return false;
}
