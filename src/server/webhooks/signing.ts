// Standard Webhooks (https://www.standardwebhooks.com): `whsec_` secrets, and the webhook-id,
// webhook-timestamp and webhook-signature headers a receiver using the `standardwebhooks` library
// verifies unchanged. The server must sign, so it keeps the secret — sealed under a key derived from
// the pepper (README "Webhooks"), never in clear.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Peppers } from '../pepper.js';

const SECRET_PREFIX = 'whsec_';
const SEAL_INFO = 'tokens webhook signing secret v1';

export function newSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

export function sealSigningSecret(secret: string, peppers: Peppers): { sealed: Buffer; pepperVersion: number } {
  const version = peppers.current.version;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', peppers.derivedKey(SEAL_INFO, version), iv);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return { sealed: Buffer.concat([iv, cipher.getAuthTag(), body]), pepperVersion: version };
}

export function openSigningSecret(sealed: Buffer, pepperVersion: number, peppers: Peppers): string {
  const decipher = createDecipheriv('aes-256-gcm', peppers.derivedKey(SEAL_INFO, pepperVersion), sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
}

/** The three headers of one delivery attempt; `timestamp` in seconds since the epoch. */
export function signatureHeaders(secret: string, messageId: string, timestamp: number, body: string): Record<string, string> {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  const signature = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': messageId, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
}
