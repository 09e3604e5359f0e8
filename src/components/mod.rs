//! The widget's views, one file per part of the form.

pub mod attachment;
pub mod banner;
mod choices;
pub mod confirmation;
pub mod country_field;
pub mod delegation_step;
pub mod error_summary;
pub mod field;
pub mod member_card;
pub mod members_step;
pub mod review_step;
pub mod withdraw;
