import { z } from 'zod';

export const searchModeSchema = z.enum(['hybrid', 'keyword', 'semantic']);

/** A point in time: an ISO 8601 date or date-time (or milliseconds since 1970). */
const instant = z.coerce.date({
  error: 'expected a date such as 2026-12-04 or 2026-12-04T10:00:00Z',
});

export const searchRequestSchema = z
  .object({
    query: z.string().max(2_000).describe('Any text; quotes and operators are treated as words'),
    mode: searchModeSchema.default('hybrid'),
    limit: z.number().int().min(1).max(1_000).default(10).describe('Documents per page'),
    offset: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(0)
      .describe('Documents to skip; pages past `total` are empty'),
    passages: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(3)
      .describe('Best passages per document; 0 for document ids and scores only'),
    kinds: z
      .array(z.enum(['text', 'markdown', 'html', 'pdf', 'docx', 'csv', 'json', 'jsonl']))
      .optional()
      .describe('Only documents of these types'),
    from: instant.optional().describe('Only documents added at or after this time'),
    to: instant.optional().describe('Only documents added before this time'),
    feedback: z
      .boolean()
      .optional()
      .describe('RM3 pseudo-relevance feedback on the keyword side; off if absent'),
  })
  .refine((request) => !request.from || !request.to || request.from < request.to, {
    path: ['to'],
    message: 'must be later than "from": the range is empty',
  });

export type SearchRequest = z.infer<typeof searchRequestSchema>;
export type SearchRequestInput = z.input<typeof searchRequestSchema>;

export const passageSchema = z.object({
  chunkId: z.number().int(),
  page: z.number().int().nullable(),
  start: z.number().int().describe('Offset of the passage in the document text'),
  end: z.number().int(),
  score: z.number(),
  snippet: z.string().describe('HTML: matches in <mark>, everything else escaped'),
  text: z.string().describe('The snippet as plain text'),
});

export const documentHitSchema = z.object({
  documentId: z.string(),
  fileId: z.string(),
  externalId: z.string().nullable(),
  title: z.string(),
  fileName: z.string(),
  kind: z.string().nullable(),
  score: z.number(),
  passages: z.array(passageSchema),
});

export const searchResponseSchema = z.object({
  query: z.string(),
  mode: searchModeSchema,
  total: z
    .number()
    .int()
    .describe(
      'Documents in the ranking window, the same on every page of a given page size; ' +
        'a larger limit ranks deeper',
    ),
  offset: z.number().int(),
  limit: z.number().int(),
  hits: z.array(documentHitSchema),
  tookMs: z.number(),
});

export type DocumentHit = z.infer<typeof documentHitSchema>;
export type SearchResponse = z.infer<typeof searchResponseSchema>;
