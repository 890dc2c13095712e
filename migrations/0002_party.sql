-- The party: admins and their sessions, invite codes, guests, orders and their status history.
-- Secrets (passwords, session tokens) are stored only as hashes.

create table if not exists admins (
  id text primary key,
  username text not null,
  password_hash text not null,
  created_at bigint not null
);

create unique index if not exists admins_username_key on admins (username);

create table if not exists admin_sessions (
  token_hash text primary key,
  admin_id text not null,
  created_at bigint not null,
  expires_at bigint not null
);

create table if not exists invite_codes (
  id text primary key,
  code text not null,
  note text not null,
  max_uses bigint not null,
  uses bigint not null,
  expires_at bigint not null,
  revoked_at bigint,
  created_at bigint not null
);

create unique index if not exists invite_codes_code_key on invite_codes (code);

create table if not exists guests (
  id text primary key,
  name text not null,
  invite_id text not null,
  token_hash text not null,
  created_at bigint not null,
  expires_at bigint not null,
  removed_at bigint,
  updated_at bigint not null
);

create unique index if not exists guests_token_hash_key on guests (token_hash);

-- One row per active guest name (lower-case): a portable unique constraint that frees the name again
-- when the guest is removed.
create table if not exists guest_names (
  name_key text primary key,
  guest_id text not null
);

create table if not exists orders (
  id text primary key,
  guest_id text not null,
  drink_id text not null,
  drink_name text not null,
  quantity bigint not null,
  note text not null,
  status text not null,
  idempotency_key text not null,
  created_at bigint not null,
  updated_at bigint not null
);

create unique index if not exists orders_guest_idempotency_key on orders (guest_id, idempotency_key);

create index if not exists orders_status_created on orders (status, created_at);

create table if not exists order_events (
  id text primary key,
  order_id text not null,
  status text not null,
  actor text not null,
  at bigint not null
);

create index if not exists order_events_order on order_events (order_id, at);
