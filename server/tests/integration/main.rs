//! Integration tests: the real router on 127.0.0.1:0 against a fresh database per test.
//! Every test written with `db_test!` runs twice, as `<name>::sqlite` and `<name>::postgres`.

mod common;

mod api;
mod api_keys;
mod bar;
mod bartender;
mod bedrock_stub;
mod cli;
mod cognito;
mod connections;
mod controls;
mod dsql;
mod failure;
mod language;
mod menu_admin;
mod metrics;
mod nights;
mod nodes;
mod options;
mod orders;
mod outbox;
mod pages;
mod party;
mod photos;
mod photos_s3;
mod pickup;
mod push;
mod roles;
mod security;
mod shutdown;
mod speed;
mod store;
