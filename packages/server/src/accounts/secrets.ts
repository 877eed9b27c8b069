import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/**
 * A new random secret (session token, API key, reset or invitation token) and the hash that
 * is stored in its place. Secrets carry 256 random bits, so a fast hash is enough; only
 * passwords need a slow one.
 */
export function newSecret(prefix: string): { secret: string; hash: string } {
  const secret = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** argon2id with the library's defaults (64 MiB, 3 passes). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  // Unknown accounts are checked against a throwaway hash so that a wrong e-mail address
  // takes as long as a wrong password.
  const target = hash ?? (await throwawayHash);
  try {
    return (await argon2.verify(target, password)) && hash !== null;
  } catch {
    return false;
  }
}

const throwawayHash = hashPassword(randomBytes(16).toString('hex'));
