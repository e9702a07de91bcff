import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A personal field as stored: AES-256-GCM under its subject's data key, a fresh IV each time, the
 * subject bound in as associated data (a sealed value moved to another person does not open).
 */
export interface SealedValue {
  $sealed: 1;
  subject: string;
  iv: string;
  data: string;
}

export function isSealed(value: unknown): value is SealedValue {
  return typeof value === 'object' && value !== null && (value as { $sealed?: unknown }).$sealed === 1;
}

/** Seals any JSON value (its JSON text) for `subject`. */
export function sealValue(dataKey: Buffer, subject: string, value: unknown): SealedValue {
  const iv = randomBytes(12);
  const { ciphertext, tag } = encrypt(dataKey, iv, Buffer.from(JSON.stringify(value)), Buffer.from(subject));
  return { $sealed: 1, subject, iv: iv.toString('base64'), data: Buffer.concat([ciphertext, tag]).toString('base64') };
}

export function openValue(dataKey: Buffer, sealed: SealedValue): unknown {
  const bytes = Buffer.from(sealed.data, 'base64');
  const plain = decrypt(dataKey, Buffer.from(sealed.iv, 'base64'), bytes, Buffer.from(sealed.subject));
  return JSON.parse(plain.toString());
}

/** A fresh data key wrapped by the master key: `iv.ciphertext+tag`, base64. */
export function wrapKey(masterKey: Buffer, dataKey: Buffer, subject: string): string {
  const iv = randomBytes(12);
  const { ciphertext, tag } = encrypt(masterKey, iv, dataKey, Buffer.from(`data key of ${subject}`));
  return `${iv.toString('base64')}.${Buffer.concat([ciphertext, tag]).toString('base64')}`;
}

export function unwrapKey(masterKey: Buffer, wrapped: string, subject: string): Buffer {
  const [iv, data] = wrapped.split('.');
  if (!iv || !data) throw new Error(`the data key of ${subject} is malformed`);
  return decrypt(
    masterKey,
    Buffer.from(iv, 'base64'),
    Buffer.from(data, 'base64'),
    Buffer.from(`data key of ${subject}`),
  );
}

/** A key for one purpose derived from the master key, so one secret is all there is to back up. */
export function derivedKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `strata ${purpose}`, 32));
}

/** What a database remembers of its master key: enough to tell a wrong one, nothing to recover it. */
export function masterKeyCheck(masterKey: Buffer): string {
  return createHmac('sha256', derivedKey(masterKey, 'master key check')).update('strata').digest('hex');
}

function encrypt(key: Buffer, iv: Buffer, plain: Buffer, aad: Buffer) {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

function decrypt(key: Buffer, iv: Buffer, bytes: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]);
}
