//! Creates a customer, reads it back, places a sales order for it and prints the order number.
//!
//! ```text
//! GKS_BASE_URL=https://gks.example.com \
//! GKS_CLIENT_ID=my-client-id \
//! GKS_CLIENT_SECRET=my-client-secret \
//! cargo run -p gks-api --example place_order
//! ```
//!
//! Environment:
//! - `GKS_BASE_URL`, `GKS_CLIENT_ID`, `GKS_CLIENT_SECRET`: required.
//! - `GKS_TOKEN_URL`: optional; default the token URL of the API description
//!   (`https://id.simutek.se/connect/token`).
//! - `GKS_CUSTOMER_NUMBER`: optional; the number of the customer to create. Default
//!   `RS<unix time>`, so that every run creates a new customer.
//!
//! Exit codes: 0 on success, 1 when a call fails, 2 when the configuration is incomplete or
//! invalid.

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use gks_api::types::{
    Address, Customer, CustomerRequired, SalesOrder, SalesOrderLanguageCode, SalesOrderLine,
    SalesOrderRequired,
};
use gks_api::{Client, Error};

/// Settings read from the environment.
struct Config {
    base_url: String,
    client_id: String,
    client_secret: String,
    token_url: Option<String>,
    customer_number: String,
}

impl Config {
    /// Reads the settings; `Err` lists every required variable that is missing or empty.
    fn from_env() -> Result<Config, Vec<&'static str>> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let base_url = var("GKS_BASE_URL");
        let client_id = var("GKS_CLIENT_ID");
        let client_secret = var("GKS_CLIENT_SECRET");
        match (base_url, client_id, client_secret) {
            (Some(base_url), Some(client_id), Some(client_secret)) => Ok(Config {
                base_url,
                client_id,
                client_secret,
                token_url: var("GKS_TOKEN_URL"),
                customer_number: var("GKS_CUSTOMER_NUMBER").unwrap_or_else(default_number),
            }),
            (base_url, client_id, client_secret) => {
                let mut missing = Vec::new();
                if base_url.is_none() {
                    missing.push("GKS_BASE_URL");
                }
                if client_id.is_none() {
                    missing.push("GKS_CLIENT_ID");
                }
                if client_secret.is_none() {
                    missing.push("GKS_CLIENT_SECRET");
                }
                Err(missing)
            }
        }
    }
}

/// `RS<seconds since 1970>`.
fn default_number() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    format!("RS{seconds}")
}

/// Prints a failed call, warning when retrying it could do the work twice.
fn report<E: std::fmt::Debug>(what: &str, error: &Error<E>) {
    eprintln!("error: {what} failed: {error}");
    if let Some(body) = error.api_body() {
        eprintln!("  answer: {body:?}");
    }
    if error.may_have_been_processed() {
        eprintln!("  the server may have carried it out: check in GKS before running this again");
    }
}

/// Creates the customer, reads it back and places an order; returns the order number.
async fn run(client: &Client, customer_number: &str) -> Result<i64, ExitCode> {
    let customer = Customer::new(CustomerRequired {
        name: "Exempel AB".into(),
        corporate_identity_number: "556677-8899".into(),
    })
    .with_number(customer_number)
    .with_invoice_email("faktura@example.com")
    .with_postal_address(
        Address::new()
            .with_address1("Storgatan 1")
            .with_zip_code("114 44")
            .with_city("Stockholm")
            .with_country_code("SE"),
    );
    println!("creating customer {customer_number} ...");
    if let Err(error) = client.create_customer(&customer).await {
        report("creating the customer", &error);
        return Err(ExitCode::FAILURE);
    }

    let stored = match client.get_customer(customer_number).await {
        Ok(stored) => stored,
        Err(error) => {
            report("reading the customer back", &error);
            return Err(ExitCode::FAILURE);
        }
    };
    println!(
        "customer {}: {} ({})",
        stored.number.as_deref().unwrap_or("(no number)"),
        stored.name,
        stored.corporate_identity_number
    );

    let order = SalesOrder::new(SalesOrderRequired {
        customer_number: customer_number.into(),
        purchase_order_number: "PO-EXAMPLE-1".into(),
        is_export: false,
        is_export_within_eu: false,
    })
    .with_order_title("Example order from gks-api")
    .with_language_code(SalesOrderLanguageCode::Sv)
    .with_currency_code("SEK")
    .with_sales_orderlines(vec![
        SalesOrderLine::new()
            .with_article_number("ART-1")
            .with_description("Example article")
            .with_quantity(2.0)
            .with_unit_price(100.0)
            .with_vat_percent(25.0),
    ]);
    match client.place_sales_order(&order).await {
        Ok(placed) => Ok(placed.order_number),
        Err(error) => {
            report("placing the sales order", &error);
            Err(ExitCode::FAILURE)
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(missing) => {
            eprintln!(
                "error: missing environment variable(s): {}",
                missing.join(", ")
            );
            eprintln!("required: GKS_BASE_URL, GKS_CLIENT_ID, GKS_CLIENT_SECRET");
            eprintln!("optional: GKS_TOKEN_URL, GKS_CUSTOMER_NUMBER");
            return ExitCode::from(2);
        }
    };

    let mut builder =
        Client::builder(config.base_url).client_credentials(config.client_id, config.client_secret);
    if let Some(token_url) = config.token_url {
        builder = builder.token_url(token_url);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: invalid configuration: {error}");
            return ExitCode::from(2);
        }
    };

    match run(&client, &config.customer_number).await {
        Ok(order_number) => {
            println!("placed sales order {order_number}");
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}
