//! The whole HTTP API, over real HTTP against a temporary database.

mod attachments;
mod calendar;
mod common;
mod connections;
mod exports;
mod health;
mod mail;
mod manage;
mod organiser;
mod registrations;
mod retention;
mod security;
mod security_log;
mod slow_bodies;
mod upload_quota;
mod write_queue;
