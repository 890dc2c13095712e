//! Least-privilege database roles (PostgreSQL and Aurora DSQL): the owner of the tables runs the
//! migrations; the server works as a writer (read and change rows, no DDL), and may read the menu
//! through a reader (select only, `BARBACK_DATABASE_READER_URL`). `server db roles` prints the
//! statements, or applies them as the owner.

use sqlx::Executor;

use super::{DbKind, Store};
use crate::error::AppError;

/// The two roles the server logs in as, and how each logs in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Roles {
    pub reader: Role,
    pub writer: Role,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// A plain lower-case SQL name: `[a-z_][a-z0-9_]{0,62}`.
    pub name: String,
    /// PostgreSQL: the role's password, set when applying (printed statements leave it out).
    pub password: Option<String>,
    /// Aurora DSQL: the IAM role allowed to log in as it (`dsql:DbConnect` tokens).
    pub iam_role: Option<String>,
}

impl Role {
    pub fn named(name: &str) -> Result<Self, AppError> {
        let plain = name.len() <= 63
            && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !plain {
            return Err(AppError::invalid(
                "role",
                format!("{name:?} is not a plain role name: lower-case letters, digits and _."),
            ));
        }
        Ok(Role {
            name: name.to_string(),
            password: None,
            iam_role: None,
        })
    }
}

impl Default for Roles {
    fn default() -> Self {
        let role = |name: &str| Role {
            name: name.into(),
            password: None,
            iam_role: None,
        };
        Roles {
            reader: role("barback_reader"),
            writer: role("barback_writer"),
        }
    }
}

/// Where the statements go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    Postgres,
    Dsql,
}

/// A string as an SQL literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The statements that make the roles (those not yet there, `existing`) and give each its rights
/// on `tables` in `schema`: select for the reader; select, insert, update and delete for the
/// writer. Nothing else: no DDL, and not the migrations' own bookkeeping.
pub fn statements(
    flavour: Flavour,
    roles: &Roles,
    schema: &str,
    tables: &[String],
    existing: &[String],
    with_passwords: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    let list = tables.join(", ");
    for (role, rights) in [
        (&roles.reader, "select"),
        (&roles.writer, "select, insert, update, delete"),
    ] {
        let name = &role.name;
        if !existing.contains(name) {
            out.push(match flavour {
                Flavour::Postgres => format!("create role {name} login"),
                Flavour::Dsql => format!("create role {name} with login"),
            });
        }
        match (flavour, &role.password, &role.iam_role) {
            (Flavour::Postgres, Some(password), _) if with_passwords => {
                out.push(format!("alter role {name} password {}", literal(password)))
            }
            (Flavour::Dsql, _, Some(arn)) => {
                out.push(format!("aws iam grant {name} to {}", literal(arn)))
            }
            _ => {}
        }
        out.push(format!("grant usage on schema {schema} to {name}"));
        if !tables.is_empty() {
            out.push(format!("grant {rights} on {list} to {name}"));
        }
    }
    // The writer serves: it reads which migrations are in (and makes none).
    out.push(format!(
        "grant select on schema_migrations to {}",
        roles.writer.name
    ));
    out
}

impl Store {
    /// The app's tables (what the migrations made, but their bookkeeping), by name.
    pub async fn app_tables(&self) -> Result<(String, Vec<String>), sqlx::Error> {
        let (schema,): (String,) = sqlx::query_as("select current_schema()::text")
            .fetch_one(&self.pool)
            .await?;
        let tables: Vec<(String,)> = sqlx::query_as(
            "select table_name::text from information_schema.tables
             where table_schema = $1 and table_type = 'BASE TABLE' and table_name <> 'schema_migrations'
             order by table_name",
        )
        .bind(&schema)
        .fetch_all(&self.pool)
        .await?;
        Ok((schema, tables.into_iter().map(|(name,)| name).collect()))
    }

    /// The statements for `roles` on this database as it is now (run `migrate` first).
    pub async fn role_statements(
        &self,
        roles: &Roles,
        with_passwords: bool,
    ) -> Result<Vec<String>, AppError> {
        if self.kind == DbKind::Sqlite {
            return Err(AppError::invalid(
                "database",
                "SQLite has no roles: database roles are for PostgreSQL and Aurora DSQL.",
            ));
        }
        let (schema, tables) = self.app_tables().await?;
        let names = [roles.reader.name.clone(), roles.writer.name.clone()];
        let existing: Vec<(String,)> =
            sqlx::query_as("select rolname::text from pg_roles where rolname in ($1, $2)")
                .bind(&names[0])
                .bind(&names[1])
                .fetch_all(&self.pool)
                .await?;
        let existing: Vec<String> = existing.into_iter().map(|(name,)| name).collect();
        let flavour = if self.dsql {
            Flavour::Dsql
        } else {
            Flavour::Postgres
        };
        Ok(statements(
            flavour,
            roles,
            &schema,
            &tables,
            &existing,
            with_passwords,
        ))
    }

    /// Makes the roles and grants their rights, one statement at a time (DSQL runs each DDL
    /// statement on its own). Run as the tables' owner; running it again changes nothing.
    pub async fn apply_roles(&self, roles: &Roles) -> Result<Vec<String>, AppError> {
        let statements = self.role_statements(roles, true).await?;
        for statement in &statements {
            self.pool.execute(statement.as_str()).await?;
        }
        Ok(statements)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_are_plain() {
        assert!(Role::named("barback_reader").is_ok());
        assert!(Role::named("_r2").is_ok());
        for bad in [
            "",
            "Reader",
            "1r",
            "r-w",
            "r; drop table orders",
            &"r".repeat(64),
        ] {
            assert!(Role::named(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_reader_selects_and_the_writer_changes_rows_only() {
        let mut roles = Roles::default();
        roles.writer.password = Some("it's secret".into());
        let tables = vec!["drinks".to_string(), "orders".to_string()];
        let sql = statements(Flavour::Postgres, &roles, "public", &tables, &[], true);
        assert_eq!(
            sql,
            [
                "create role barback_reader login",
                "grant usage on schema public to barback_reader",
                "grant select on drinks, orders to barback_reader",
                "create role barback_writer login",
                "alter role barback_writer password 'it''s secret'",
                "grant usage on schema public to barback_writer",
                "grant select, insert, update, delete on drinks, orders to barback_writer",
                "grant select on schema_migrations to barback_writer",
            ]
        );
        // Printed: no password; roles that exist are not made again.
        let printed = statements(
            Flavour::Postgres,
            &roles,
            "public",
            &tables,
            &["barback_reader".into()],
            false,
        );
        assert!(!printed.iter().any(|s| s.contains("password")));
        assert!(!printed.contains(&"create role barback_reader login".to_string()));
    }

    #[test]
    fn on_dsql_an_iam_role_may_log_in_as_each() {
        let mut roles = Roles::default();
        roles.reader.iam_role = Some("arn:aws:iam::123456789012:role/barback-task".into());
        let sql = statements(
            Flavour::Dsql,
            &roles,
            "public",
            &["orders".into()],
            &[],
            true,
        );
        assert_eq!(sql[0], "create role barback_reader with login");
        assert_eq!(
            sql[1],
            "aws iam grant barback_reader to 'arn:aws:iam::123456789012:role/barback-task'"
        );
    }
}
