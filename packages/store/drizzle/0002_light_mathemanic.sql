DROP INDEX "files_project_content_hash_unique";--> statement-breakpoint
-- Two projects can fit identical models, so a model id is unique per project only.
ALTER TABLE "embedding_models" DROP CONSTRAINT "embedding_models_pkey";--> statement-breakpoint
ALTER TABLE "embedding_models" ADD CONSTRAINT "embedding_models_project_id_id_pk" PRIMARY KEY("project_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "embedding_models_one_active" ON "embedding_models" USING btree ("project_id") WHERE "embedding_models"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "files_project_content_hash_unique" ON "files" USING btree ("project_id","content_hash") WHERE "files"."duplicate_of" IS NULL AND "files"."state" <> 'failed';