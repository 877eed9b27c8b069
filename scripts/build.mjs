// `npm run build`: what `npm start` and `npm test` build first (see ensure-built.mjs).
import { ensureBuilt } from './ensure-built.mjs';

ensureBuilt();
