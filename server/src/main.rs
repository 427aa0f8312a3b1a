use std::process::ExitCode;

use clap::Parser;
use frontdesk::cli::{one_line, Cli, Command, TokenCommand};
use frontdesk::settings::Settings;
use frontdesk::{db, startup::Application, telemetry};

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
        Command::Token {
            command: TokenCommand::Create { name },
        } => {
            let (db, _) = db::connect_and_migrate(&settings.database_url).await?;
            let (_, token) = app::ssr::services::tokens::create_token(&db, &name).await?;
            println!("{token}");
            eprintln!("API token \"{name}\" created. It is shown only now: store it safely.");
        }
    }
    Ok(())
}
