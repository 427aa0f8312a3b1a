//! Integration tests: each boots the real app on port 0 with a fresh database
//! (SQLite, or PostgreSQL when FRONTDESK_TEST_DATABASE_URL is set).

mod bad_input;
mod cli;
mod concurrency;
mod crash;
mod health;
mod helpers;
mod locations;
mod notifications;
mod openapi;
mod pages;
mod servers;
mod visits;
