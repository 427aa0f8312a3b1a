//! The transactional outbox: messages are rows written with the change that causes them.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};

use crate::ssr::entities::notification;

pub const QUEUED: &str = "queued";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

pub struct Message {
    pub channel: Channel,
    pub recipient: String,
    pub subject: Option<String>,
    /// Plain text; for email also the text part.
    pub body: String,
    /// The HTML part of an email.
    pub html: Option<String>,
}

pub async fn enqueue(
    db: &impl ConnectionTrait,
    visit_id: Option<i32>,
    message: Message,
    now: DateTime<Utc>,
) -> Result<notification::Model, DbErr> {
    notification::ActiveModel {
        visit_id: Set(visit_id),
        channel: Set(message.channel.as_str().to_string()),
        recipient: Set(message.recipient),
        subject: Set(message.subject),
        body: Set(message.body),
        html_body: Set(message.html),
        status: Set(QUEUED.to_string()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        leased_until: Set(None),
        last_error: Set(None),
        provider_id: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const FAILED_PERMANENTLY: &str = "failed_permanently";

/// Claims up to `batch` due rows for one worker: queued rows whose time has come, and
/// rows left in `sending` by a worker that died (lease expired). Claimed rows are
/// `sending` with a lease until `now + lease`. PostgreSQL skips rows another worker
/// holds; SQLite serialises writers, so the update itself is the claim.
pub async fn claim_due(
    db: &DatabaseConnection,
    batch: u64,
    lease: chrono::Duration,
) -> Result<Vec<notification::Model>, DbErr> {
    let now = Utc::now();
    let backend = db.get_database_backend();
    let lock = match backend {
        DatabaseBackend::Postgres => "FOR UPDATE SKIP LOCKED",
        _ => "",
    };
    let sql = format!(
        "UPDATE notifications SET status = '{SENDING}', attempts = attempts + 1, leased_until = $1 \
         WHERE id IN (SELECT id FROM notifications \
           WHERE (status = '{QUEUED}' AND next_attempt_at <= $2) OR (status = '{SENDING}' AND leased_until < $2) \
           ORDER BY id LIMIT $3 {lock}) \
         RETURNING *"
    );
    let values: [sea_orm::Value; 3] = [(now + lease).into(), now.into(), (batch as i64).into()];
    notification::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
        .all(db)
        .await
}

/// What happened to one send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent {
        provider_id: String,
    },
    /// Try again at `at` (a transient failure: 4xx from SMTP, 429/5xx, network).
    Retry {
        error: String,
        at: DateTime<Utc>,
    },
    /// Never try again; shown on the visit and to admins.
    Failed {
        error: String,
    },
}

pub async fn record(db: &impl ConnectionTrait, id: i32, outcome: &Outcome) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let update = notification::Entity::update_many()
        .filter(notification::Column::Id.eq(id))
        .col_expr(
            notification::Column::LeasedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        );
    let update = match outcome {
        Outcome::Sent { provider_id } => update
            .col_expr(notification::Column::Status, Expr::value(SENT))
            .col_expr(
                notification::Column::ProviderId,
                Expr::value(provider_id.clone()),
            )
            .col_expr(notification::Column::SentAt, Expr::value(Utc::now()))
            .col_expr(
                notification::Column::LastError,
                Expr::value(Option::<String>::None),
            ),
        Outcome::Retry { error, at } => update
            .col_expr(notification::Column::Status, Expr::value(QUEUED))
            .col_expr(notification::Column::NextAttemptAt, Expr::value(*at))
            .col_expr(notification::Column::LastError, Expr::value(error.clone())),
        Outcome::Failed { error } => update
            .col_expr(
                notification::Column::Status,
                Expr::value(FAILED_PERMANENTLY),
            )
            .col_expr(notification::Column::LastError, Expr::value(error.clone())),
    };
    update.exec(db).await.map(|_| ())
}

/// Phones that opted out of SMS (Twilio 21610).
pub async fn is_opted_out(db: &impl ConnectionTrait, phone: &str) -> Result<bool, DbErr> {
    let row = db
        .query_one(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM sms_opt_outs WHERE phone = $1",
            [phone.into()],
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0)
        > 0)
}

pub async fn opt_out(db: &impl ConnectionTrait, phone: &str) -> Result<(), DbErr> {
    if is_opted_out(db, phone).await? {
        return Ok(());
    }
    let stmt = Statement::from_sql_and_values(
        db.get_database_backend(),
        "INSERT INTO sms_opt_outs (phone, at) VALUES ($1, $2)",
        [phone.into(), Utc::now().into()],
    );
    match db.execute(stmt).await {
        Err(e) if super::is_unique_violation(&e) => Ok(()),
        other => other.map(|_| ()),
    }
}

/// The provider recorded for messages kept instead of sent (no transport configured).
pub const DEV_MAILBOX: &str = "dev-mailbox";

/// The newest messages kept in the dev mailbox.
pub async fn dev_mailbox(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<notification::Model>, DbErr> {
    notification::Entity::find()
        .filter(notification::Column::ProviderId.eq(DEV_MAILBOX))
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The newest messages that will not be sent (failed permanently), for admins.
pub async fn failed(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<notification::Model>, DbErr> {
    notification::Entity::find()
        .filter(notification::Column::Status.eq(FAILED_PERMANENTLY))
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// A channel works again: its messages waiting out a backoff are due now. Called when
/// a message that had failed before goes out, so after an outage everything left
/// follows within a poll instead of each row waiting out its own (random) backoff.
pub async fn retry_now(db: &impl ConnectionTrait, channel: &str) -> Result<u64, DbErr> {
    use sea_orm::sea_query::Expr;
    let now = Utc::now();
    let result = notification::Entity::update_many()
        .col_expr(notification::Column::NextAttemptAt, Expr::value(now))
        .filter(notification::Column::Status.eq(QUEUED))
        .filter(notification::Column::Channel.eq(channel))
        .filter(notification::Column::Attempts.gt(0))
        .filter(notification::Column::NextAttemptAt.gt(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// A stored message as admins read it (dev mailbox, failed messages).
pub fn mailbox_item(n: notification::Model) -> crate::types::MailboxItem {
    crate::types::MailboxItem {
        id: n.id,
        channel: n.channel,
        recipient: n.recipient,
        subject: n.subject,
        body: n.body,
        at: n.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        error: n.last_error,
        visit_id: n.visit_id,
    }
}
