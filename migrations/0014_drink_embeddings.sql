-- Retrieval with embeddings (Bedrock): each drink's vector from the embedding model, as a JSON list
-- of numbers, with the fingerprint of the text it was made from (an unchanged drink is not
-- embedded again). Rewritten by the outbox's `embed` job whenever the drink changes.

create table if not exists drink_embeddings (
  drink_id text not null,
  model text not null,
  text_hash text not null,
  vector text not null,
  updated_at bigint not null,
  primary key (drink_id, model)
);
