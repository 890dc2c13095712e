-- The bartender's hourly budget, kept apart from the conversation: one row per message a guest
-- sends. "Forget me" deletes the words, not this; the daily purge drops rows older than a day.

create table if not exists bartender_spend (
  id text primary key,
  guest_id text not null,
  spent_at bigint not null
);

create index if not exists bartender_spend_guest on bartender_spend (guest_id, spent_at);
