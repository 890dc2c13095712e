-- Web Push: each browser a guest allowed to notify them (its push service's endpoint and the keys
-- its payloads are encrypted for). Deleted when the push service says it is gone (404/410), on
-- "Forget me" and when the guest is removed.

create table if not exists push_subscriptions (
  id text primary key,
  guest_id text not null,
  endpoint text not null,
  p256dh text not null,
  auth text not null,
  created_at bigint not null
);

create unique index if not exists push_subscriptions_endpoint on push_subscriptions (endpoint);

create index if not exists push_subscriptions_guest on push_subscriptions (guest_id);
