//! Conformance of `gks-api` with `spec/gks.yaml` as an independent validator, Stoplight Prism,
//! reads it: Prism validates what the client sends and makes up answers the client must decode.
//!
//! Built only with `--features prism-conformance` and run with `PRISM_BIN` set (see the
//! README's Tests section); `.ci/run` installs the pinned Prism from `.ci/prism/`.

mod common;
mod prism;

use std::collections::BTreeMap;
use std::fmt::Debug;

use chrono::{TimeZone, Utc};
use gks_api::types::{
    Address, Allotment, BillingContact, Customer, CustomerRequired, SalesOrder,
    SalesOrderLanguageCode, SalesOrderLine, SalesOrderRequired, ShipTo,
};
use gks_api::{Client, Error, RetryPolicy};
use prism::{Mode, Prism, VIOLATIONS_HEADER, error_verdict, verdict};
use serde::Serialize;
use serde_json::json;
use wiremock::MockServer;

/// Calls per operation against `prism mock -d`.
const DYNAMIC_CALLS: usize = 300;

/// The test's customer number (the docs' example).
const CUSTOMER_NUMBER: &str = "K100421";

// ---- bodies -------------------------------------------------------------------------------

/// A customer with only what `Customer::new` requires.
fn minimal_customer() -> Customer {
    Customer::new(CustomerRequired {
        name: "Acme AB".into(),
        corporate_identity_number: "556677-8899".into(),
    })
}

/// A customer with every field set.
fn full_customer() -> Customer {
    minimal_customer()
        .with_number(CUSTOMER_NUMBER)
        .with_invoice_email("invoice@acme.example")
        .with_postal_address(full_address())
}

fn full_address() -> Address {
    Address::new()
        .with_address1("Storgatan 1")
        .with_address2("Garageinfart 2")
        .with_address3("c/o Acme")
        .with_city("Stockholm")
        .with_zip_code("114 44")
        .with_state("AB")
        .with_country_code("SE")
}

fn full_ship_to() -> ShipTo {
    ShipTo::new()
        .with_recipient_name("Acme Lager")
        .with_address(full_address())
        .with_contact_name("Eva Svensson")
        .with_contact_mobile_phone("+46701234567")
        .with_contact_email("lager@acme.example")
}

/// An order with only what `SalesOrder::new` requires.
fn minimal_order() -> SalesOrder {
    SalesOrder::new(SalesOrderRequired {
        customer_number: CUSTOMER_NUMBER.into(),
        purchase_order_number: "PO-1".into(),
        is_export: false,
        is_export_within_eu: true,
    })
}

/// An order with every writable field set, nested objects and arrays included.
#[allow(deprecated)] // `ordered` is deprecated, and still part of the body
fn full_order() -> SalesOrder {
    let date = Utc
        .with_ymd_and_hms(2025, 6, 1, 0, 53, 39)
        .single()
        .expect("valid date");
    let company: BTreeMap<String, serde_json::Value> = [
        ("name".to_owned(), json!("Acme AB")),
        ("vatNumber".to_owned(), json!("SE556677889901")),
    ]
    .into_iter()
    .collect();
    let billing_contact = BillingContact::new()
        .with_first_name("Eva")
        .with_last_name("Svensson")
        .with_email("eva@acme.example")
        .with_phone("+4681234567")
        .with_phone_mobile("+46701234567")
        .with_e_invoice_code("EI-1");
    minimal_order()
        .with_billing_contact(billing_contact)
        .with_billing_company_info(company)
        .with_bill_to(full_ship_to())
        .with_ship_to(full_ship_to())
        .with_order_title("Spring order")
        .with_promised_delivery_date(date)
        .with_ordered(date)
        .with_language_code(SalesOrderLanguageCode::Sv)
        .with_currency_code("SEK")
        .with_note_from_customer("Leave at the gate")
        .with_sales_orderlines(vec![full_order_line()])
}

