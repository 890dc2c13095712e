-- Picking drinks up: the bar's settings a host changes while it runs (one row per name; the pickup
-- place is the first), and read-only links to the pickup screen for a TV (only a hash of each
-- link's key is kept, with a short prefix to tell links apart).

create table if not exists bar_settings (
  name text primary key,
  value text not null,
  updated_at bigint not null
);

create table if not exists screen_links (
  id text primary key,
  prefix text not null,
  key_hash text not null,
  created_at bigint not null,
  revoked_at bigint
);

create unique index if not exists screen_links_key_hash on screen_links (key_hash);
