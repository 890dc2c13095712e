-- Nights: "Close the party" ends one and the next begins. A night is what happened between the
-- previous close (or the bar's beginning) and its own; the board shows the current night's
-- orders only, and the stats can look back at any closed night.

create table if not exists nights (
  id text primary key,
  started_at bigint not null,
  closed_at bigint not null
);

create index if not exists nights_closed_at on nights (closed_at);
