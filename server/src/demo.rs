//! `frontdesk demo`: a believable office in an empty database, so that every page
//! has something to show. Everything goes through the same services as real use
//! (accounts, hosts, a kiosk, check-ins and check-outs with their messages); only
//! the visits' times are moved back into the last seven days afterwards.

use anyhow::{bail, Context};
use app::ssr::auth::caller::{Actor, Caller, Scope};
use app::ssr::auth::limits::{LimitsConfig, RateLimits};
use app::ssr::auth::passwords::{Password, Passwords};
use app::ssr::domain::{EmailAddress, Region};
use app::ssr::entities::{location, user, visit};
use app::ssr::services::accounts::{self, Door, SignUp, SignUpSite, SignedUp};
use app::ssr::services::hosts::{self, Joining, NewHost};
use app::ssr::services::locations::{self, NewLocation};
use app::ssr::services::visits::{self, NewVisit, VisitRef, VisitSource};
use app::ssr::services::{kiosks, random_secret};
use chrono::{DateTime, Duration, DurationRound, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Set};

// Phones in the range reserved for fiction (555-0100 to 555-0199): queued SMS must
// never reach a real person if Twilio is configured later.
const HOSTS: [(&str, &str, &str); 6] = [
    ("Meena Iyer", "meena.iyer@example.com", "+1 415 555 0101"),
    ("Tom Becker", "tom.becker@example.com", "+1 415 555 0102"),
    ("Ana Souza", "ana.souza@example.com", "+1 415 555 0103"),
    (
        "Kwame Mensah",
        "kwame.mensah@example.com",
        "+1 415 555 0104",
    ),
    ("Li Wei", "li.wei@example.com", "+1 415 555 0105"),
    ("Sofia Rossi", "sofia.rossi@example.com", "+1 415 555 0106"),
];

const GUESTS: [(&str, &str, &str); 10] = [
    ("Ravi Kumar", "ravi.kumar@example.net", "+1 415 555 0111"),
    (
        "Hannah Schmidt",
        "hannah.schmidt@example.net",
        "+1 415 555 0112",
    ),
    (
        "Diego Alvarez",
        "diego.alvarez@example.net",
        "+1 415 555 0113",
    ),
    (
        "Amara Okafor",
        "amara.okafor@example.net",
        "+1 415 555 0114",
    ),
    ("Yuki Tanaka", "yuki.tanaka@example.net", "+1 415 555 0115"),
    (
        "Oliver Brown",
        "oliver.brown@example.net",
        "+1 415 555 0116",
    ),
    (
        "Fatima Zahra",
        "fatima.zahra@example.net",
        "+1 415 555 0117",
    ),
    (
        "Lucas Martin",
        "lucas.martin@example.net",
        "+1 415 555 0118",
    ),
    ("Priya Nair", "priya.nair@example.net", "+1 415 555 0119"),
    ("Jonas Berg", "jonas.berg@example.net", "+1 415 555 0120"),
];

const PAST_VISITS: usize = 40;

/// What the demo made, for the command to print.
#[derive(Debug)]
pub struct Demo {
    pub password: String,
    pub admin: String,
    pub hosts: Vec<String>,
    pub visitor: String,
    pub pairing_link: String,
    pub visits: usize,
}

