//! Schema migrations, applied one statement at a time.
//!
//! sqlx's migrator wraps each file in one transaction; Aurora DSQL allows one DDL statement per
//! transaction, so we apply statements individually (each its own implicit transaction) and write
//! them idempotently (`if not exists`). A half-applied file is therefore safe to run again.

use super::Store;
use sqlx::Executor;

/// Every migration, in order. A file is never edited after it has shipped: add a new one.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "menu",
        include_str!("../../../../migrations/0001_menu.sql"),
    ),
    (
        2,
        "party",
        include_str!("../../../../migrations/0002_party.sql"),
    ),
    (
        3,
        "bartender",
        include_str!("../../../../migrations/0003_bartender.sql"),
    ),
    (
        4,
        "changes",
        include_str!("../../../../migrations/0004_changes.sql"),
    ),
    (
        5,
        "api_keys",
        include_str!("../../../../migrations/0005_api_keys.sql"),
    ),
    (
        6,
        "bartender_spend",
        include_str!("../../../../migrations/0006_bartender_spend.sql"),
    ),
    (
        7,
        "pickup",
        include_str!("../../../../migrations/0007_pickup.sql"),
    ),
    (
        8,
        "push",
        include_str!("../../../../migrations/0008_push.sql"),
    ),
    (
        9,
        "nights",
        include_str!("../../../../migrations/0009_nights.sql"),
    ),
    (
        10,
        "drink_options",
        include_str!("../../../../migrations/0010_drink_options.sql"),
    ),
    (
        11,
        "push_language",
        include_str!("../../../../migrations/0011_push_language.sql"),
    ),
    (
        12,
        "chat_tools",
        include_str!("../../../../migrations/0012_chat_tools.sql"),
    ),
    (
        13,
        "model_usage",
        include_str!("../../../../migrations/0013_model_usage.sql"),
    ),
    (
        14,
        "drink_embeddings",
        include_str!("../../../../migrations/0014_drink_embeddings.sql"),
    ),
    (
        15,
        "proposed_photos",
        include_str!("../../../../migrations/0015_proposed_photos.sql"),
    ),
];

/// Splits a migration file into statements: `--` comments dropped, split on `;` at line end.
pub fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in sql.lines() {
        let line = match line.find("--") {
            Some(at) => &line[..at],
            None => line,
        };
        let trimmed = line.trim_end();
        if trimmed.trim().is_empty() {
            continue;
        }
        current.push_str(trimmed);
        current.push('\n');
        if trimmed.ends_with(';') {
            let statement = current.trim().trim_end_matches(';').trim().to_string();
            if !statement.is_empty() {
                out.push(statement);
            }
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// What Aurora DSQL would refuse in a migration file: SERIAL, JSON/JSONB and array columns,
/// sequences, triggers, temporary tables, foreign keys, default privileges, explicit transactions
/// (which would put several DDL statements in one), and DDL mixed with DML in one file.
pub fn dsql_problems(sql: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let (mut ddl, mut dml) = (false, false);
    for statement in statements(sql) {
        let lower = statement.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '[' || c == ']'))
            .filter(|w| !w.is_empty())
            .collect();
        let has = |word: &str| words.contains(&word);
        let first = words.first().copied().unwrap_or_default();
        let mut flag = |what: &str| problems.push(format!("{what}: {statement}"));
        if has("serial") || has("bigserial") || has("smallserial") {
            flag("SERIAL columns");
        }
        if has("json") || has("jsonb") {
            flag("JSON/JSONB columns (store JSON in text)");
        }
        if lower.contains("[]") || has("array") {
            flag("array columns");
        }
        if has("sequence") {
            flag("sequences");
        }
        if has("trigger") {
            flag("triggers");
        }
        if (has("temp") || has("temporary")) && has("table") {
            flag("temporary tables");
        }
        if has("references") || lower.contains("foreign key") {
            flag("foreign keys");
        }
        if lower.contains("default privileges") {
            flag("ALTER DEFAULT PRIVILEGES (grant per table)");
        }
        if matches!(first, "begin" | "start" | "commit" | "end" | "rollback") {
            flag("explicit transactions (each DDL statement must be its own)");
        }
        match first {
            "create" | "alter" | "drop" | "grant" | "revoke" => ddl = true,
            "insert" | "update" | "delete" | "copy" => dml = true,
            _ => {}
        }
    }
    if ddl && dml {
        problems.push("DDL mixed with DML in one migration".into());
    }
    problems
}

