use std::process::ExitCode;

use clap::Parser;
use frontdesk::cli::{one_line, AdminCommand, Cli, Command, HostCommand, TokenCommand};
use frontdesk::settings::Settings;
use frontdesk::{db, startup::Application, telemetry};

/// glibc's malloc was a fifth of the CPU under page load (`perf`, P3 in
/// docs/performance.md), and kept freed memory in per-thread arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => {
            telemetry::init(&settings);
            run(cli.command.unwrap_or_default(), settings).await
        }
        Err(error) => Err(error.into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line an operator can act on.
            eprintln!("error: {}", one_line(&error));
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            let app = Application::build(&settings).await?;
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let applied = db::connect_and_migrate(&settings.database_url).await?.1;
            println!("database is up to date ({applied} migrations applied)");
        }
        Command::Demo => {
            let (db, _) = db::connect_and_migrate(&settings.database_url).await?;
            let passwords = app::ssr::auth::passwords::Passwords::default();
            let public_url = settings.public_url_or(settings.addr);
            let demo = frontdesk::demo::fill(&db, &passwords, &public_url).await?;
            print_demo(&demo, &public_url);
        }
        Command::Token { command } => {
            let (db, _) = db::connect_and_migrate(&settings.database_url).await?;
            run_token(command, &db).await?;
        }
        Command::Admin {
            command: AdminCommand::Create { email },
        } => {
            let password = match &settings.admin_password {
                Some(password) => secrecy::ExposeSecret::expose_secret(password).to_string(),
                None => read_password_line()?,
            };
            let (parsed_email, password) = frontdesk::admin_accounts::parse(&email, &password)?;
            let (db, _) = db::connect_and_migrate(&settings.database_url).await?;
            let passwords = app::ssr::auth::passwords::Passwords::default();
            let created =
                frontdesk::admin_accounts::create(&db, &passwords, &parsed_email, &password)
                    .await?;
            let done = if created { "created" } else { "password reset" };
            println!("admin {email}: {done}");
        }
        Command::Host {
            command:
                HostCommand::Invite {
                    name,
                    email,
                    phone,
                    location_id,
                },
        } => {
            use app::ssr::services::hosts;
            let new = hosts::NewHost::parse(&name, &email, &phone, location_id, settings.region()?)
                .map_err(|e| anyhow::anyhow!("{}: {}", e.field, e.message))?;
            let (db, _) = db::connect_and_migrate(&settings.database_url).await?;
            let actor = app::ssr::auth::caller::Actor("command line".into());
            let public_url = settings.public_url_or(settings.addr);
            let host = hosts::create_host(&db, new, &actor, &public_url)
                .await
                .map_err(|e| anyhow::anyhow!(e.to_string()))?;
            println!(
                "host {} added (id {}); the invitation goes out from the running server",
                host.email, host.id
            );
        }
    }
    Ok(())
}

async fn run_token(command: TokenCommand, db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    use app::ssr::services::tokens::{self, TokenRef};
    match command {
        TokenCommand::Create { name, expires_in } => {
            let (model, token) = tokens::create_token(db, &name, expires_in).await?;
            println!("{token}");
            let expiry = match model.expires_at {
                Some(at) => format!("It expires {}.", at.format("%Y-%m-%d %H:%M UTC")),
                None => "It does not expire.".into(),
            };
            eprintln!(
                "API token \"{}\" created. {expiry} It is shown only now: store it safely.",
                model.name
            );
        }
        TokenCommand::List => print!(
            "{}",
            frontdesk::cli::token_table(&tokens::list_tokens(db).await?)
        ),
        TokenCommand::Revoke { name } => {
            let actor = app::ssr::auth::caller::Actor("command line".into());
            let revoked = tokens::revoke_token(db, TokenRef::Name(&name), &actor).await?;
            let what = if revoked == 1 {
                "token".to_string()
            } else {
                format!("{revoked} tokens")
            };
            println!("API {what} \"{}\" revoked.", name.trim());
        }
    }
    Ok(())
}

fn print_demo(demo: &frontdesk::demo::Demo, public_url: &str) {
    println!(
        "Demo office created: 1 location, {} hosts, 1 visitor, {} visits.",
        demo.hosts.len(),
        demo.visits
    );
    println!("Every demo account's password: {}", demo.password);
    println!("Admin   {}  ({public_url}/host/login)", demo.admin);
    for host in &demo.hosts {
        println!("Host    {host}  ({public_url}/host/login)");
    }
    println!("Visitor {}  ({public_url}/visitor/login)", demo.visitor);
    println!(
        "Kiosk   open {} on the lobby tablet (once, within 24 hours)",
        demo.pairing_link
    );
    println!("Start the server with `frontdesk serve` (same DATABASE_URL); queued messages then land in {public_url}/dev/mailbox.");
}

fn read_password_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