fn full_order_line() -> SalesOrderLine {
    let allotment = Allotment::new()
        .with_qty_to_ship(2.0)
        .with_ship_to(full_ship_to());
    SalesOrderLine::new()
        .with_article_number("A-100")
        .with_description("Widget")
        .with_quantity(2.0)
        .with_sales_unit("st")
        .with_unit_price(99.5)
        .with_vat_percent(25.0)
        .with_discount_percent(10.0)
        .with_cost_work(1.0)
        .with_cost_material(2.0)
        .with_cost_subcontract_work(3.0)
        .with_profit_center_code("14")
        .with_weight_per_unit(0.25)
        .with_ship_orderline(true)
        .with_allotments(vec![allotment])
}

// ---- clients ------------------------------------------------------------------------------

/// A `gks_api::Client` for `prism` that fetches its token from `tokens` (wiremock) and never
/// retries, so each call is one request.
fn client_for(prism: &Prism, tokens: &MockServer) -> Client {
    Client::builder(prism.base_url())
        .client_credentials(common::CLIENT_ID, common::SECRET)
        .token_url(format!("{}{}", tokens.uri(), common::TOKEN_PATH))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds")
}

/// Sends `body` as JSON to `path` with a bearer token, outside `gks-api`, and returns Prism's
/// status and headers and body.
async fn raw_post(
    prism: &Prism,
    path: &str,
    body: &serde_json::Value,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", prism.base_url()))
        .bearer_auth("hand-made")
        .json(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {path} to prism: {e}"));
    read(response).await
}

async fn read(response: reqwest::Response) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    (status, headers, body)
}

/// Panics with every failure, one per line, if there are any.
fn assert_no_failures(what: &str, failures: &[String], prism: &Prism) {
    assert!(
        failures.is_empty(),
        "{what}: {} failure(s) (prism log: {}):\n{}",
        failures.len(),
        prism.log_path().display(),
        failures.join("\n")
    );
}

// ---- a. validation is active --------------------------------------------------------------

#[tokio::test]
async fn prism_rejects_hand_made_invalid_requests() {
    let prism = Prism::start(Mode::Static);
    let invalid_bodies = [
        ("createCustomer", common::CUSTOMERS_PATH, json!({"name": 5})),
        (
            "placeSalesOrder",
            common::ORDERS_PATH,
            json!({"customerNumber": 1, "isExport": "no"}),
        ),
    ];
    let mut failures = Vec::new();
    for (operation, path, body) in &invalid_bodies {
        let (status, headers, answer) = raw_post(&prism, path, body).await;
        let rejected = matches!(status, 400 | 422) && headers.contains_key(VIOLATIONS_HEADER);
        if !rejected {
            failures.push(format!(
                "{operation}: invalid body {body} was not rejected with 422/400 and \
                 {VIOLATIONS_HEADER}: {}",
                verdict(Some(status), Some(&headers), Some(&answer))
            ));
        }
    }
    let unauthenticated = reqwest::get(format!("{}{}", prism.base_url(), common::CUSTOMER_PATH))
        .await
        .expect("GET to prism");
    let (status, headers, answer) = read(unauthenticated).await;
    if status != 401 {
        failures.push(format!(
            "getCustomer: a call without Authorization was not rejected with 401: {}",
            verdict(Some(status), Some(&headers), Some(&answer))
        ));
    }
    assert_no_failures("validation is not active", &failures, &prism);
}

// ---- b. every operation, minimal and full body --------------------------------------------

#[tokio::test]
async fn every_operation_passes_prism_validation() {
    let prism = Prism::start(Mode::Static);
    let tokens = common::server_with_tokens().await;
    let client = client_for(&prism, &tokens);
    let mut failures = Vec::new();

    for (label, customer) in [("minimal", minimal_customer()), ("full", full_customer())] {
        let result = client.create_customer(&customer).await;
        let call = ("createCustomer", label, common::CUSTOMERS_PATH);
        failures.extend(check_sent(&prism, call, &customer, result).await);
    }
    if let Err(e) = client.get_customer(CUSTOMER_NUMBER).await {
        failures.push(format!("getCustomer: {}", error_verdict(&e)));
    }
    for (label, order) in [("minimal", minimal_order()), ("full", full_order())] {
        let result = client.place_sales_order(&order).await;
        let call = ("placeSalesOrder", label, common::ORDERS_PATH);
        failures.extend(check_sent(&prism, call, &order, result).await);
    }
    assert_no_failures("prism refused what gks-api sent", &failures, &prism);
}

