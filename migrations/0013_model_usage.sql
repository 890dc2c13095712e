-- The tokens each model call used (Bedrock's Converse usage), one row per call: the host sees the
-- totals per model. Rows are only ever added, so answers at the same moment never contend.

create table if not exists model_usage (
  id text primary key,
  model text not null,
  input_tokens bigint not null,
  output_tokens bigint not null,
  created_at bigint not null
);
