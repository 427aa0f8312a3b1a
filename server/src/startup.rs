use std::future::Future;
use std::net::SocketAddr;

use std::sync::Arc;
use std::time::Duration;

use app::ssr::auth::limits::RateLimits;
use app::ssr::auth::passwords::Passwords;
use app::ssr::auth::store::DbSessionStore;
use app::ssr::state::{AppState, ServiceConfig, SessionConfig};
use axum::Router;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::db::{self, DbError};
use crate::notify::{self, Transports};
use crate::routes;
use crate::routes::site::Site;
use crate::settings::Settings;
use tokio_util::sync::CancellationToken;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(transparent)]
    Settings(#[from] crate::settings::SettingsError),
    #[error(transparent)]
    Site(#[from] crate::routes::site::SiteError),
    #[error("cannot create the first admin: {0}")]
    Admin(String),
    #[error("cannot read or make the form-error signing key: {0}")]
    Key(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A built server: database open and migrated, socket bound, not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    addr: SocketAddr,
    transports: Transports,
    outbox_lease_secs: u64,
    limits: crate::serve::HttpLimits,
    /// Stops the background tasks (outbox worker, live hub, housekeeping).
    stop: CancellationToken,
}

impl Application {
    pub async fn build(settings: &Settings) -> Result<Self, StartupError> {
        let transports = notify::transports(settings)?;
        let site = Site::load(settings.site_root.as_deref(), env!("LEPTOS_OUTPUT_NAME"))?;
        let (db, _) = db::connect_and_migrate(&settings.database_url).await?;
        let listener =
            TcpListener::bind(settings.addr)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: settings.addr,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: settings.addr,
            source,
        })?;
        let public_url = settings.public_url_or(addr);
        let config = ServiceConfig {
            sessions: SessionConfig {
                idle: Duration::from_secs(settings.session_idle_minutes * 60),
                absolute: Duration::from_secs(settings.session_max_hours * 3600),
                secure: public_url.starts_with("https://"),
            },
            public_url,
            default_region: settings.region()?,
            allowed_host_domains: settings.allowed_host_domains(),
            client_ip_header: settings.client_ip_header.clone(),
            arrival_grace: chrono::Duration::minutes(settings.arrival_grace_minutes.into()),
        };
        let state = AppState {
            db,
            leptos_options: leptos_options(&site, addr),
            config: Arc::new(config),
            passwords: Passwords::default(),
            limits: Arc::new(RateLimits::new(settings.limits())),
        };
        crate::admin_accounts::first_admin(settings, &state)
            .await
            .map_err(|e| StartupError::Admin(crate::cli::one_line(&e)))?;
        crate::admin_accounts::print_setup_link(&state)
            .await
            .map_err(|e| StartupError::Admin(crate::cli::one_line(&e)))?;
        let stop = CancellationToken::new();
        let key = app::ssr::services::server_keys::shared_key(&state.db, "form_errors")
            .await
            .map_err(|e| StartupError::Key(crate::cli::one_line(&e)))?;
        let limits = settings.http_limits();
        let router = routes::router(state.clone(), stop.clone(), site, &key, limits.request)
            .map_err(|e| StartupError::Key(e.to_string()))?;
        Ok(Self {
            listener,
            router,
            state,
            stop,
            addr,
            transports,
            outbox_lease_secs: settings.outbox_lease_secs,
            limits,
        })
    }

    /// The bound port (useful with `FRONTDESK_ADDR=127.0.0.1:0`).
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// Serves until SIGINT or SIGTERM, then finishes in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    pub async fn run_until(
        self,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let tasks = self.stop.clone();
        let worker = notify::spawn(
            self.state.db.clone(),
            self.transports,
            Duration::from_secs(self.outbox_lease_secs),
            tasks.clone(),
        );
        let housekeeping = tokio::spawn(housekeeping(self.state.clone(), tasks.clone()));
        tracing::info!(addr = %self.addr, "Frontdesk is listening");
        let served = crate::serve::serve(self.listener, self.router, self.limits, stop).await;
        // The worker finishes the message in hand; unsent rows stay queued for the next start.
        tasks.cancel();
        let _ = worker.await;
        let _ = housekeeping.await;
        served?;
        tracing::info!("Frontdesk stopped");
        Ok(())
    }
}

/// Every few minutes: drop expired sessions and idle rate-limit keys.
async fn housekeeping(state: AppState, stop: CancellationToken) {
    let store = DbSessionStore::new(state.db.clone());
    let mut every = tokio::time::interval(Duration::from_secs(300));
    loop {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = every.tick() => {}
        }
        if let Err(error) = store.delete_expired().await {
            tracing::warn!(%error, "cannot delete expired sessions");
        }
        state.limits.forget_idle();
    }
}

/// Leptos links the bundle as `/pkg/{output_name}.js`: the site's versioned name.
fn leptos_options(site: &Site, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(site.versioned_output_name())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