/// A statement as Aurora DSQL wants it: indexes are built asynchronously there.
pub fn for_dsql(statement: &str) -> String {
    let lower = statement.to_lowercase();
    for prefix in ["create unique index ", "create index "] {
        if lower.starts_with(prefix) && !lower[prefix.len()..].starts_with("async ") {
            return format!(
                "{}async {}",
                &statement[..prefix.len()],
                &statement[prefix.len()..]
            );
        }
    }
    statement.to_string()
}

impl Store {
    /// Brings the schema up to date; safe to run from several processes at once.
    #[tracing::instrument(skip_all)]
    pub async fn migrate(&self) -> Result<(), sqlx::Error> {
        // Nothing to do when every migration is in: a server logged in as the writer role (which
        // may not make tables) starts on a schema its owner brought up to date.
        let applied: Result<Vec<(i64,)>, _> =
            sqlx::query_as("select version from schema_migrations")
                .fetch_all(&self.pool)
                .await;
        if let Ok(applied) = applied {
            if MIGRATIONS
                .iter()
                .all(|(version, ..)| applied.iter().any(|(v,)| v == version))
            {
                return Ok(());
            }
        }
        self.pool
            .execute(
                "create table if not exists schema_migrations (
                   version bigint primary key,
                   name text not null,
                   applied_at bigint not null
                 )",
            )
            .await?;
        let applied: Vec<(i64,)> = sqlx::query_as("select version from schema_migrations")
            .fetch_all(&self.pool)
            .await?;
        for (version, name, sql) in MIGRATIONS {
            if applied.iter().any(|(v,)| v == version) {
                continue;
            }
            if self.dsql {
                let problems = dsql_problems(sql);
                if !problems.is_empty() {
                    return Err(sqlx::Error::Configuration(
                        format!("migration {name} is not fit for Aurora DSQL: {problems:?}").into(),
                    ));
                }
            }
            for statement in statements(sql) {
                let statement = if self.dsql {
                    for_dsql(&statement)
                } else {
                    statement
                };
                self.pool.execute(statement.as_str()).await?;
            }
            sqlx::query(
                "insert into schema_migrations (version, name, applied_at) values ($1, $2, $3)
                 on conflict (version) do nothing",
            )
            .bind(*version)
            .bind(*name)
            .bind(super::now_ms())
            .execute(&self.pool)
            .await?;
            tracing::info!(version, name, "migration applied");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_split_at_semicolons_with_comments_removed() {
        let sql = "-- heading\ncreate table a (x text); -- trailing\n\ncreate index b on a (x);\n";
        assert_eq!(
            statements(sql),
            ["create table a (x text)", "create index b on a (x)"]
        );
    }

    #[test]
    fn every_shipped_migration_is_fit_for_aurora_dsql() {
        for (_, name, sql) in MIGRATIONS {
            assert_eq!(dsql_problems(sql), Vec::<String>::new(), "{name}");
        }
    }

    #[test]
    fn the_dsql_lint_catches_what_dsql_refuses() {
        for (sql, problem) in [
            ("create table a (id serial primary key)", "SERIAL"),
            ("create table a (id bigserial)", "SERIAL"),
            ("create table a (doc jsonb)", "JSON"),
            ("create table a (tags text[])", "array"),
            ("create sequence s", "sequences"),
            (
                "create trigger t before insert on a for each row execute function f()",
                "triggers",
            ),
            ("create temporary table t (x text)", "temporary"),
            ("create temp table t (x text)", "temporary"),
            ("create table a (b text references c (id))", "foreign keys"),
            (
                "alter default privileges grant select on tables to r",
                "DEFAULT PRIVILEGES",
            ),
            (
                "begin;\ncreate table a (x text);\ncreate table b (x text);\ncommit;",
                "explicit transactions",
            ),
            (
                "create table a (x text);\ninsert into a values ('y');",
                "DDL mixed with DML",
            ),
        ] {
            let problems = dsql_problems(sql);
            assert!(
                problems.iter().any(|p| p.contains(problem)),
                "{sql}: {problems:?}"
            );
        }
        assert!(dsql_problems("create table a (note text, tags text)").is_empty());
    }

    #[test]
    fn indexes_are_created_async_on_dsql() {
        assert_eq!(
            for_dsql("create unique index if not exists a_key on a (x)"),
            "create unique index async if not exists a_key on a (x)"
        );
        assert_eq!(
            for_dsql("create index b on a (x)"),
            "create index async b on a (x)"
        );
        assert_eq!(
            for_dsql("create table a (x text)"),
            "create table a (x text)"
        );
    }

    #[test]
    fn every_shipped_migration_has_one_statement_per_ddl() {
        for (_, name, sql) in MIGRATIONS {
            for statement in statements(sql) {
                assert!(
                    !statement.contains(';'),
                    "{name}: a statement contains ';': {statement}"
                );
            }
        }
    }
}