/// Fills `db`, which must hold no location, account or visit.
pub async fn fill(
    db: &DatabaseConnection,
    passwords: &Passwords,
    public_url: &str,
) -> anyhow::Result<Demo> {
    refuse_unless_empty(db).await?;
    let actor = Actor("demo".into());
    let region = Region::parse("GB").map_err(anyhow::Error::msg)?;
    // One fresh password for every demo account: a demo left reachable on a network
    // must not open with a password anyone can read in this file.
    let password_text = random_secret()?.chars().take(16).collect::<String>();
    let password =
        Password::parse("password", &password_text, &[]).map_err(|e| anyhow::anyhow!(e.message))?;

    let admin = EmailAddress::parse("admin@example.com").map_err(anyhow::Error::msg)?;
    accounts::upsert_admin(db, passwords, &admin, &password)
        .await
        .map_err(|e| anyhow::anyhow!(e.to_string()))?;

    let office = NewLocation::parse(
        "Riverside Office",
        "12 River Street, London SE1 9RT",
        "Europe/London",
    )
    .and_then(|l| l.in_country("country", "GB"))
    .map_err(|e| anyhow::anyhow!(e.message))?;
    let office = locations::create_location(db, office, &actor).await?;

    let host_hash = passwords.hash(&password).await?;
    let mut host_ids = Vec::new();
    for (name, email, phone) in HOSTS {
        let mut new = NewHost::parse(name, email, phone, office.id, region)
            .map_err(|e| anyhow::anyhow!(e.message))?;
        new.joining = Joining::Seeded {
            password_hash: host_hash.clone(),
        };
        let host = hosts::create_host(db, new, &actor, public_url)
            .await
            .map_err(|e| anyhow::anyhow!(e.to_string()))?;
        host_ids.push(host.id);
    }

    // The first guest also has a visitor account: their visits fill /visitor.
    let (name, email, phone) = GUESTS[0];
    let signup = SignUp::parse(
        Door::Visitor,
        name,
        email,
        phone,
        &password_text,
        None,
        region,
    )
    .map_err(|e| anyhow::anyhow!(e.message))?;
    let limits = RateLimits::new(LimitsConfig::default());
    let site = SignUpSite {
        base_url: public_url,
        allowed_domains: &[],
        limits: &limits,
        client: std::net::Ipv4Addr::LOCALHOST.into(),
    };
    let SignedUp::Created {
        user_id: visitor_id,
    } = accounts::sign_up(db, passwords, Door::Visitor, signup, &site)
        .await
        .map_err(|e| anyhow::anyhow!(e.to_string()))?
    else {
        anyhow::bail!("the demo visitor's address has an account already");
    };
    // A made-up address: nobody can follow its link, so the demo vouches for it.
    accounts::vouch_for(db, visitor_id).await?;

    let kiosk_name = kiosks::parse_name("Lobby tablet").map_err(|e| anyhow::anyhow!(e.message))?;
    let (_, code) = kiosks::create(db, office.id, kiosk_name, &actor)
        .await
        .map_err(|e| anyhow::anyhow!(e.to_string()))?;

    let admin_caller = Caller {
        actor: actor.clone(),
        scope: Scope::Admin,
    };
    let visitor_caller = Caller {
        actor: Actor(format!("visitor {name} ({email})")),
        scope: Scope::Visitor {
            user_id: visitor_id,
        },
    };
    let now = Utc::now();
    let schedule = past_times(now);
    for (i, (arrived, left)) in schedule.iter().enumerate() {
        let (name, email, phone) = GUESTS[i % GUESTS.len()];
        let caller = if i % GUESTS.len() == 0 {
            &visitor_caller
        } else {
            &admin_caller
        };
        let host_id = host_ids[(i * 5 + i / 3) % host_ids.len()];
        let visit = check_in(
            db,
            name,
            email,
            phone,
            host_id,
            (region, office.id),
            public_url,
            caller,
        )
        .await?;
        visits::check_out(db, VisitRef::Id(visit, Scope::Admin), &actor)
            .await
            .map_err(|e| anyhow::anyhow!(e.to_string()))?;
        move_visit(db, visit, *arrived, Some(*left)).await?;
    }
    // Two guests are in the building now.
    for (i, minutes_ago) in [(1, 75), (4, 20)] {
        let (name, email, phone) = GUESTS[i];
        let visit = check_in(
            db,
            name,
            email,
            phone,
            host_ids[i % host_ids.len()],
            (region, office.id),
            public_url,
            &admin_caller,
        )
        .await?;
        move_visit(db, visit, now - Duration::minutes(minutes_ago), None).await?;
    }

    Ok(Demo {
        password: password_text,
        admin: admin.as_str().to_string(),
        hosts: HOSTS
            .iter()
            .map(|(_, email, _)| email.to_string())
            .collect(),
        visitor: email.to_string(),
        pairing_link: format!("{public_url}/kiosk/pair?code={code}"),
        visits: schedule.len() + 2,
    })
}

async fn refuse_unless_empty(db: &DatabaseConnection) -> anyhow::Result<()> {
    let locations = location::Entity::find().count(db).await?;
    let users = user::Entity::find().count(db).await?;
    let visits = visit::Entity::find().count(db).await?;
    if locations + users + visits > 0 {
        bail!(
            "this database already holds data ({locations} locations, {users} accounts, \
             {visits} visits); the demo fills only an empty one: point DATABASE_URL at a new \
             database, e.g. DATABASE_URL=sqlite://data/demo.db"
        );
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn check_in(
    db: &DatabaseConnection,
    name: &str,
    email: &str,
    phone: &str,
    host_id: i32,
    (region, office_id): (Region, i32),
    public_url: &str,
    caller: &Caller,
) -> anyhow::Result<i32> {
    let mut new = NewVisit::parse(name, email, phone, host_id, region, VisitSource::Kiosk)
        .map_err(|e| anyhow::anyhow!(e.message))?;
    // The visitor checks in on their phone, from the (one) office's poster.
    if let Scope::Visitor { .. } = caller.scope {
        new.source = VisitSource::Arrival;
        new.at = Some(office_id);
    }
    let (visit, _) = visits::check_in(db, new, public_url, caller)
        .await
        .map_err(|e| anyhow::anyhow!(e.to_string()))?;
    Ok(visit.id)
}

async fn move_visit(
    db: &DatabaseConnection,
    id: i32,
    arrived: DateTime<Utc>,
    left: Option<DateTime<Utc>>,
) -> anyhow::Result<()> {
    let row = visit::Entity::find_by_id(id)
        .one(db)
        .await?
        .context("a demo visit vanished")?;
    let mut row: visit::ActiveModel = row.into();
    row.checked_in_at = Set(arrived);
    row.checked_out_at = Set(left);
    row.update(db).await?;
    Ok(())
}

/// Arrivals and departures spread over the last seven days, mostly in office hours
/// (UTC, near enough for London), busier mid-week; all in the past.
fn past_times(now: DateTime<Utc>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let today = now.duration_trunc(Duration::days(1)).unwrap_or(now);
    let mut times = Vec::with_capacity(PAST_VISITS);
    for i in 0..PAST_VISITS {
        let day = 1 + (i * 7 / PAST_VISITS) as i64 % 7;
        let hour = 8 + ((i * 7) % 9) as i64;
        let minute = ((i * 23) % 60) as i64;
        let arrived =
            today - Duration::days(day) + Duration::hours(hour) + Duration::minutes(minute);
        let stay = Duration::minutes(25 + ((i * 37) % 150) as i64);
        times.push((arrived, arrived + stay));
    }
    times
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_visits_cover_the_last_seven_days_and_end_before_now() {
        let now = Utc::now();
        let times = past_times(now);
        assert_eq!(times.len(), PAST_VISITS);
        assert!(times.iter().all(|(a, l)| a < l && *l < now));
        assert!(times.iter().all(|(a, _)| now - *a <= Duration::days(8)));
        let days: std::collections::BTreeSet<_> =
            times.iter().map(|(a, _)| a.date_naive()).collect();
        assert_eq!(days.len(), 7, "{days:?}");
    }
}
