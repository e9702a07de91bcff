CREATE TABLE "personal_data_keys" (
	"subject" text PRIMARY KEY NOT NULL,
	"wrapped_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "strata_settings" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
