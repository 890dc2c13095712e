-- API keys for the integrations API (/api/v1): only a SHA-256 hash of each key is kept, with a
-- short prefix to tell keys apart, and each key's calls are counted per UTC day for its quota.

create table if not exists api_keys (
  id text primary key,
  name text not null,
  prefix text not null,
  key_hash text not null,
  daily_quota bigint not null,
  created_at bigint not null,
  revoked_at bigint
);

create unique index if not exists api_keys_key_hash on api_keys (key_hash);

-- `day` counts days since 1970-01-01 (UTC).
create table if not exists api_key_usage (
  key_id text not null,
  day bigint not null,
  calls bigint not null,
  primary key (key_id, day)
);
