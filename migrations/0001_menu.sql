-- The menu: sections, drinks, ingredients and the recipe lines that join them.
-- Portable subset (SQLite, PostgreSQL, Aurora DSQL): text ids (UUID v7), bigint unix-millisecond times,
-- bigint 0/1 flags, JSON arrays in text columns, no foreign keys, one statement per DDL.

create table if not exists sections (
  id text primary key,
  name text not null,
  position bigint not null,
  active bigint not null default 1,
  created_at bigint not null,
  updated_at bigint not null
);

create table if not exists ingredients (
  id text primary key,
  name text not null,
  in_stock bigint not null default 1,
  created_at bigint not null,
  updated_at bigint not null
);

create unique index if not exists ingredients_name_key on ingredients (name);

create table if not exists drinks (
  id text primary key,
  section_id text not null,
  name text not null,
  description text not null,
  abv double precision not null,
  glass text not null,
  color text not null,
  image text not null,
  tags text not null,
  steps text not null,
  position bigint not null,
  active bigint not null default 1,
  deleted_at bigint,
  created_at bigint not null,
  updated_at bigint not null
);

create index if not exists drinks_section_position on drinks (section_id, position);

create table if not exists drink_ingredients (
  drink_id text not null,
  ingredient_id text not null,
  position bigint not null,
  amount double precision not null,
  unit text not null,
  optional bigint not null default 0,
  primary key (drink_id, ingredient_id)
);

create index if not exists drink_ingredients_ingredient on drink_ingredients (ingredient_id);
