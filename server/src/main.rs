use std::process::ExitCode;

use clap::Parser;
use frontdesk::cli::{one_line, AdminCommand, Cli, Command, TokenCommand};
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
        Command::Token {
            command: TokenCommand::Create { name },
        } => {
            let (db, _) = db::connect_and_migrate(&settings.database_url).await?;
            let (_, token) = app::ssr::services::tokens::create_token(&db, &name).await?;
            println!("{token}");
            eprintln!("API token \"{name}\" created. It is shown only now: store it safely.");
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
