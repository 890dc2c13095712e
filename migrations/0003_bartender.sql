-- The AI bartender: each guest's taste profile and chat, the host's wish list, photo prompts,
-- and the outbox of background jobs (written in the same transaction as the change that needs them).

create table if not exists guest_profiles (
  guest_id text primary key,
  likes text not null,
  dislikes text not null,
  allergies text not null,
  alcohol_free bigint not null default 0,
  strength text not null,
  learned text not null,
  updated_at bigint not null
);

create table if not exists chat_messages (
  id text primary key,
  guest_id text not null,
  role text not null,
  body text not null,
  cards text not null,
  note text,
  source text not null,
  created_at bigint not null
);

create index if not exists chat_messages_guest_created on chat_messages (guest_id, created_at);

-- One row per guest and wished-for drink (by its lower-case name).
create table if not exists wishes (
  id text primary key,
  guest_id text not null,
  guest_name text not null,
  drink text not null,
  drink_key text not null,
  created_at bigint not null
);

create unique index if not exists wishes_guest_drink_key on wishes (guest_id, drink_key);

create table if not exists drink_prompts (
  drink_id text primary key,
  prompt text not null,
  source text not null,
  created_at bigint not null
);

create table if not exists outbox (
  id text primary key,
  kind text not null,
  subject text not null,
  payload text not null,
  state text not null,
  attempts bigint not null default 0,
  run_at bigint not null,
  locked_until bigint not null default 0,
  last_error text,
  created_at bigint not null,
  updated_at bigint not null
);

create index if not exists outbox_state_run_at on outbox (state, run_at);

create index if not exists outbox_kind_subject on outbox (kind, subject);
