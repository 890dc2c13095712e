-- The change feed: what each server process changed, so the others sharing the database can tell
-- their own live pages (written after commit by the process that made the change; kept an hour).

create table if not exists changes (
  id text primary key,
  node text not null,
  kind text not null,
  subject text not null,
  at bigint not null
);

create index if not exists changes_at on changes (at);
