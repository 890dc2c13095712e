-- Drink options: the choices a host offers with a drink ("Ice: normal, none, extra"), kept with the
-- drink as JSON text, and what the guest chose, kept with the order (NULL: none offered).

alter table drinks add column options text;

alter table orders add column options text;
