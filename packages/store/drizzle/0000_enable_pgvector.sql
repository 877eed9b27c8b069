-- The embeddings table stores pgvector values. PGlite loads the extension when Quarry opens it;
-- on a PostgreSQL server this needs pgvector installed (it is a no-op when already created).
CREATE EXTENSION IF NOT EXISTS vector;
