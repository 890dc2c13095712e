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

impl Store {
    /// Brings the schema up to date; safe to run from several processes at once.
    #[tracing::instrument(skip_all)]
    pub async fn migrate(&self) -> Result<(), sqlx::Error> {
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
            for statement in statements(sql) {
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
