use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One-time links e-mailed to an account's owner: confirm an address, accept an
/// invitation, reset a password. Only the SHA-256 of each link's secret is kept; a
/// row is deleted when its link is used, replaced, or the password changes.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountLinks::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(AccountLinks::TokenHash)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AccountLinks::UserId).integer().not_null())
                    // verify, invite, reset or change_email.
                    .col(
                        ColumnDef::new(AccountLinks::Purpose)
                            .string_len(16)
                            .not_null(),
                    )
                    // For change_email: the address that takes effect when followed.
                    .col(
                        ColumnDef::new(AccountLinks::NewEmail)
                            .string_len(320)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(AccountLinks::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountLinks::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccountLinks::Table, AccountLinks::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_account_links_user")
                    .table(AccountLinks::Table)
                    .col(AccountLinks::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountLinks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AccountLinks {
    Table,
    TokenHash,
    UserId,
    Purpose,
    NewEmail,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
