export { preferSmallMemory } from './runtime/memory.js';
export { createQuarry, createLogger, LOCAL_ADMIN, type Quarry } from './quarry.js';
export type { Caller } from './caller.js';
export {
  parseSettings,
  serverFilePath,
  settingsFromEnv,
  settingsSchema,
  SettingsError,
  type Settings,
  type SettingsInput,
} from './config/settings.js';
export { QuarryError, errorCatalogue, type ErrorCode } from './errors/catalogue.js';
export type {
  DocumentHit,
  SearchRequest,
  SearchRequestInput,
  SearchResponse,
} from './search/search.schemas.js';
export type { UploadResult, UploadedFile } from './ingest/ingest.service.js';
