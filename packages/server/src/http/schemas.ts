import { z } from 'zod';

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    details: z.unknown().optional(),
  }),
});

/**
 * A name as a person types it: no control characters (a NUL cannot even be stored), so a
 * pasted or crafted one is refused with a reason instead of failing in the database.
 */
export function nameText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => !/\p{Cc}/u.test(text), 'must not contain control characters');
}

export const projectParams = z.object({
  project: nameText(200).describe('Project id or short name'),
});

export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** Standard error responses every route may produce. */
export const errorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  423: errorBodySchema,
  429: errorBodySchema,
  500: errorBodySchema,
} as const;
