-- The language a browser's notifications are written in: the guest's language when they turned
-- notifications on (NULL, for older rows: English).

alter table push_subscriptions add column lang text;
