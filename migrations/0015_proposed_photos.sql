-- A photo the image model made for a drink from its photo prompt (Bedrock), waiting for the host:
-- approved, it becomes the drink's picture; discarded, its files go. One per drink at a time.

create table if not exists proposed_photos (
  drink_id text primary key,
  image text not null,
  prompt text not null,
  model text not null,
  created_at bigint not null
);