/// The failures of one call with a body, `(operation, body label, path)`: the client's result
/// must be `Ok`, and the same body sent once more by hand must get a 2xx without
/// `sl-violations` (Prism lists warnings there on a 2xx too, which the typed client hides).
async fn check_sent<T, E: Debug>(
    prism: &Prism,
    (operation, label, path): (&str, &str, &str),
    body: &impl Serialize,
    result: Result<T, Error<E>>,
) -> Vec<String> {
    let mut failures = Vec::new();
    if let Err(e) = result {
        failures.push(format!("{operation} ({label} body): {}", error_verdict(&e)));
    }
    let json = serde_json::to_value(body).expect("request bodies serialise");
    let (status, headers, answer) = raw_post(prism, path, &json).await;
    if !(200..300).contains(&status) || headers.contains_key(VIOLATIONS_HEADER) {
        failures.push(format!(
            "{operation} ({label} body, sent by hand): {}",
            verdict(Some(status), Some(&headers), Some(&answer))
        ));
    }
    failures
}

// ---- c. random answers valid by the schema ------------------------------------------------

/// What became of the calls to one operation.
#[derive(Default)]
struct Tally {
    ok: usize,
    typed_error: usize,
    /// Typed errors that carry `sl-violations`: Prism's validator refused the request (the
    /// static test names the violations).
    refused: usize,
    failures: Vec<String>,
}

impl Tally {
    /// Counts one call: `Ok` and documented (typed) errors were decoded; anything else
    /// (unexpected status, undecodable answer, ...) is a failure.
    fn count<T, E: Debug>(&mut self, call: &str, result: Result<T, Error<E>>) {
        match result {
            Ok(_) => self.ok += 1,
            Err(Error::Api(e)) => {
                self.typed_error += 1;
                self.refused += usize::from(e.answer().headers().contains_key(VIOLATIONS_HEADER));
            }
            Err(e) => self.failures.push(format!("{call}: {}", error_verdict(&e))),
        }
    }

    fn summary(&self, operation: &str) -> String {
        format!(
            "{operation}: {DYNAMIC_CALLS} calls, {} decoded ({} Ok, {} typed errors, {} of them \
             refusals with {VIOLATIONS_HEADER}), {} failed",
            self.ok + self.typed_error,
            self.ok,
            self.typed_error,
            self.refused,
            self.failures.len()
        )
    }
}

#[tokio::test]
async fn every_dynamic_answer_decodes() {
    let prism = Prism::start(Mode::Dynamic);
    let tokens = common::server_with_tokens().await;
    let client = client_for(&prism, &tokens);
    let (mut create, mut get, mut place) = (Tally::default(), Tally::default(), Tally::default());
    let (customers, orders) = (
        [minimal_customer(), full_customer()],
        [minimal_order(), full_order()],
    );
    for i in 0..DYNAMIC_CALLS {
        let customer = &customers[i % 2];
        create.count(
            &format!("createCustomer #{i}"),
            client.create_customer(customer).await,
        );
        let number = format!("K{i}");
        get.count(
            &format!("getCustomer #{i} ({number})"),
            client.get_customer(&number).await,
        );
        let order = &orders[i % 2];
        place.count(
            &format!("placeSalesOrder #{i}"),
            client.place_sales_order(order).await,
        );
    }
    let tallies = [
        ("createCustomer", &create),
        ("getCustomer", &get),
        ("placeSalesOrder", &place),
    ];
    let mut failures = Vec::new();
    let mut summaries = Vec::new();
    for (operation, tally) in tallies {
        summaries.push(tally.summary(operation));
        failures.extend(tally.failures.iter().take(5).cloned());
    }
    // The counts are part of the CI log (.ci/run passes --nocapture).
    println!("prism -d: {}", summaries.join("; "));
    let what = format!(
        "gks-api could not decode prism's dynamic answers ({}; at most 5 shown per operation)",
        summaries.join("; ")
    );
    assert_no_failures(&what, &failures, &prism);
}
