//! Integration tests: each boots the real app on port 0 with a fresh database
//! (SQLite, or PostgreSQL when FRONTDESK_TEST_DATABASE_URL is set).

mod account_links;
mod accounts;
mod arrivals;
mod authorization;
mod bad_input;
mod browser;
mod cli;
mod concurrency;
mod connections;
mod countries;
mod crash;
mod csrf;
mod dashboard;
mod demo;
mod export;
mod forms;
mod health;
mod helpers;
mod kiosk;
mod kiosk_privacy;
mod live;
mod locations;
mod mailbox;
mod notifications;
mod openapi;
mod pages;
mod security_headers;
mod servers;
mod setup;
mod site;
mod stress;
mod tokens;
mod visits;
